/**
 * Sorting table rows by one column. Text in Chinese collation order (pinyin), numbers and decimal strings
 * (prices) by value; missing values always last, whichever the direction; ties keep their order.
 */
export type SortDirection = 'asc' | 'desc';
export type SortValue = string | number | null | undefined;

export interface SortState<K extends string> {
  key: K;
  dir: SortDirection;
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true, sensitivity: 'base' });

export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

const isMissing = (v: SortValue) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** A new array sorted by `value(row)`; `rows` is left as it is. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, dir: SortDirection): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, v: value(row) }));
  keyed.sort((x, y) => {
    const mx = isMissing(x.v);
    const my = isMissing(y.v);
    if (mx || my) return mx === my ? x.index - y.index : mx ? 1 : -1;
    return sign * compareValues(x.v, y.v) || x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

/** A decimal string (a price) as a number for ordering only; never for arithmetic on money. */
export function decimalOrder(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Clicking a column: the same column flips direction; a new one starts with `initial` (numbers: high first). */
export function nextSort<K extends string>(current: SortState<K>, key: K, initial: SortDirection = 'asc'): SortState<K> {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: initial };
}

/** A table's sort as the URL carries it: "cut.desc". Unknown keys or directions give `fallback`. */
export function parseSort<K extends string>(value: string | null, keys: readonly K[], fallback: SortState<K>): SortState<K> {
  const [key, dir] = (value ?? '').split('.');
  if (!key || !(keys as readonly string[]).includes(key) || (dir !== 'asc' && dir !== 'desc')) return fallback;
  return { key: key as K, dir };
}

export function sortToParam(sort: SortState<string>): string {
  return `${sort.key}.${sort.dir}`;
}
