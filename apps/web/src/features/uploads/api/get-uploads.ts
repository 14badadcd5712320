import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { UploadList } from '@vbp/contracts/uploads';
import { apiGet } from '../../../lib/api';
import { isInProgress } from '../utils/upload-status';
import { UPLOADS_PAGE_SIZE, type UploadFilters } from '../utils/upload-filters';
import { uploadKeys } from './keys';

export function getUploads(f: UploadFilters, signal?: AbortSignal): Promise<UploadList> {
  return apiGet<UploadList>('/api/uploads', { kind: f.kind, status: f.status, page: f.page, pageSize: UPLOADS_PAGE_SIZE }, { signal });
}

/** The history, newest first. While an upload on the page is being worked on, it is asked for every few seconds. */
export const uploadsQueryOptions = (f: UploadFilters) =>
  queryOptions({
    queryKey: [...uploadKeys.lists, { kind: f.kind ?? null, status: f.status ?? null, page: f.page }],
    queryFn: ({ signal }) => getUploads(f, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.items.some((u) => isInProgress(u.status)) ? 3000 : false),
  });

export function useUploads(f: UploadFilters) {
  return useQuery(uploadsQueryOptions(f));
}
