import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SourceDocumentList } from '@vbp/contracts/api';
import { apiGet } from '../../../lib/api';

/** The source documents a target can cite (a short, slowly changing list). */
export const documentsQueryOptions = () =>
  queryOptions({
    queryKey: ['documents'],
    queryFn: ({ signal }) => apiGet<SourceDocumentList>('/api/documents', {}, { signal }),
    staleTime: 10 * 60_000,
  });

export function useDocuments(enabled: boolean) {
  return useQuery({ ...documentsQueryOptions(), enabled });
}
