/**
 * Finding the header row and matching its cells to the columns of an upload kind. Headers are compared
 * in normalised form (half-width, lower case, no spaces or line breaks, trailing "(unit)" groups and
 * "*" required-marks removed) against each column's aliases, then its Chinese and English labels and key.
 */
import { UPLOAD_COLUMNS, type ColumnSpec, type UploadKind } from '@vbp/contracts/uploads';
import { cellToText, type RawCell } from './cells';
import { collapseSpace, normalizeHeader } from './normalize';

export interface MatchedColumn {
  /** 0-based column index in the row. */
  index: number;
  /** The header as written in the file (line breaks collapsed). */
  header: string;
  key: string;
}

export interface HeaderMatch {
  columns: MatchedColumn[];
  missingRequired: ColumnSpec[];
  /** Headers that matched no column (or lost to a better spelling of the same column). */
  unmatched: string[];
  /** Columns written twice with the same spelling: which one holds the data cannot be known. */
  duplicates: { key: string; headers: string[] }[];
  /** Mapping entries naming a column the kind does not have. */
  invalidMapping: { header: string; key: string }[];
}

/** The comparison form of a header. */
export function headerKey(text: string): string {
  let key = normalizeHeader(text).replace(/^[*＊※]+|[*＊※:：]+$/gu, '');
  for (let previous = ''; previous !== key; ) {
    previous = key;
    key = key.replace(/\([^()]*\)$/u, '').replace(/[*＊※:：]+$/u, '');
  }
  return key;
}

interface AliasHit {
  key: string;
  rank: number;
}

const ALIASES = new Map<UploadKind, Map<string, AliasHit>>();

function aliasTable(kind: UploadKind): Map<string, AliasHit> {
  let table = ALIASES.get(kind);
  if (!table) {
    table = new Map();
    for (const spec of UPLOAD_COLUMNS[kind]) {
      const spellings = [...spec.aliases, spec.labelZh, spec.labelEn, spec.key];
      spellings.forEach((alias, rank) => {
        const k = headerKey(alias);
        if (k && !table!.has(k)) table!.set(k, { key: spec.key, rank });
      });
    }
    ALIASES.set(kind, table);
  }
  return table;
}

/** Aliases of three or more characters may also match as the start of a header ("中选价格元每片"). */
function prefixHit(kind: UploadKind, normalized: string, taken: Set<string>): AliasHit | null {
  let best: { hit: AliasHit; length: number } | null = null;
  for (const [alias, hit] of aliasTable(kind)) {
    if (alias.length >= 3 && normalized.startsWith(alias) && !taken.has(hit.key) && (!best || alias.length > best.length)) {
      best = { hit, length: alias.length };
    }
  }
  return best?.hit ?? null;
}

export function headerText(cell: RawCell | unknown): string {
  return collapseSpace(cellToText(cell as RawCell));
}

/**
 * Matches header cells to columns. `mapping` (file header → column key, '' to ignore a column) is applied
 * first and wins over detection; its headers are compared in normalised form.
 */
export function matchHeaders(headerCells: readonly unknown[], kind: UploadKind, mapping?: Record<string, string>): HeaderMatch {
  const specs = UPLOAD_COLUMNS[kind];
  const validKeys = new Set(specs.map((s) => s.key));
  const mapped = new Map<string, string>();
  const invalidMapping: HeaderMatch['invalidMapping'] = [];
  for (const [header, key] of Object.entries(mapping ?? {})) {
    if (key !== '' && !validKeys.has(key)) invalidMapping.push({ header, key });
    else mapped.set(headerKey(header), key);
  }

  const table = aliasTable(kind);
  const byKey = new Map<string, { index: number; header: string; rank: number; normalized: string }[]>();
  const unmatched: string[] = [];
  const pending: { index: number; header: string; normalized: string }[] = [];
  headerCells.forEach((cell, index) => {
    const header = headerText(cell);
    if (!header) return;
    const normalized = headerKey(header);
    const explicit = mapped.get(normalized);
    if (explicit !== undefined) {
      if (explicit !== '') push(byKey, explicit, { index, header, rank: -1, normalized });
      return;
    }
    const hit = table.get(normalized);
    if (hit) push(byKey, hit.key, { index, header, rank: hit.rank, normalized });
    else pending.push({ index, header, normalized });
  });

  const columns: MatchedColumn[] = [];
  const duplicates: HeaderMatch['duplicates'] = [];
  for (const [key, hits] of byKey) {
    const bestRank = Math.min(...hits.map((h) => h.rank));
    const best = hits.filter((h) => h.rank === bestRank);
    if (best.length > 1) duplicates.push({ key, headers: best.map((h) => h.header) });
    columns.push({ index: best[0]!.index, header: best[0]!.header, key });
    for (const h of hits) if (h.rank !== bestRank) unmatched.push(h.header);
  }
  const taken = new Set(columns.map((c) => c.key));
  for (const p of pending) {
    const hit = prefixHit(kind, p.normalized, taken);
    if (hit) {
      taken.add(hit.key);
      columns.push({ index: p.index, header: p.header, key: hit.key });
    } else unmatched.push(p.header);
  }
  columns.sort((a, b) => a.index - b.index);
  const missingRequired = specs.filter((s) => s.required && !taken.has(s.key));
  return { columns, missingRequired, unmatched, duplicates, invalidMapping };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface HeaderRowFound {
  /** Index in `rows` of the (last) header row; data starts after it. */
  index: number;
  /** How many rows the header spans (2 for a two-level header with merged group cells above). */
  span: 1 | 2;
  cells: string[];
  score: number;
}

/** How many columns a row's cells match (the header row is the one that matches most). */
function score(cells: readonly unknown[], kind: UploadKind, mapping?: Record<string, string>): number {
  const nonEmpty = cells.some((c) => headerText(c) !== '');
  return nonEmpty ? matchHeaders(cells, kind, mapping).columns.length : 0;
}

/**
 * The first row (of those given: the first ~30 of the sheet) that matches the most known headers, or null
 * when none matches any. A two-level header (group titles above, column names below, with the columns
 * that have no group merged down) is recognised when the two rows together match more than either alone.
 */
export function findHeaderRow(rows: readonly (readonly unknown[])[], kind: UploadKind, mapping?: Record<string, string>): HeaderRowFound | null {
  const scores = rows.map((cells) => score(cells, kind, mapping));
  let best: HeaderRowFound | null = null;
  for (let top = 0; top < rows.length; top++) {
    if (scores[top]! > 0 && (!best || scores[top]! > best.score)) best = { index: top, span: 1, cells: rows[top]!.map(headerText), score: scores[top]! };
    const bottom = top + 1;
    if (bottom >= rows.length || (scores[top] === 0 && scores[bottom] === 0)) continue;
    const width = Math.max(rows[top]!.length, rows[bottom]!.length);
    const merged = Array.from({ length: width }, (_, c) => headerText(rows[bottom]![c]) || headerText(rows[top]![c]));
    const s = score(merged, kind, mapping);
    if (s > Math.max(scores[top]!, scores[bottom]!) && (!best || s > best.score)) best = { index: bottom, span: 2, cells: merged, score: s };
  }
  return best;
}
