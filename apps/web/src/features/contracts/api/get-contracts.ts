import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ContractPeriods } from '@vbp/contracts/contract-periods';
import { apiGet } from '../../../lib/api';

export function getContracts(params: { region: string; date: string | null }, signal?: AbortSignal): Promise<ContractPeriods> {
  return apiGet<ContractPeriods>('/api/contracts', { region: params.region, date: params.date }, { signal });
}

/** Keyed like the overview (`date: null` = today); the previous region's periods stay while the next loads. */
export const contractsQueryOptions = (region: string, date: string | null) =>
  queryOptions({
    queryKey: ['contracts', region, date ?? 'today'],
    queryFn: ({ signal }) => getContracts({ region, date }, signal),
    placeholderData: keepPreviousData,
  });

export function useContracts(region: string, date: string | null) {
  return useQuery(contractsQueryOptions(region, date));
}
