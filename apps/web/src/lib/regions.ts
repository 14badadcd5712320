/** The region code table (全国, provinces, XPCC): shared reference data every feature may read. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RegionList } from '@vbp/contracts/api';
import type { z } from 'zod';
import { apiGet } from './api';

export type Regions = z.infer<typeof RegionList>;

export function getRegions(signal?: AbortSignal): Promise<Regions> {
  return apiGet<Regions>('/api/regions', undefined, { signal });
}

/** Regions change with a code-table revision, not during a session. */
export const regionsQueryOptions = () =>
  queryOptions({ queryKey: ['regions'], queryFn: ({ signal }) => getRegions(signal), staleTime: Infinity, gcTime: Infinity });

export function useRegions() {
  return useQuery(regionsQueryOptions());
}
