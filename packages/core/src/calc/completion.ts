/** Completion of agreed volumes (完成率) against time progress (序时进度), and the warning rule. */
import { daysBetween, type IsoDate } from '@vbp/contracts/dates';
import { DEFAULT_PROGRESS_WARNING_THRESHOLD } from '@vbp/contracts/enums';
import { Dec, ZERO, toFraction, toPlain } from './decimal';

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

type Sums = { purchased: Dec; agreed: Dec; expected: Dec; progressSum: Dec; rows: number };

/**
 * `rollUpCompletion`, and the rollup of all the rows as one (`total`, null without rows) summed from the
 * keys' sums: the same figures as rolling every row up again under one key, for a second pass's cost.
 */
export function rollUpWithTotal(
  rows: readonly CompletionRow[],
  date: IsoDate,
  threshold: number = DEFAULT_WARNING_THRESHOLD,
): { items: CompletionRollup[]; total: CompletionRollup | null } {
  const groups = new Map<string, Sums>();
  // a province's rows share a few dozen contract periods: each period's progress is computed once
  const progressOf = new Map<string, Dec>();
  for (const row of rows) {
    const period = `${row.periodStart}/${row.periodEnd}`;
    let progress = progressOf.get(period);
    if (progress === undefined) {
      progress = timeProgressDecimal(row.periodStart, row.periodEnd, date);
      progressOf.set(period, progress);
    }
    const agreed = new Dec(row.agreed);
    let g = groups.get(row.key);
    if (!g) {
      g = { purchased: ZERO, agreed: ZERO, expected: ZERO, progressSum: ZERO, rows: 0 };
      groups.set(row.key, g);
    }
    g.purchased = g.purchased.plus(row.purchased);
    g.agreed = g.agreed.plus(agreed);
    g.expected = g.expected.plus(agreed.times(progress));
    g.progressSum = g.progressSum.plus(progress);
    g.rows += 1;
  }

  const finish = (key: string, g: Sums): CompletionRollup => {
    const progress = g.agreed.gt(0) ? g.expected.div(g.agreed) : g.progressSum.div(g.rows);
    return {
      key,
      purchased: toPlain(g.purchased),
      agreed: toPlain(g.agreed),
      expected: toPlain(g.expected, QUANTITY_DECIMALS),
      completion: g.agreed.gt(0) ? toFraction(g.purchased.div(g.agreed)) : null,
      timeProgress: toFraction(progress),
      behind: g.purchased.lt(g.expected.times(threshold)),
      rows: g.rows,
    };
  };
  const all: Sums = { purchased: ZERO, agreed: ZERO, expected: ZERO, progressSum: ZERO, rows: 0 };
  for (const g of groups.values()) {
    all.purchased = all.purchased.plus(g.purchased);
    all.agreed = all.agreed.plus(g.agreed);
    all.expected = all.expected.plus(g.expected);
    all.progressSum = all.progressSum.plus(g.progressSum);
    all.rows += g.rows;
  }
  const items = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => finish(key, g));
  return { items, total: all.rows > 0 ? finish('all', all) : null };
}
