import type { Coverage, CoverageSeries } from '@vbp/contracts/api';
import { addMonths, monthEnds, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import type { ProductType, TargetUnit } from '@vbp/contracts/enums';
import type { Db } from '@vbp/db';
import { computeCoverage, coverageSeries, type CoverageFact } from '../calc/coverage';
import { loadCoverageFacts } from './coverage-facts';
import { getRegion } from './regions';

export interface CoverageParams {
  region: string;
  type: ProductType;
  unit: TargetUnit;
  date?: IsoDate | undefined;
}

export function coverageFromFacts(facts: readonly CoverageFact[], params: CoverageParams & { date: IsoDate }): Coverage {
  const count = computeCoverage(facts, params.date, params.unit);
  return { region: params.region, type: params.type, unit: params.unit, date: params.date, ...count };
}

/** Coverage of a region at a date: see calc/coverage.ts for what is counted. */
export async function getCoverage(db: Db, params: CoverageParams): Promise<Coverage> {
  await getRegion(db, params.region);
  const facts = await loadCoverageFacts(db, params.region, params.type);
  return coverageFromFacts(facts, { ...params, date: params.date ?? todayInChina() });
}

/** Default span of a series: from the first implementation (or 10 years back) to the date asked. */
export function seriesDates(facts: readonly CoverageFact[], from: IsoDate | undefined, to: IsoDate): IsoDate[] {
  const first = facts.reduce<IsoDate | undefined>((min, f) => (min === undefined || f.startOn < min ? f.startOn : min), undefined);
  const start = from ?? first ?? addMonths(to, -120);
  if (start > to) return [];
  const ends = monthEnds(start, to);
  // the last point is the date itself, not the end of its month
  ends[ends.length - 1] = to;
  return ends;
}

export async function getCoverageSeries(
  db: Db,
  params: { region: string; type: ProductType; unit: TargetUnit; from?: IsoDate | undefined; to?: IsoDate | undefined },
): Promise<CoverageSeries> {
  await getRegion(db, params.region);
  const facts = await loadCoverageFacts(db, params.region, params.type);
  const dates = seriesDates(facts, params.from, params.to ?? todayInChina());
  return { region: params.region, type: params.type, unit: params.unit, points: coverageSeries(facts, dates, params.unit) };
}
