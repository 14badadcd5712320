import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { TargetList } from '@vbp/contracts/api';
import { apiGet } from '../../../lib/api';

/**
 * Every target the user may see, evaluated today: without `region` the API gives national users every
 * region's (each national per-province target once per province) and provincial users their own province's.
 * Under ['targets'], so the target mutations refresh it.
 */
export const allTargetsQueryOptions = () =>
  queryOptions({
    queryKey: ['targets', 'all'],
    queryFn: ({ signal }) => apiGet<TargetList>('/api/targets', {}, { signal }),
    placeholderData: keepPreviousData,
  });

export function useAllTargets() {
  return useQuery(allTargetsQueryOptions());
}
