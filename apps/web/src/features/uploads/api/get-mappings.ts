import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SavedMapping, UploadKind } from '@vbp/contracts/uploads';
import { apiGet } from '../../../lib/api';

export function getSavedMappings(kind: UploadKind, signal?: AbortSignal): Promise<{ items: SavedMapping[] }> {
  return apiGet<{ items: SavedMapping[] }>('/api/upload-mappings', { kind }, { signal });
}

/** Mappings saved for a kind (the API lists those of the user's region). */
export const savedMappingsQueryOptions = (kind: UploadKind) =>
  queryOptions({ queryKey: ['upload-mappings', kind], queryFn: ({ signal }) => getSavedMappings(kind, signal) });

export function useSavedMappings(kind: UploadKind | null) {
  return useQuery({ ...savedMappingsQueryOptions(kind ?? 'batch-results'), enabled: kind !== null });
}
