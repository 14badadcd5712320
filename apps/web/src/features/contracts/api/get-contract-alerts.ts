import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ContractAlerts } from '@vbp/contracts/contract-alerts';
import { apiGet, buildUrl } from '../../../lib/api';

export interface AlertsParams {
  region: string;
  /** null = today. */
  date: string | null;
  page: number;
  /** Only the alerts in this stage (an alert day). */
  stage?: number | undefined;
  pageSize?: number;
}

export function getContractAlerts(p: AlertsParams, signal?: AbortSignal): Promise<ContractAlerts> {
  return apiGet<ContractAlerts>('/api/contracts/alerts', { region: p.region, date: p.date, page: String(p.page), pageSize: String(p.pageSize ?? 20), stage: p.stage === undefined ? null : String(p.stage) }, { signal });
}

/** Invalidated by a change of the province's alert days (['contract-alerts']). */
export const contractAlertsQueryOptions = (p: AlertsParams) =>
  queryOptions({
    queryKey: ['contract-alerts', p.region, p.date ?? 'today', p.stage ?? 'all', p.page, p.pageSize ?? 20],
    queryFn: ({ signal }) => getContractAlerts(p, signal),
    placeholderData: keepPreviousData,
  });

export function useContractAlerts(p: AlertsParams) {
  return useQuery(contractAlertsQueryOptions(p));
}

export function contractAlertsExportUrl(region: string, date: string | null, stage: number | undefined): string {
  return buildUrl('/api/contracts/alerts/export.xlsx', { region, date, stage: stage === undefined ? null : String(stage) });
}
