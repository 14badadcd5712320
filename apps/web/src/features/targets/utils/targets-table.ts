/**
 * The 目标 table's view: filters and sort as the URL holds them (`?type=drug&status=behind&region=320000&sort=due&dir=desc`),
 * and the rows they select, in order. Pure, so the rules are tested without a browser.
 */
import type { TargetView } from '@vbp/contracts/api';
import { PRODUCT_TYPES, TARGET_STATUSES, type ProductType, type TargetStatus } from '@vbp/contracts/enums';
import { readOneOf, toSearchParams } from '../../../lib/search-params';
import { parseRegionParam } from '../../../lib/view-params';

export const TARGET_SORT_KEYS = ['region', 'type', 'unit', 'count', 'due', 'progress', 'status', 'projection', 'source'] as const;
export type TargetSortKey = (typeof TARGET_SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export interface TargetFilters {
  type: ProductType | undefined;
  status: TargetStatus | undefined;
  region: string | undefined;
  sort: TargetSortKey;
  dir: SortDir;
  /** The target compared across provinces in the chart (its code). */
  chart: string | undefined;
}

export const DEFAULT_SORT: { sort: TargetSortKey; dir: SortDir } = { sort: 'region', dir: 'asc' };

export function parseTargetFilters(params: URLSearchParams): TargetFilters {
  const chart = params.get('chart')?.trim();
  return {
    type: readOneOf(params.get('type'), PRODUCT_TYPES),
    status: readOneOf(params.get('status'), TARGET_STATUSES),
    region: parseRegionParam(params.get('region')) ?? undefined,
    sort: readOneOf(params.get('sort'), TARGET_SORT_KEYS) ?? DEFAULT_SORT.sort,
    dir: readOneOf(params.get('dir'), ['asc', 'desc'] as const) ?? DEFAULT_SORT.dir,
    chart: chart ? chart.slice(0, 64) : undefined,
  };
}

/** Filters → URL: defaults left out, so a plain /targets stays plain. */
export function targetFiltersToParams(f: TargetFilters): URLSearchParams {
  return toSearchParams({
    type: f.type,
    status: f.status,
    region: f.region,
    sort: f.sort === DEFAULT_SORT.sort && f.dir === DEFAULT_SORT.dir ? undefined : f.sort,
    dir: f.sort === DEFAULT_SORT.sort && f.dir === DEFAULT_SORT.dir ? undefined : f.dir,
    chart: f.chart,
  });
}

export function hasTargetFilters(f: Pick<TargetFilters, 'type' | 'status' | 'region'>): boolean {
  return f.type !== undefined || f.status !== undefined || f.region !== undefined;
}

/** Clicking a column: the same column flips its direction; another starts ascending (numbers and dates: largest / latest first). */
export function nextSort(current: Pick<TargetFilters, 'sort' | 'dir'>, key: TargetSortKey): { sort: TargetSortKey; dir: SortDir } {
  if (current.sort === key) return { sort: key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { sort: key, dir: key === 'count' || key === 'progress' ? 'desc' : 'asc' };
}

/** A row's key: a national per-province target appears once per province. */
export function targetRowKey(t: Pick<TargetView, 'id' | 'regionCode'>): string {
  return `${t.id}:${t.regionCode}`;
}

export function filterTargets<T extends Pick<TargetView, 'productType' | 'regionCode' | 'progress'>>(targets: readonly T[], f: Pick<TargetFilters, 'type' | 'status' | 'region'>): T[] {
  return targets.filter(
    (t) => (f.type === undefined || t.productType === f.type) && (f.region === undefined || t.regionCode === f.region) && (f.status === undefined || t.progress?.status === f.status),
  );
}

/** Worst first when ascending: the ones needing attention lead. */
const STATUS_RANK: Record<TargetStatus, number> = { behind: 0, at_risk: 1, on_track: 2, met: 3 };

type Sortable = Pick<TargetView, 'id' | 'regionCode' | 'productType' | 'unit' | 'count' | 'dueOn' | 'progress' | 'source' | 'scope'>;

/**
 * Rows in the chosen order. Regions follow the code table's order (`regionOrder`: 全国 first, then the
 * provinces as the regions list gives them); unmeasured rows (no progress) and missing values sort last
 * in either direction; ties fall back to region, then type, then due date, then id, so the order is stable.
 */
export function sortTargetRows<T extends Sortable>(targets: readonly T[], sort: TargetSortKey, dir: SortDir, regionOrder: ReadonlyMap<string, number>): T[] {
  const region = (t: T) => regionOrder.get(t.regionCode) ?? Number.MAX_SAFE_INTEGER;
  const value = (t: T): number | string | null => {
    switch (sort) {
      case 'region':
        return region(t);
      case 'type':
        return t.productType === 'drug' ? 0 : 1;
      case 'unit':
        return t.unit;
      case 'count':
        return t.count;
      case 'due':
        return t.dueOn;
      case 'progress':
        return t.progress?.fraction ?? null;
      case 'status':
        return t.progress ? STATUS_RANK[t.progress.status] : null;
      case 'projection':
        return t.progress?.projectedMetOn ?? null;
      case 'source':
        return t.source.documentCode ?? t.source.titleZh ?? null;
    }
  };
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  const sign = dir === 'asc' ? 1 : -1;
  const tie = (a: T, b: T) =>
    region(a) - region(b) || cmp(a.productType, b.productType) || cmp(a.dueOn, b.dueOn) || (a.scope === b.scope ? 0 : a.scope === 'region' ? -1 : 1) || a.id - b.id;
  return [...targets].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? tie(a, b) : va === null ? 1 : -1;
    return sign * cmp(va, vb) || tie(a, b);
  });
}
