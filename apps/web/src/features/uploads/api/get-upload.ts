import { queryOptions, useQuery } from '@tanstack/react-query';
import type { UploadView } from '@vbp/contracts/uploads';
import { apiGet } from '../../../lib/api';
import { isInProgress, pollInterval } from '../utils/upload-status';
import { invalidateStoredData, uploadKeys } from './keys';

export function getUpload(id: number, signal?: AbortSignal): Promise<UploadView> {
  return apiGet<UploadView>(`/api/uploads/${id}`, undefined, { signal });
}

/**
 * One upload's report. Asked for every second while the server processes or commits the file (the
 * progress bar), not otherwise. When a commit finishes between two polls, what it changed is stale.
 */
export const uploadQueryOptions = (id: number) =>
  queryOptions({
    queryKey: uploadKeys.detail(id),
    queryFn: async ({ signal, client }) => {
      const before = client.getQueryData<UploadView>(uploadKeys.detail(id));
      const view = await getUpload(id, signal);
      // A commit that went through changed the data; one that did not (interrupted, or back to validated
      // with its reason) and a finished check changed only this upload's line in the history.
      if (before && isInProgress(before.status) && !isInProgress(view.status)) {
        void (view.status === 'committed' ? invalidateStoredData(client) : client.invalidateQueries({ queryKey: uploadKeys.lists }));
      }
      return view;
    },
    staleTime: 0,
    refetchInterval: (query) => pollInterval(query.state.data?.status),
  });

export function useUpload(id: number) {
  return useQuery(uploadQueryOptions(id));
}
