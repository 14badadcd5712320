import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CoverageSeries } from '@vbp/contracts/api';
import type { ProductType, TargetUnit } from '@vbp/contracts/enums';
import { apiGet } from '../../../lib/api';

export interface CoverageSeriesParams {
  region: string;
  type: ProductType;
  unit: TargetUnit;
  /** The last point; null = today (CST). The series starts at the region's first implementation. */
  to: string | null;
}

export function getCoverageSeries(p: CoverageSeriesParams, signal?: AbortSignal): Promise<CoverageSeries> {
  return apiGet<CoverageSeries>('/api/coverage/series', { region: p.region, type: p.type, unit: p.unit, to: p.to }, { signal });
}

export const coverageSeriesQueryOptions = (p: CoverageSeriesParams) =>
  queryOptions({
    queryKey: ['coverage', 'series', p.region, p.type, p.unit, p.to ?? 'today'],
    queryFn: ({ signal }) => getCoverageSeries(p, signal),
    placeholderData: keepPreviousData,
  });

export function useCoverageSeries(p: CoverageSeriesParams) {
  return useQuery(coverageSeriesQueryOptions(p));
}
