import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Health } from '@vbp/contracts/api';
import { apiGet } from '../../../lib/api';

/** `GET /api/health` answers without a session; in demo mode it says so (`demo: true`). */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return apiGet<Health>('/api/health', undefined, { signal });
}

export const healthQueryOptions = () =>
  queryOptions({ queryKey: ['health'], queryFn: ({ signal }) => getHealth(signal), staleTime: 10 * 60_000, retry: false });

export function useHealth() {
  return useQuery(healthQueryOptions());
}
