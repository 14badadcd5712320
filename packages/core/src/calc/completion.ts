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
export type CompletionUnitRow = { key: string; purchased: bigint; agreed: bigint; periodStart: IsoDate; periodEnd: IsoDate };

/**
 * `rollUpWithTotal` of rows whose quantities are already integers of 10^-`scale` units (the summaries keep
 * thousandths: a province's 22,000 rows are not printed as decimals to be parsed again). The same figures:
 * the quantities print without trailing zeros whatever the scale.
 */
export function rollUpUnits(
  rows: readonly CompletionUnitRow[],
  scale: number,
  date: IsoDate,
  threshold: number = DEFAULT_WARNING_THRESHOLD,
): { items: CompletionRollup[]; total: CompletionRollup | null } {
  // a province's rows share a few dozen contract periods: each period's progress is worked out once
  const periods = new Map<string, { elapsed: bigint; total: bigint; weight: bigint }>();
  let lcm = 1n;
  for (const row of rows) {
    const period = `${row.periodStart}/${row.periodEnd}`;
    if (periods.has(period)) continue;
    const p = progressOf(row.periodStart, row.periodEnd, date);
    periods.set(period, { ...p, weight: 0n });
    lcm = (lcm / gcd(lcm, p.total)) * p.total;
  }
  // progress = elapsed × weight / lcm, weight = lcm / total
  for (const p of periods.values()) p.weight = (p.elapsed * lcm) / p.total;

  const groups = new Map<string, Sums>();
  for (const row of rows) {
    const progress = periods.get(`${row.periodStart}/${row.periodEnd}`)!.weight;
    const agreed = row.agreed;
    let g = groups.get(row.key);
    if (!g) {
      g = { purchased: 0n, agreed: 0n, expected: 0n, progress: 0n, rows: 0 };
      groups.set(row.key, g);
    }
    g.purchased += row.purchased;
    g.agreed += agreed;
    g.expected += agreed * progress;
    g.progress += progress;
    g.rows += 1;
  }

  const limit = new Dec(threshold).toFixed();
  const thresholdUnits = toUnits(limit, fractionDigits(limit));
  const thresholdScale = pow10(fractionDigits(limit));
  const finish = (key: string, g: Sums): CompletionRollup => {
    // expected (in units) = g.expected / lcm
    const progress = g.agreed > 0n ? fraction6(g.expected, lcm * g.agreed) : fraction6(g.progress, lcm * BigInt(g.rows));
    return {
      key,
      purchased: formatUnits(g.purchased, scale),
      agreed: formatUnits(g.agreed, scale),
      expected: formatUnits(roundDiv(g.expected * pow10(QUANTITY_DECIMALS), lcm * pow10(scale)), QUANTITY_DECIMALS, QUANTITY_DECIMALS),
      completion: g.agreed > 0n ? fraction6(g.purchased, g.agreed) : null,
      timeProgress: progress,
      // purchased < expected × threshold, both sides over lcm × 10^decimals of the threshold
      behind: g.purchased * lcm * thresholdScale < g.expected * thresholdUnits,
      rows: g.rows,
    };
  };
  const all: Sums = { purchased: 0n, agreed: 0n, expected: 0n, progress: 0n, rows: 0 };
  for (const g of groups.values()) {
    all.purchased += g.purchased;
    all.agreed += g.agreed;
    all.expected += g.expected;
    all.progress += g.progress;
    all.rows += g.rows;
  }
  const items = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => finish(key, g));
  return { items, total: all.rows > 0 ? finish('all', all) : null };
}

/** Sums of a key in units of the rollup's scale; `expected` and `progress` over the periods' common multiple. */
type Sums = { purchased: bigint; agreed: bigint; expected: bigint; progress: bigint; rows: number };

/** Time progress as elapsed / total whole days (see timeProgressDecimal), as integers. */
function progressOf(periodStart: IsoDate, periodEnd: IsoDate, date: IsoDate): { elapsed: bigint; total: bigint } {
  if (date < periodStart) return { elapsed: 0n, total: 1n };
  const total = daysBetween(periodStart, periodEnd) + 1;
  const elapsed = daysBetween(periodStart, date) + 1;
  if (total <= 0 || elapsed >= total) return { elapsed: 1n, total: 1n };
  return { elapsed: BigInt(elapsed), total: BigInt(total) };
}
