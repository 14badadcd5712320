import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Reconciliation } from '@vbp/contracts/reconciliation';
import { apiGet } from './api';

/*
 * Published figures beside the computed ones (/api/reconciliation): shared, like the regions, because the
 * overview's figures panel and the 核对 page read the same answer (one request, one cache entry).
 */
export interface ReconciliationParams {
  /** One region, or null for every region the user may read. */
  region: string | null;
  /** The date of the "as of" column; null = today (CST). */
  date: string | null;
}

export const reconciliationQueryOptions = (p: ReconciliationParams) =>
  queryOptions({
    queryKey: ['reconciliation', p.region ?? 'all', p.date ?? 'today'],
    queryFn: ({ signal }) => apiGet<Reconciliation>('/api/reconciliation', { region: p.region, date: p.date }, { signal }),
    // the previous region's rows stay while the next loads: no blank table
    placeholderData: keepPreviousData,
  });

export function useReconciliation(p: ReconciliationParams) {
  return useQuery(reconciliationQueryOptions(p));
}
