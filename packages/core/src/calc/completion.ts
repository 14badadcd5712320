/** Completion of agreed volumes (完成率) against time progress (序时进度), and the warning rule. */
import { daysBetween, type IsoDate } from '@vbp/contracts/dates';
import { DEFAULT_PROGRESS_WARNING_THRESHOLD } from '@vbp/contracts/enums';
import { Dec, ZERO, toFraction } from './decimal';
import { formatUnits, fraction6, fractionDigits, gcd, pow10, roundDiv, toUnits } from './exact';

/** Quantities are stored with 3 decimals (numeric(18,3)); expected quantities are rounded to match. */
const QUANTITY_DECIMALS = 3;

/**
 * Time progress as an exact fraction: whole days elapsed, counting `date` itself (on the first day one
 * day has passed; on the last day, all of them), over the days of the period, both ends inclusive.
 * 0 before the start and 1 after the end. A period ending before it starts counts as over once `date`
 * reaches its start.
 */
function timeProgressDecimal(periodStart: IsoDate, periodEnd: IsoDate, date: IsoDate): Dec {
  if (date < periodStart) return ZERO;
  const total = daysBetween(periodStart, periodEnd) + 1;
  const elapsed = daysBetween(periodStart, date) + 1;
  if (total <= 0 || elapsed >= total) return new Dec(1);
  return new Dec(elapsed).div(total);
}

/** Share of the contract year elapsed at `date` (see `timeProgressDecimal`), rounded to 6 decimals. */
export function timeProgress(periodStart: IsoDate, periodEnd: IsoDate, date: IsoDate): number {
  return toFraction(timeProgressDecimal(periodStart, periodEnd, date));
}

/** Purchased / agreed; null when nothing (or a nonsensical negative volume) was agreed. May exceed 1. */
export function completionRate(purchased: string, agreed: string): number | null {
  const a = new Dec(agreed);
  return a.lte(0) ? null : toFraction(new Dec(purchased).div(a));
}

/** The threshold when neither the request nor the province's settings give one (packages/core/src/settings.ts). */
export const DEFAULT_WARNING_THRESHOLD = DEFAULT_PROGRESS_WARNING_THRESHOLD;

/**
 * The warning rule: completion below time progress × threshold (default 0.8; hospitals buy unevenly
 * through the year, so only a clear lag is flagged). No completion (nothing agreed) is never behind.
 */
export function isBehind(
  completion: number | null,
  timeProgress: number,
  threshold: number = DEFAULT_WARNING_THRESHOLD,
): boolean {
  return completion !== null && completion < timeProgress * threshold;
}

// A type alias, not an interface, so rows loaded with selectRows<CompletionRow>() satisfy Record<string, unknown>.
export type CompletionRow = {
  key: string;
  purchased: string;
  agreed: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
};

export interface CompletionRollup {
  key: string;
  purchased: string;
  agreed: string;
  /** Σ agreed × time progress of each row's own period: what should have been bought by `date`. */
  expected: string;
  completion: number | null;
  timeProgress: number;
  behind: boolean;
  rows: number;
}

/**
 * Rows (hospital × variety × contract year) rolled up by `key` (a hospital, city, province or batch).
 * Rows may have different contract periods, so time progress is not averaged plainly: expected =
 * Σ agreed × time progress per row, the rollup's time progress = expected / agreed (agreed-weighted;
 * the plain mean of the rows' progress when nothing is agreed), and the rollup is behind when
 * purchased < expected × threshold, which is `isBehind` with those figures. Sums are exact decimals;
 * `expected` is rounded to 3 decimals like stored quantities. Sorted by key.
 */
export function rollUpCompletion(
  rows: readonly CompletionRow[],
  date: IsoDate,
  threshold: number = DEFAULT_WARNING_THRESHOLD,
): CompletionRollup[] {
  return rollUpWithTotal(rows, date, threshold).items;
}

/**
 * `rollUpCompletion`, and the rollup of all the rows as one (`total`, null without rows) summed from the
 * keys' sums: the same figures as rolling every row up again under one key, for a second pass's cost.
 *
 * Exact integer arithmetic (calc/exact.ts): quantities in units of their smallest decimal, each period's
 * progress as the fraction elapsed / total days over the least common multiple of the periods' lengths, so
 * `expected` is one exact fraction per key and every figure is rounded once, at the end.
 */
export function rollUpWithTotal(
  rows: readonly CompletionRow[],
  date: IsoDate,
  threshold: number = DEFAULT_WARNING_THRESHOLD,
): { items: CompletionRollup[]; total: CompletionRollup | null } {
  let scale = 0;
  for (const row of rows) scale = Math.max(scale, fractionDigits(row.purchased), fractionDigits(row.agreed));
  const units = rows.map((r) => ({ key: r.key, purchased: toUnits(r.purchased, scale), agreed: toUnits(r.agreed, scale), periodStart: r.periodStart, periodEnd: r.periodEnd }));
  return rollUpUnits(units, scale, date, threshold);
}

/** A CompletionRow with its quantities in units of 10^-scale (calc/exact.ts). */
type CompletionUnitRow = { key: string; purchased: bigint; agreed: bigint; periodStart: IsoDate; periodEnd: IsoDate };

/**
 * `rollUpWithTotal` of rows whose quantities are already integers of 10^-`scale` units (the quantities print
 * without trailing zeros whatever the scale): summed per key and contract period, weighted, judged, printed.
 */
function rollUpUnits(
  rows: readonly CompletionUnitRow[],
  scale: number,
  date: IsoDate,
  threshold: number,
): { items: CompletionRollup[]; total: CompletionRollup | null } {
  const sums = new PeriodSums();
  for (const row of rows) sums.add(row.key, row, row.purchased, row.agreed);
  const weights = periodWeights(sums.periods, date);
  const { items, total } = judge(
    sums.keys().map((k) => weigh(k, weights)),
    weights.lcm,
    threshold,
  );
  return { items: items.map((j) => printRollup(j, weights.lcm, scale)), total: total && printRollup(total, weights.lcm, scale) };
}

/** Rows summed per key and contract period, to be weighted (`weigh`). */
export class PeriodSums {
  readonly periods: ContractPeriod[] = [];
  private readonly index = new Map<string, number>();
  private readonly byKey = new Map<string, { key: string; purchased: bigint; agreed: bigint[]; rows: number[] }>();

  /** Adds a row of `key` in `period`; true when the key is new. */
  add(key: string, period: ContractPeriod, purchased: bigint, agreed: bigint): boolean {
    const name = `${period.periodStart}/${period.periodEnd}`;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.periods.push({ periodStart: period.periodStart, periodEnd: period.periodEnd }) - 1;
      this.index.set(name, i);
      for (const k of this.byKey.values()) {
        k.agreed.push(0n);
        k.rows.push(0);
      }
    }
    let k = this.byKey.get(key);
    const isNew = k === undefined;
    if (!k) {
      k = { key, purchased: 0n, agreed: this.periods.map(() => 0n), rows: this.periods.map(() => 0) };
      this.byKey.set(key, k);
    }
    k.purchased += purchased;
    k.agreed[i]! += agreed;
    k.rows[i]! += 1;
    return isNew;
  }

  keys(): PeriodSumsRow[] {
    return [...this.byKey.values()];
  }
}

/** A contract period (both ends inclusive). */
export type ContractPeriod = { periodStart: IsoDate; periodEnd: IsoDate };

/**
 * A key's sums: purchased, and per contract period (by its index in `PeriodSums.periods`)
 * the volume agreed and the number of rows summed (0: none in that period). Quantities in 10^-scale units.
 */
export type PeriodSumsRow = { key: string; purchased: bigint; agreed: readonly bigint[]; rows: readonly number[] };

/**
 * The contract periods' time progress at a date as integers over one common denominator: period i's
 * progress is weights[i] / lcm (lcm: the least common multiple of the periods' lengths in days).
 */
export type PeriodWeights = { weights: bigint[]; lcm: bigint };

export function periodWeights(periods: readonly ContractPeriod[], date: IsoDate): PeriodWeights {
  const progress = periods.map((p) => progressOf(p.periodStart, p.periodEnd, date));
  let lcm = 1n;
  for (const p of progress) lcm = (lcm / gcd(lcm, p.total)) * p.total;
  return { weights: progress.map((p) => (p.elapsed * lcm) / p.total), lcm };
}

/**
 * A key's sums with its periods' progress applied, over the weights' `lcm`: `expected` = Σ agreed × weight
 * (what should have been bought), `progress` = Σ weight per row summed (the plain mean of the rows' progress
 * when nothing is agreed). Quantities in 10^-scale units. The summaries weigh in SQL (queries/execution.ts).
 */
export type WeightedSums = { key: string; purchased: bigint; agreed: bigint; expected: bigint; progress: bigint; rows: number };

/** A key's per-period sums weighted (see WeightedSums). */
export function weigh(k: PeriodSumsRow, { weights }: PeriodWeights): WeightedSums {
  const sums: WeightedSums = { key: k.key, purchased: k.purchased, agreed: 0n, expected: 0n, progress: 0n, rows: 0 };
  for (let i = 0; i < weights.length; i++) {
    const rows = k.rows[i]!;
    if (rows === 0) continue;
    const agreed = k.agreed[i]!;
    sums.agreed += agreed;
    sums.expected += agreed * weights[i]!;
    sums.progress += BigInt(rows) * weights[i]!;
    sums.rows += rows;
  }
  return sums;
}

/** A weighted key judged: its figures as numbers, its quantities not yet printed (`printRollup`). */
export type Judged = Pick<CompletionRollup, 'completion' | 'timeProgress' | 'behind'> & { sums: WeightedSums };

/**
 * Completion, time progress and behind of each key and of all of them (`total`, null without keys), items
 * sorted by key, before the quantities are printed, so that a province's
 * thousands of keys are sorted and counted and only the ones shown are printed.
 */
export function judge(keys: readonly WeightedSums[], lcm: bigint, threshold: number = DEFAULT_WARNING_THRESHOLD): { items: Judged[]; total: Judged | null } {
  const limit = new Dec(threshold).toFixed();
  const thresholdUnits = toUnits(limit, fractionDigits(limit));
  const thresholdScale = pow10(fractionDigits(limit));
  const judged = (g: WeightedSums): Judged => ({
    sums: g,
    completion: g.agreed > 0n ? fraction6(g.purchased, g.agreed) : null,
    timeProgress: g.agreed > 0n ? fraction6(g.expected, lcm * g.agreed) : fraction6(g.progress, lcm * BigInt(g.rows)),
    // purchased < expected × threshold, both sides over lcm × 10^decimals of the threshold
    behind: g.purchased * lcm * thresholdScale < g.expected * thresholdUnits,
  });
  const all: WeightedSums = { key: 'all', purchased: 0n, agreed: 0n, expected: 0n, progress: 0n, rows: 0 };
  for (const g of keys) {
    all.purchased += g.purchased;
    all.agreed += g.agreed;
    all.expected += g.expected;
    all.progress += g.progress;
    all.rows += g.rows;
  }
  const items = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(judged);
  return { items, total: all.rows > 0 ? judged(all) : null };
}

/** A judged key with its quantities printed (expected rounded to 3 decimals like stored quantities). */
export function printRollup({ sums: g, completion, timeProgress, behind }: Judged, lcm: bigint, scale: number): CompletionRollup {
  return {
    key: g.key,
    purchased: formatUnits(g.purchased, scale),
    agreed: formatUnits(g.agreed, scale),
    // expected (in units) = g.expected / lcm
    expected: formatUnits(roundDiv(g.expected * pow10(QUANTITY_DECIMALS), lcm * pow10(scale)), QUANTITY_DECIMALS, QUANTITY_DECIMALS),
    completion,
    timeProgress,
    behind,
    rows: g.rows,
  };
}


/** Time progress as elapsed / total whole days (see timeProgressDecimal), as integers. */
function progressOf(periodStart: IsoDate, periodEnd: IsoDate, date: IsoDate): { elapsed: bigint; total: bigint } {
  if (date < periodStart) return { elapsed: 0n, total: 1n };
  const total = daysBetween(periodStart, periodEnd) + 1;
  const elapsed = daysBetween(periodStart, date) + 1;
  if (total <= 0 || elapsed >= total) return { elapsed: 1n, total: 1n };
  return { elapsed: BigInt(elapsed), total: BigInt(total) };
}
