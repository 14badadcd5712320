/**
 * The batch pages' queries: the list (`GET /api/batches`, filters as in the URL) and one batch
 * (`GET /api/batches/{code}`). Keys: ['batches', 'list', filters], ['batches', 'detail', code]; uploads
 * invalidate ['batches'] after a commit or revert. The list keeps its previous page while the next loads.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BatchDetail, BatchList } from '@vbp/contracts/api';
import { apiGet } from '../../../lib/api';
import { BATCHES_PAGE_SIZE, type BatchFilters } from '../utils/batch-filters';

export function getBatchList(f: BatchFilters, signal?: AbortSignal): Promise<BatchList> {
  return apiGet<BatchList>(
    '/api/batches',
    { q: f.q, level: f.level, type: f.type, year: f.year, region: f.region, status: f.status, page: f.page, pageSize: BATCHES_PAGE_SIZE },
    { signal },
  );
}

export const batchListQueryOptions = (f: BatchFilters) =>
  queryOptions({
    queryKey: ['batches', 'list', { ...f, pageSize: BATCHES_PAGE_SIZE }],
    queryFn: ({ signal }) => getBatchList(f, signal),
    placeholderData: keepPreviousData,
  });

export function useBatchList(f: BatchFilters) {
  return useQuery(batchListQueryOptions(f));
}

export const batchDetailQueryOptions = (code: string) =>
  queryOptions({
    queryKey: ['batches', 'detail', code],
    queryFn: ({ signal }) => apiGet<BatchDetail>(`/api/batches/${encodeURIComponent(code)}`, undefined, { signal }),
  });

export function useBatch(code: string) {
  return useQuery(batchDetailQueryOptions(code));
}
