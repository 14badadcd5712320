import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Health } from '@vbp/contracts/api';
import { apiGet } from '../../../lib/api';

/**
 * `GET /api/health` answers without a session; in demo mode it says so (`demo: true`). While the database
 * cannot be reached it answers 503 `{ ok: false, db: 'unreachable' }`, which rejects here (HTTP_503: the body
 * is not the error shape) rather than resolving: `data` is only ever a healthy answer, and the sign-in
 * page simply shows no demo notice meanwhile (signing in then says why it cannot).
 */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return apiGet<Health>('/api/health', undefined, { signal });
}

export const healthQueryOptions = () =>
  queryOptions({ queryKey: ['health'], queryFn: ({ signal }) => getHealth(signal), staleTime: 10 * 60_000, retry: false });

export function useHealth() {
  return useQuery(healthQueryOptions());
}
