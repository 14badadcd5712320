/**
 * Scenarios (规划): what a planned batch adds to a province's coverage, and how that moves a target's
 * projection. Pure: the caller loads what the province covers and the trend (calc/targets.ts `fitTrend`).
 *
 * - A listed batch: each name is matched with the uploads' normalisation (`genericMatchKey`: salts, forms and
 *   preparation words stripped) against the varieties of its product type the province covers today. A match
 *   is overlap (adds nothing); a name already planned (in this batch or one implemented earlier in the
 *   scenario) is counted once; the rest are net new.
 * - A counted batch: net new = round(count × (1 − coveredShare)), coveredShare 0 when not given (an assumption,
 *   said in the projection).
 * - The scenario's projection = the baseline projection (max(current, trend), as the targets compute it) plus
 *   the net new varieties of each planned batch from its implementation date (today for a date already past).
 */
import { addDays, daysBetween, monthEnds, type IsoDate } from '@vbp/contracts/dates';
import type { ProductType } from '@vbp/contracts/enums';
import { genericMatchKey } from '../uploads/variety-match';
import { round6 } from './decimal';
import { projectedAt, type Trend } from './targets';

export interface CoveredVariety {
  id: number;
  nameZh: string;
  key: string;
}

export interface PlannedBatchSpec {
  position: number;
  name: string;
  productType: ProductType;
  implementationDate: IsoDate;
  varieties: readonly string[] | null;
  varietyCount: number | null;
  /** A fraction as a decimal string ('0.3'), or null (0). */
  coveredShare: string | null;
}

export interface BatchMatch {
  position: number;
  basis: 'list' | 'count';
  planned: number;
  netNewVarieties: number;
  overlap: { name: string; variety: CoveredVariety }[];
  repeated: string[];
}

/** Looks up a covered variety by a name: its Chinese name and the generic part of its key, both normalised. */
export function coveredIndex(covered: readonly CoveredVariety[]): Map<string, CoveredVariety> {
  const index = new Map<string, CoveredVariety>();
  const byId = [...covered].sort((a, b) => a.id - b.id);
  for (const v of byId) {
    for (const name of [v.nameZh, v.key.split('|')[0] ?? '']) {
      const key = genericMatchKey(name);
      if (key !== '' && !index.has(key)) index.set(key, v);
    }
  }
  return index;
}

/** Thousandths of a decimal fraction string: '0.3' → 300 (exact, no float). */
function thousandths(share: string | null): number {
  if (share === null) return 0;
  const [whole = '0', fraction = ''] = share.split('.');
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
}

/** round(count × (1 − share)), half up, in integers. */
export function netNewOfCount(count: number, share: string | null): number {
  return Math.floor((count * (1000 - thousandths(share)) + 500) / 1000);
}

/**
 * Net new varieties of each planned batch. Batches are taken in implementation order (then position), so a
 * name planned in two batches counts in the earlier one. Answers in the order given.
 */
export function matchPlannedBatches(
  batches: readonly PlannedBatchSpec[],
  covered: (type: ProductType) => ReadonlyMap<string, CoveredVariety>,
): BatchMatch[] {
  const planned = new Map<ProductType, Set<string>>();
  const order = [...batches].sort((a, b) => (a.implementationDate < b.implementationDate ? -1 : a.implementationDate > b.implementationDate ? 1 : a.position - b.position));
  const results = new Map<number, BatchMatch>();
  for (const batch of order) {
    if (batch.varieties === null) {
      const count = batch.varietyCount ?? 0;
      results.set(batch.position, { position: batch.position, basis: 'count', planned: count, netNewVarieties: netNewOfCount(count, batch.coveredShare), overlap: [], repeated: [] });
      continue;
    }
    const index = covered(batch.productType);
    let seen = planned.get(batch.productType);
    if (!seen) planned.set(batch.productType, (seen = new Set()));
    const match: BatchMatch = { position: batch.position, basis: 'list', planned: batch.varieties.length, netNewVarieties: 0, overlap: [], repeated: [] };
    for (const name of batch.varieties) {
      const key = genericMatchKey(name);
      const variety = index.get(key);
      if (variety) match.overlap.push({ name, variety });
      else if (seen.has(key)) match.repeated.push(name);
      else {
        seen.add(key);
        match.netNewVarieties += 1;
      }
    }
    results.set(batch.position, match);
  }
  return batches.map((b) => results.get(b.position)!);
}

/** A step up of the scenario's projection: `add` varieties from `date` on. */
export interface Step {
  date: IsoDate;
  add: number;
}

/** Met dates further out than this are reported as never (null): the targets' own horizon, 100 years. */
export const SCENARIO_HORIZON_DAYS = 36_525;

export interface StepProjectionInput {
  trend: Trend | null;
  current: number;
  count: number;
  asOf: IsoDate;
  dueOn: IsoDate;
  steps: readonly Step[];
  /** The baseline's met date, used when the target is met already (the day coverage reached it). */
  metOnIfMet: IsoDate | null;
}

export interface StepProjection {
  projectedAtDue: number | null;
  metOn: IsoDate | null;
  addedByDue: number;
}

/** The baseline projection at `date` (on or after asOf): the targets' own (`projectedAt`). */
export function baselineAt(trend: Trend | null, current: number, asOf: IsoDate, date: IsoDate): number {
  return projectedAt(trend, current, asOf, date);
}

/** Steps on their effective dates (a date already past counts from asOf), sorted. */
function effectiveSteps(steps: readonly Step[], asOf: IsoDate): Step[] {
  return steps
    .filter((s) => s.add > 0)
    .map((s) => ({ date: s.date < asOf ? asOf : s.date, add: s.add }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function scenarioAt(input: Pick<StepProjectionInput, 'trend' | 'current' | 'asOf' | 'steps'>, date: IsoDate): number {
  const added = effectiveSteps(input.steps, input.asOf).reduce((sum, s) => (s.date <= date ? sum + s.add : sum), 0);
  return round6(baselineAt(input.trend, input.current, input.asOf, date) + added);
}

/**
 * The scenario's projected count at the due date (null once it has passed, as the baseline's) and the first
 * day the baseline trend plus the steps reaches the count (null if never within SCENARIO_HORIZON_DAYS). With no
 * steps both equal the targets' own projection (calc/targets.ts `evaluateTarget`).
 */
export function projectWithSteps(input: StepProjectionInput): StepProjection {
  const { trend, current, count, asOf, dueOn } = input;
  const steps = effectiveSteps(input.steps, asOf);
  const addedByDue = input.steps.reduce((sum, s) => (s.date <= dueOn ? sum + s.add : sum), 0);
  const projectedAtDue = asOf > dueOn ? null : round6(baselineAt(trend, current, asOf, dueOn) + addedByDue);
  if (current >= count) return { projectedAtDue, metOn: input.metOnIfMet ?? asOf, addedByDue };

  const within = (date: IsoDate) => daysBetween(asOf, date) <= SCENARIO_HORIZON_DAYS;
  let added = 0;
  let start = asOf;
  for (let i = 0; ; ) {
    // the steps on `start` count from it
    while (i < steps.length && steps[i]!.date <= start) added += steps[i++]!.add;
    const next = steps[i]?.date;
    if (!within(start)) return { projectedAtDue, metOn: null, addedByDue };
    if (baselineAt(trend, current, asOf, start) + added >= count) return { projectedAtDue, metOn: start, addedByDue };
    if (trend !== null && trend.slopePerDay > 0) {
      const days = Math.max(0, Math.ceil((count - added - current) / trend.slopePerDay - 1e-9));
      const reached = addDays(asOf, days);
      if ((next === undefined || reached < next) && reached >= start) return { projectedAtDue, metOn: within(reached) ? reached : null, addedByDue };
    }
    if (next === undefined) return { projectedAtDue, metOn: null, addedByDue };
    start = next;
  }
}

/**
 * The two projections side by side for a chart: today, each month-end to the end, and each step (with the
 * day before it, so the step is drawn as one). The end is the due date or `until` (the latest day either
 * projection meets the target), whichever is later, so a plan that meets the target after its due date, or
 * a target whose due date has passed unmet, is drawn to where it is met. Empty when the end is before today.
 */
export function projectionPath(input: Omit<StepProjectionInput, 'count' | 'metOnIfMet'> & { until?: IsoDate | null }): { date: IsoDate; baseline: number; scenario: number }[] {
  const { asOf } = input;
  const end = input.until != null && input.until > input.dueOn ? input.until : input.dueOn;
  if (end < asOf) return [];
  const dates = new Set<IsoDate>([asOf, end]);
  for (const d of monthEnds(asOf, end)) if (d > asOf && d < end) dates.add(d);
  for (const s of effectiveSteps(input.steps, asOf)) {
    if (s.date > end) continue;
    dates.add(s.date);
    const before = addDays(s.date, -1);
    if (before > asOf) dates.add(before);
  }
  return [...dates].sort().map((date) => ({ date, baseline: baselineAt(input.trend, input.current, input.asOf, date), scenario: scenarioAt(input, date) }));
}
