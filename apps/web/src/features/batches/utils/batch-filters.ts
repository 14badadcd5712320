/**
 * The batch list's filters as the URL carries them:
 * /batches?q=第九批&level=national&type=drug&year=2024&region=320000&status=running&page=2.
 * Anything malformed is dropped rather than sent to the API.
 */
import { BATCH_STATUSES, type BatchStatus } from '@vbp/contracts/batch-status';
import { BATCH_LEVELS, PRODUCT_TYPES, type BatchLevel, type ProductType } from '@vbp/contracts/enums';
import { readOneOf, readPage, readText, toSearchParams } from '../../../lib/search-params';
import { parseRegionParam } from '../../../lib/view-params';

export const BATCHES_PAGE_SIZE = 20;
/** The first year a batch can be filtered by: the 4+7 pilot was announced in 2018. */
export const FIRST_BATCH_YEAR = 2018;

export interface BatchFilters {
  q?: string | undefined;
  level?: BatchLevel | undefined;
  type?: ProductType | undefined;
  year?: number | undefined;
  region?: string | undefined;
  status?: BatchStatus | undefined;
  page: number;
}

function readYear(value: string | null): number | undefined {
  if (!value || !/^\d{4}$/.test(value)) return undefined;
  const year = Number(value);
  return year >= 2000 && year <= 2100 ? year : undefined;
}

export function parseBatchFilters(params: URLSearchParams): BatchFilters {
  return {
    q: readText(params.get('q'), 100),
    level: readOneOf(params.get('level'), BATCH_LEVELS),
    type: readOneOf(params.get('type'), PRODUCT_TYPES),
    year: readYear(params.get('year')),
    region: parseRegionParam(params.get('region')) ?? undefined,
    status: readOneOf(params.get('status'), BATCH_STATUSES),
    page: readPage(params.get('page')),
  };
}

export function batchFiltersToParams(f: BatchFilters): URLSearchParams {
  return toSearchParams({ q: f.q?.trim(), level: f.level, type: f.type, year: f.year, region: f.region, status: f.status, page: f.page });
}

export function hasBatchFilters(f: BatchFilters): boolean {
  return [f.q, f.level, f.type, f.year, f.region, f.status].some((v) => v !== undefined && v !== '');
}

/** The years offered, newest first: from the pilot's year to `thisYear`. */
export function batchYears(thisYear: number): number[] {
  const years: number[] = [];
  for (let y = thisYear; y >= FIRST_BATCH_YEAR; y -= 1) years.push(y);
  return years;
}
