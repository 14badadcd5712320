import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ExecutionSummary } from '@vbp/contracts/execution';
import { apiGet } from '../../../lib/api';

/** The overview's execution figures: asked in parallel with /api/overview, cached under the same view. */
export const executionSummaryOptions = (region: string, date: string | null) =>
  queryOptions({
    queryKey: ['execution', 'summary', region, date ?? 'today'],
    queryFn: ({ signal }) => apiGet<ExecutionSummary>('/api/execution/summary', { region, date }, { signal }),
    placeholderData: keepPreviousData,
  });

export function useExecutionSummary(region: string, date: string | null) {
  return useQuery(executionSummaryOptions(region, date));
}
