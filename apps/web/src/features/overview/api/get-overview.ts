import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Overview } from '@vbp/contracts/api';
import { apiGet } from '../../../lib/api';

export function getOverview(params: { region: string; date: string | null }, signal?: AbortSignal): Promise<Overview> {
  return apiGet<Overview>('/api/overview', { region: params.region, date: params.date }, { signal });
}

/** `date: null` asks for today (CST): cached under 'today' so a dated view never shares its entry. */
export const overviewQueryOptions = (region: string, date: string | null) =>
  queryOptions({
    queryKey: ['overview', region, date ?? 'today'],
    queryFn: ({ signal }) => getOverview({ region, date }, signal),
    // Keep the previous region's figures on screen while the next one loads: no blank panels.
    placeholderData: keepPreviousData,
  });

export function useOverview(region: string, date: string | null) {
  return useQuery(overviewQueryOptions(region, date));
}
