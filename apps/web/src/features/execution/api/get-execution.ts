import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ExecutionList, InstitutionExecution } from '@vbp/contracts/execution';
import { apiGet } from '../../../lib/api';
import { EXECUTION_PAGE_SIZE, executionQuery, type ExecutionFilters } from '../utils/execution-filters';

export const executionListOptions = (region: string, date: string | null, f: ExecutionFilters) => {
  const query = executionQuery(region, date, f);
  return queryOptions({
    queryKey: ['execution', 'list', { ...query, date: date ?? 'today', page: f.page }],
    queryFn: ({ signal }) => apiGet<ExecutionList>('/api/execution', { ...query, page: f.page, pageSize: EXECUTION_PAGE_SIZE }, { signal }),
    // the table keeps the previous rows while a filter or page loads
    placeholderData: keepPreviousData,
  });
};

export function useExecutionList(region: string, date: string | null, f: ExecutionFilters, enabled = true) {
  return useQuery({ ...executionListOptions(region, date, f), enabled });
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
