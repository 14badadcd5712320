/** Batches to choose from in the upload form: `GET /api/batches?q=&type=` (the API shows each user the batches they may see). */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BatchList } from '@vbp/contracts/api';
import type { ProductType } from '@vbp/contracts/enums';
import { apiGet } from '../../../lib/api';

export const BATCH_PICKER_SIZE = 20;

export interface BatchSearch {
  q: string;
  type: ProductType | null;
}

export function searchBatches(s: BatchSearch, signal?: AbortSignal): Promise<BatchList> {
  return apiGet<BatchList>('/api/batches', { q: s.q.trim() || undefined, type: s.type ?? undefined, pageSize: BATCH_PICKER_SIZE }, { signal });
}

export const batchSearchQueryOptions = (s: BatchSearch) =>
  queryOptions({
    queryKey: ['batches', 'list', { q: s.q.trim(), type: s.type, pageSize: BATCH_PICKER_SIZE }],
    queryFn: ({ signal }) => searchBatches(s, signal),
    placeholderData: keepPreviousData,
  });

export function useBatchSearch(s: BatchSearch, enabled: boolean) {
  return useQuery({ ...batchSearchQueryOptions(s), enabled });
}
