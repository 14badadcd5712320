import { EXECUTION_GROUPS, EXECUTION_PAGE_SIZE, EXECUTION_SORTS, type ExecutionGroup, type ExecutionSort } from '@vbp/contracts/execution';
import { buildUrl } from '../../../lib/api';
import { readOneOf, readPage, readText, toSearchParams } from '../../../lib/search-params';
import { parseDateParam, parseRegionParam } from '../../../lib/view-params';

export { EXECUTION_PAGE_SIZE };

/**
 * The execution page's view, as the URL carries it (region and date are the header's):
 * /execution?region=320000&date=2024-06-30&by=variety&batch=D5&city=320100&level=三级&behind=1&sort=gap&page=2
 * and, for the drill-down, &institution=123.
 */
export interface ExecutionFilters {
  by: ExecutionGroup;
  batch?: string | undefined;
  city?: string | undefined;
  level?: string | undefined;
  behind?: boolean | undefined;
  sort: ExecutionSort;
  page: number;
  institution?: number | undefined;
}

export function parseExecutionFilters(params: URLSearchParams): ExecutionFilters {
  const institution = Number(params.get('institution'));
  const city = params.get('city');
  return {
    by: readOneOf(params.get('by'), EXECUTION_GROUPS) ?? 'institution',
    batch: readText(params.get('batch')),
    city: city && /^\d{6}$/.test(city) ? city : undefined,
    level: readText(params.get('level'), 20),
    behind: params.get('behind') === '1' || undefined,
    sort: readOneOf(params.get('sort'), EXECUTION_SORTS) ?? 'gap',
    page: readPage(params.get('page')),
    institution: Number.isInteger(institution) && institution > 0 ? institution : undefined,
  };
}

/** The view's own params; region and date are carried over from `current` so the header's choice stays. */
export function executionFiltersToParams(f: ExecutionFilters, current: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const region = parseRegionParam(current.get('region'));
  const date = parseDateParam(current.get('date'));
  return toSearchParams({
    region: region ?? undefined,
    date: date ?? undefined,
    by: f.by === 'institution' ? undefined : f.by,
    batch: f.batch,
    city: f.city,
    level: f.level,
    behind: f.behind ? '1' : undefined,
    sort: f.sort === 'gap' ? undefined : f.sort,
    page: f.page,
    institution: f.institution,
  });
}

export function hasExecutionFilters(f: ExecutionFilters): boolean {
  return Boolean(f.batch || f.city || f.level || f.behind);
}

/** The API's query for a view (the list adds page and pageSize; the export takes the rest). */
export function executionQuery(region: string, date: string | null, f: ExecutionFilters): Record<string, string | undefined> {
  return {
    region,
    date: date ?? undefined,
    by: f.by,
    batch: f.batch,
    city: f.city,
    level: f.level,
    behind: f.behind ? 'true' : undefined,
    sort: f.sort,
  };
}

export function executionExportUrl(region: string, date: string | null, f: ExecutionFilters): string {
  return buildUrl('/api/execution/export.xlsx', executionQuery(region, date, f));
}

/** A bar for one row: completion filled (capped at 100%), time progress as a marker; widths in percent. */
export function completionBar(completion: number | null, timeProgress: number): { fill: number; marker: number; over: boolean } {
  const clamp = (v: number) => Math.min(100, Math.max(0, Math.round(v * 1000) / 10));
  return { fill: clamp(completion ?? 0), marker: clamp(timeProgress), over: (completion ?? 0) > 1 };
}

