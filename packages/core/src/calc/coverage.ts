/**
 * Coverage: how many distinct varieties (or categories) the batches implemented in a region cover at a
 * date. Input is one fact per batch × variety as implemented in the region; the caller has already chosen
 * the batches that apply (national ones, the alliances the region belongs to, its own).
 */
import type { IsoDate } from '@vbp/contracts/dates';
import type { BatchLevel, TargetUnit, VarietyOutcome } from '@vbp/contracts/enums';

// A type alias, not an interface, so rows loaded with selectRows<CoverageFact>() satisfy Record<string, unknown>.
export type CoverageFact = {
  batchCode: string;
  level: BatchLevel;
  varietyId: number;
  categoryId: number | null;
  isPlaceholder: boolean;
  outcome: VarietyOutcome; // 'selected' | 'failed'
  /** Implementation start in the region. */
  startOn: IsoDate;
  /** Null = unknown. */
  contractEndOn: IsoDate | null;
  /** The start date was estimated by a rule, not taken from a document. */
  estimated: boolean;
};

export interface ByLevelCount {
  national: number;
  alliance: number;
  provincial: number;
}

export interface CoverageBatchCount {
  code: string;
  level: BatchLevel;
  startOn: IsoDate;
  estimated: boolean;
  count: number;
}

export interface CoverageCount {
  cumulative: number;
  inForce: number;
  inForceUnknownEnd: number;
  byLevel: ByLevelCount;
  placeholders: number;
  batches: CoverageBatchCount[];
}

export interface CoveragePoint {
  date: IsoDate;
  cumulative: number;
  inForce: number;
  byLevel: ByLevelCount;
}

/** Same-day ties in level attribution go to the higher tier: national, then alliance, then provincial. */
const LEVEL_RANK: Record<BatchLevel, number> = { national: 0, alliance: 1, provincial: 2 };

/**
 * The unit a fact counts towards: its variety, or its category (facts without a category cannot count
 * towards a category target, so they are ignored there).
 */
function unitKey(fact: CoverageFact, unit: TargetUnit): number | null {
  return unit === 'variety' ? fact.varietyId : fact.categoryId;
}

/**
 * Whether `a` covered its unit before `b`: earlier start first, then the higher tier. A stable order so
 * that every unit is attributed to exactly one level and the levels sum to the cumulative count.
 */
function coversBefore(a: CoverageFact, b: CoverageFact): boolean {
  if (a.startOn !== b.startOn) return a.startOn < b.startOn;
  return LEVEL_RANK[a.level] < LEVEL_RANK[b.level];
}

/** Code-unit order, which for ISO dates is date order (localeCompare would depend on the locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyByLevel(): ByLevelCount {
  return { national: 0, alliance: 0, provincial: 0 };
}

interface UnitState {
  first: CoverageFact;
  allPlaceholders: boolean;
  runningKnownEnd: boolean;
  runningUnknownEnd: boolean;
}

interface BatchState {
  code: string;
  level: BatchLevel;
  startOn: IsoDate;
  estimated: boolean;
  units: Set<number>;
}

/**
 * Coverage at `date`.
 *
 * - A fact counts when its variety was selected (a failed tender, 流标, covers nothing) and the batch
 *   started in the region on or before `date`. Units are distinct: the 4+7 pilot and its expansion, or a
 *   batch and its renewal, cover their shared varieties once.
 * - `inForce`: units with a counting fact whose contract runs at `date` (end on or after `date`; an
 *   unknown end is taken as running, and `inForceUnknownEnd` says how many rest on that assumption only).
 * - `byLevel`: each unit goes to the level of the fact that covered it first (see `coversBefore`), so
 *   the three levels sum to `cumulative`.
 * - `placeholders`: counted units whose counting facts are all placeholder varieties (list not loaded).
 * - `batches`: every batch with a counting fact and its distinct units (a unit may appear in several);
 *   a batch's `startOn` is its earliest counting start and `estimated` is true if that start was estimated.
 *   Sorted by start, then code.
 */
export function computeCoverage(facts: readonly CoverageFact[], date: IsoDate, unit: TargetUnit): CoverageCount {
  const units = new Map<number, UnitState>();
  const batches = new Map<string, BatchState>();

  for (const fact of facts) {
    const key = unitKey(fact, unit);
    if (key === null || fact.outcome !== 'selected' || fact.startOn > date) continue;

    const state = units.get(key);
    const knownRunning = fact.contractEndOn !== null && fact.contractEndOn >= date;
    const unknownRunning = fact.contractEndOn === null;
    if (state === undefined) {
      units.set(key, {
        first: fact,
        allPlaceholders: fact.isPlaceholder,
        runningKnownEnd: knownRunning,
        runningUnknownEnd: unknownRunning,
      });
    } else {
      if (coversBefore(fact, state.first)) state.first = fact;
      state.allPlaceholders &&= fact.isPlaceholder;
      state.runningKnownEnd ||= knownRunning;
      state.runningUnknownEnd ||= unknownRunning;
    }

    const batch = batches.get(fact.batchCode);
    if (batch === undefined) {
      batches.set(fact.batchCode, {
        code: fact.batchCode,
        level: fact.level,
        startOn: fact.startOn,
        estimated: fact.estimated,
        units: new Set([key]),
      });
    } else {
      batch.units.add(key);
      if (fact.startOn < batch.startOn) {
        batch.startOn = fact.startOn;
        batch.estimated = fact.estimated;
      } else if (fact.startOn === batch.startOn) {
        batch.estimated ||= fact.estimated;
      }
    }
  }

  const byLevel = emptyByLevel();
  let inForce = 0;
  let inForceUnknownEnd = 0;
  let placeholders = 0;
  for (const state of units.values()) {
    byLevel[state.first.level] += 1;
    if (state.runningKnownEnd || state.runningUnknownEnd) inForce += 1;
    if (!state.runningKnownEnd && state.runningUnknownEnd) inForceUnknownEnd += 1;
    if (state.allPlaceholders) placeholders += 1;
  }

  const batchCounts = [...batches.values()]
    .map((b) => ({ code: b.code, level: b.level, startOn: b.startOn, estimated: b.estimated, count: b.units.size }))
    .sort((a, b) => compareText(a.startOn, b.startOn) || compareText(a.code, b.code));

  return { cumulative: units.size, inForce, inForceUnknownEnd, byLevel, placeholders, batches: batchCounts };
}

interface Interval {
  start: IsoDate;
  end: IsoDate | null; // null = open (unknown end)
}

/** Overlapping contract periods of one unit merged, so a unit is in force at most once at any date. */
function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals
    .filter((i) => i.end === null || i.end >= i.start) // an end before the start never runs
    .sort((a, b) => compareText(a.start, b.start));
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && (last.end === null || next.start <= last.end)) {
      if (last.end !== null) last.end = next.end === null || next.end > last.end ? next.end : last.end;
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}

/**
 * Coverage at each of `dates` (returned in the order given), with the same rules as `computeCoverage`.
 *
 * Computed in one sweep instead of once per date: a unit enters `cumulative` at its first covering start;
 * it is in force on the union of its contract periods, so each merged period adds one from its start and
 * takes it away after its end. O((n + m) log(n + m)) for n facts and m dates.
 */
export function coverageSeries(facts: readonly CoverageFact[], dates: readonly IsoDate[], unit: TargetUnit): CoveragePoint[] {
  const first = new Map<number, CoverageFact>();
  const periods = new Map<number, Interval[]>();
  for (const fact of facts) {
    const key = unitKey(fact, unit);
    if (key === null || fact.outcome !== 'selected') continue;
    const current = first.get(key);
    if (current === undefined || coversBefore(fact, current)) first.set(key, fact);
    const list = periods.get(key);
    const period = { start: fact.startOn, end: fact.contractEndOn };
    if (list === undefined) periods.set(key, [period]);
    else list.push(period);
  }

  const firsts = [...first.values()].sort((a, b) => compareText(a.startOn, b.startOn));
  const starts: IsoDate[] = [];
  const ends: IsoDate[] = [];
  for (const list of periods.values()) {
    for (const period of mergeIntervals(list)) {
      starts.push(period.start);
      if (period.end !== null) ends.push(period.end);
    }
  }
  starts.sort();
  ends.sort();

  const order = dates.map((_, i) => i).sort((a, b) => compareText(dates[a] as IsoDate, dates[b] as IsoDate));

  const out: CoveragePoint[] = new Array<CoveragePoint>(dates.length);
  const byLevel = emptyByLevel();
  let cumulative = 0;
  let iFirst = 0;
  let iStart = 0;
  let iEnd = 0;
  for (const index of order) {
    const date = dates[index] as IsoDate;
    for (let f = firsts[iFirst]; f !== undefined && f.startOn <= date; f = firsts[++iFirst]) {
      cumulative += 1;
      byLevel[f.level] += 1;
    }
    while (iStart < starts.length && (starts[iStart] as IsoDate) <= date) iStart += 1;
    while (iEnd < ends.length && (ends[iEnd] as IsoDate) < date) iEnd += 1;
    out[index] = { date, cumulative, inForce: iStart - iEnd, byLevel: { ...byLevel } };
  }
  return out;
}

/**
 * The date cumulative coverage first reached `count` units (the day the `count`-th distinct unit was
 * first covered), or null if it never has. Cumulative coverage only grows, so this is exact, unlike a
 * reading of month-end points.
 */
export function dateReached(facts: readonly CoverageFact[], count: number, unit: TargetUnit): IsoDate | null {
  if (count <= 0) return null;
  const firstCovered = new Map<number, IsoDate>();
  for (const fact of facts) {
    const key = unitKey(fact, unit);
    if (key === null || fact.outcome !== 'selected') continue;
    const known = firstCovered.get(key);
    if (known === undefined || fact.startOn < known) firstCovered.set(key, fact.startOn);
  }
  const dates = [...firstCovered.values()].sort(compareText);
  return dates[count - 1] ?? null;
}
