/**
 * Scenarios (规划): the province's list, one scenario's projection, the actual coverage the chart starts
 * from, and the office's writes. Writes invalidate ['scenarios'] and the audit log that records them (['audit']);
 * nothing else shows a scenario.
 */
import { keepPreviousData, queryOptions, useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CoverageSeries } from '@vbp/contracts/api';
import type { ProductType, TargetUnit } from '@vbp/contracts/enums';
import type { CreateScenarioInput, ScenarioList, ScenarioProjection, ScenarioView, UpdateScenarioInput } from '@vbp/contracts/scenarios';
import { apiGet, apiSend } from '../../../lib/api';

/** A province keeps a handful of plans: one page of the most the API gives holds them. */
const LIST_PAGE_SIZE = 100;

export const scenarioListQueryOptions = (region: string) =>
  queryOptions({
    queryKey: ['scenarios', 'list', region],
    queryFn: ({ signal }) => apiGet<ScenarioList>('/api/scenarios', { region, pageSize: LIST_PAGE_SIZE }, { signal }),
    placeholderData: keepPreviousData,
  });

export function useScenarioList(region: string | null) {
  return useQuery({ ...scenarioListQueryOptions(region ?? ''), enabled: region !== null });
}

export const scenarioProjectionQueryOptions = (id: number) =>
  queryOptions({
    queryKey: ['scenarios', 'projection', id],
    queryFn: ({ signal }) => apiGet<ScenarioProjection>(`/api/scenarios/${id}/projection`, {}, { signal }),
  });

/** The projections of the selected scenarios, in the order selected. */
export function useScenarioProjections(ids: readonly number[]) {
  return useQueries({ queries: ids.map((id) => scenarioProjectionQueryOptions(id)) });
}

/** Actual cumulative coverage for the chart: the two years before today, as the trend is fitted to. */
export function useActualCoverage(params: { region: string; type: ProductType; unit: TargetUnit; from: string; to: string } | null) {
  return useQuery({
    queryKey: ['coverage', 'series', params],
    queryFn: ({ signal }) => apiGet<CoverageSeries>('/api/coverage/series', params ?? {}, { signal }),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });
}

function invalidate(client: QueryClient): Promise<unknown> {
  return Promise.all([client.invalidateQueries({ queryKey: ['scenarios'] }), client.invalidateQueries({ queryKey: ['audit'] })]);
}

export function useCreateScenario() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (input: CreateScenarioInput) => apiSend<ScenarioView>('POST', '/api/scenarios', input), onSuccess: () => invalidate(client) });
}

export function useUpdateScenario() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; input: UpdateScenarioInput }) => apiSend<ScenarioView>('PATCH', `/api/scenarios/${v.id}`, v.input),
    onSuccess: () => invalidate(client),
  });
}

export function useDeleteScenario() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (id: number) => apiSend('DELETE', `/api/scenarios/${id}`), onSuccess: () => invalidate(client) });
}
