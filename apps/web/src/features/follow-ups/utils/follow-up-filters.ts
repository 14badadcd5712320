import { FOLLOW_UP_REASONS, FOLLOW_UP_STATUSES, type FollowUpReason, type FollowUpStatus } from '@vbp/contracts/enums';
import { buildUrl } from '../../../lib/api';
import { readOneOf, readPage, readText, toSearchParams } from '../../../lib/search-params';
import { parseDateParam, parseRegionParam } from '../../../lib/view-params';

export const FOLLOW_UPS_PAGE_SIZE = 20;

/** The list's view as the URL carries it (region and date are the header's): /follow-ups?status=open&city=320100&batch=…&reason=supply&page=2 */
export interface FollowUpFilters {
  status?: FollowUpStatus | undefined;
  city?: string | undefined;
  batch?: string | undefined;
  reason?: FollowUpReason | undefined;
  page: number;
}

export function parseFollowUpFilters(params: URLSearchParams): FollowUpFilters {
  const city = params.get('city');
  return {
    status: readOneOf(params.get('status'), FOLLOW_UP_STATUSES),
    city: city && /^\d{6}$/.test(city) ? city : undefined,
    batch: readText(params.get('batch')),
    reason: readOneOf(params.get('reason'), FOLLOW_UP_REASONS),
    page: readPage(params.get('page')),
  };
}

/** The view's own params; region and date are carried over from `current` so the header's choice stays. */
export function followUpFiltersToParams(f: FollowUpFilters, current: URLSearchParams = new URLSearchParams()): URLSearchParams {
  return toSearchParams({
    region: parseRegionParam(current.get('region')) ?? undefined,
    date: parseDateParam(current.get('date')) ?? undefined,
    status: f.status,
    city: f.city,
    batch: f.batch,
    reason: f.reason,
    page: f.page,
  });
}

export function hasFollowUpFilters(f: FollowUpFilters): boolean {
  return Boolean(f.status || f.city || f.batch || f.reason);
}

/** The API's query for the filters (without the page). */
export function followUpQuery(region: string, date: string | null, f: FollowUpFilters) {
  return { region, date: date ?? undefined, status: f.status, city: f.city, batch: f.batch, reason: f.reason };
}

export function followUpExportUrl(region: string, date: string | null, f: FollowUpFilters): string {
  return buildUrl('/api/follow-ups/export.xlsx', followUpQuery(region, date, f));
}
