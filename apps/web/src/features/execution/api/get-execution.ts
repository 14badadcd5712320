import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ExecutionList, InstitutionExecution } from '@vbp/contracts/execution';
import { apiGet } from '../../../lib/api';
import { EXECUTION_PAGE_SIZE, executionQuery, type ExecutionFilters } from '../utils/execution-filters';

export const executionListOptions = (region: string, date: string | null, f: ExecutionFilters, pageSize = EXECUTION_PAGE_SIZE) => {
  const query = executionQuery(region, date, f);
  return queryOptions({
    queryKey: ['execution', 'list', { ...query, date: date ?? 'today', page: f.page, pageSize }],
    queryFn: ({ signal }) => apiGet<ExecutionList>('/api/execution', { ...query, page: f.page, pageSize }, { signal }),
    // the table keeps the previous rows while a filter or page loads
    placeholderData: keepPreviousData,
  });
};

export function useExecutionList(region: string, date: string | null, f: ExecutionFilters, enabled = true) {
  return useQuery({ ...executionListOptions(region, date, f), enabled });
}

/** The API's largest page: every variety of a batch in one request (a batch has tens of varieties). */
export const VARIETY_ROWS_PAGE_SIZE = 200;

/**
 * Every variety row of one batch in the whole region (no city, level or behind filter): what the province
 * bought, for completion against its official volume.
 */
export function useBatchVarietyRows(region: string, date: string | null, batch: string, enabled = true) {
  return useQuery({ ...executionListOptions(region, date, { by: 'variety', batch, sort: 'name', page: 1 }, VARIETY_ROWS_PAGE_SIZE), enabled });
}

export const institutionExecutionOptions = (region: string, date: string | null, id: number) =>
  queryOptions({
    queryKey: ['execution', 'institution', region, date ?? 'today', id],
    queryFn: ({ signal }) => apiGet<InstitutionExecution>(`/api/execution/institutions/${id}`, { region, date }, { signal }),
    placeholderData: keepPreviousData,
  });

export function useInstitutionExecution(region: string, date: string | null, id: number | undefined) {
  return useQuery({ ...institutionExecutionOptions(region, date, id ?? 0), enabled: id !== undefined });
}
