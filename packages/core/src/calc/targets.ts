/**
 * Targets: the goal line from the baseline to the target count, a trend fitted to recent coverage, and
 * the status that combines them.
 */
import { addDays, addMonths, daysBetween, monthEnd, monthEnds, type IsoDate } from '@vbp/contracts/dates';
import type { TargetStatus } from '@vbp/contracts/enums';
import { round6 } from './decimal';
import { leastSquares } from './linear';

export interface TargetSpec {
  count: number;
  setOn: IsoDate;
  dueOn: IsoDate;
  /** Coverage on `setOn`. */
  baseline: number;
}

export interface SeriesPoint {
  date: IsoDate;
  value: number;
}

/**
 * The goal line at `date`: a straight line from (setOn, baseline) to (dueOn, count), so the expected
 * value rises with time instead of standing flat at the target. Baseline before `setOn`, count from
 * `dueOn` on. A target due on or before the day it was set jumps straight to its count on `dueOn`.
 */
export function expectedAt(t: TargetSpec, date: IsoDate): number {
  const span = daysBetween(t.setOn, t.dueOn);
  if (date >= t.dueOn) return t.count;
  if (span <= 0 || date <= t.setOn) return t.baseline;
  return round6(t.baseline + ((t.count - t.baseline) * daysBetween(t.setOn, date)) / span);
}

/**
 * The goal line as chart points: `setOn`, every month-end strictly between, and `dueOn`. Straight
 * between points, so this is exact; the month-ends let a tooltip read it beside monthly coverage.
 * A target due on or before the day it was set is one point at its due date.
 */
export function expectedPath(t: TargetSpec): SeriesPoint[] {
  if (t.dueOn <= t.setOn) return [{ date: t.dueOn, value: t.count }];
  const points: SeriesPoint[] = [{ date: t.setOn, value: t.baseline }];
  for (const date of monthEnds(t.setOn, t.dueOn)) {
    if (date > t.setOn && date < t.dueOn) points.push({ date, value: expectedAt(t, date) });
  }
  points.push({ date: t.dueOn, value: t.count });
  return points;
}

export interface Trend {
  slopePerDay: number;
  valueAt(date: IsoDate): number;
  /** Points the line was fitted to. */
  points: number;
  /** Dates of the earliest and latest point fitted. */
  from: IsoDate;
  to: IsoDate;
}

export const DEFAULT_TREND_WINDOW_MONTHS = 24;

/**
 * Least-squares line through the series points in (asOf − windowMonths, asOf] (the last 24 months by
 * default: recent enough to reflect the current pace of new batches, long enough to span several).
 * Null with fewer than two points in the window or all of them on one date. Points after `asOf` are
 * ignored, so a series that already holds scheduled batches does not leak the future into the trend.
 * Months count end-of-month to end-of-month when asOf is a month-end (6 months before 06-30 is 12-31, not
 * 12-30), so a monthly series always has exactly `windowMonths` points in the window.
 */
export function fitTrend(
  series: readonly SeriesPoint[],
  asOf: IsoDate,
  windowMonths: number = DEFAULT_TREND_WINDOW_MONTHS,
): Trend | null {
  const after = asOf === monthEnd(asOf) ? monthEnd(addMonths(asOf, -windowMonths)) : addMonths(asOf, -windowMonths);
  const used = series.filter((p) => p.date > after && p.date <= asOf);
  // x = days from asOf: small numbers keep the fit well conditioned.
  const line = leastSquares(used.map((p) => ({ x: daysBetween(asOf, p.date), y: p.value })));
  if (line === null) return null;
  let from = asOf;
  let to = after;
  for (const p of used) {
    if (p.date < from) from = p.date;
    if (p.date > to) to = p.date;
  }
  return {
    slopePerDay: line.slope,
    valueAt: (date) => round6(line.intercept + line.slope * daysBetween(asOf, date)),
    points: used.length,
    from,
    to,
  };
}

export interface TargetEvaluation {
  fraction: number;
  expectedNow: number;
  projectedAtDue: number | null;
  projectedMetOn: IsoDate | null;
  status: TargetStatus;
  statusReason: string;
  statusReasonZh: string;
}

export const DEFAULT_AT_RISK_RATIO = 0.9;

/** A trend that reaches the target more than a century out is reported as never (null). */
const MAX_PROJECTION_DAYS = 36_525;
const DAYS_PER_MONTH = 365.25 / 12;

/** First series date on or before `asOf` whose value reached `count`. */
function firstReached(series: readonly SeriesPoint[], count: number, asOf: IsoDate): IsoDate | null {
  let found: IsoDate | null = null;
  for (const p of series) {
    if (p.date <= asOf && p.value >= count && (found === null || p.date < found)) found = p.date;
  }
  return found;
}

/** The day the trend line reaches `count`, never before `asOf`; null unless the trend rises. */
/**
 * The projection at `date` (on or after asOf): today's value carried forward by what the trend adds from
 * asOf to `date`. Anchored at the actual value, not at the fitted line, which may lie above or below it;
 * never below today's value (coverage does not fall).
 */
export function projectedAt(trend: Trend | null, current: number, asOf: IsoDate, date: IsoDate): number {
  if (trend === null) return round6(current);
  return round6(current + Math.max(0, trend.valueAt(date) - trend.valueAt(asOf)));
}

/**
 * When a target not met yet is reached at the trend's pace, counted from the current value (not from the
 * fitted line, which may already be past the count while the value is not): never asOf itself.
 */
function trendReaches(trend: Trend | null, count: number, current: number, asOf: IsoDate): IsoDate | null {
  if (trend === null || !(trend.slopePerDay > 0)) return null;
  const days = Math.max(1, Math.ceil((count - current) / trend.slopePerDay - 1e-9));
  return days > MAX_PROJECTION_DAYS ? null : addDays(asOf, days);
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** How the projection was made, for the status reasons. */
function describePace(trend: Trend | null, projected: number, dueOn: IsoDate): { en: string; zh: string } {
  if (trend === null) {
    return {
      en: 'with no trend to project from (fewer than two data points in the window), the projection stays at the current value',
      zh: '近期数据不足两个时点，无法拟合趋势，预计值按当前值计',
    };
  }
  const perMonth = trend.slopePerDay * DAYS_PER_MONTH;
  const flat = Math.abs(perMonth) < 0.05;
  const rate = `${perMonth >= 0 ? '+' : '−'}${Math.abs(perMonth).toFixed(1)}`;
  const window = `${trend.points} points from ${trend.from} to ${trend.to}`;
  const windowZh = `${trend.from} 至 ${trend.to} 共 ${trend.points} 个时点`;
  return {
    en: `the trend over ${window} (${flat ? 'flat' : `${rate} a month`}) projects ${num(projected)} by ${dueOn}`,
    zh: `按 ${windowZh}的趋势（${flat ? '持平' : `每月 ${rate}`}），预计 ${dueOn} 达到 ${num(projected)}`,
  };
}

/**
 * Progress of a target at `asOf`, with the status decided in this order:
 * 1. `met` when current ≥ count (projectedMetOn = the first series date on or before asOf that reached
 *    the count, else asOf);
 * 2. `behind` when asOf is after dueOn: the due date passed without meeting it;
 * 3. `on_track` when the projection at the due date reaches the count. Projection = current + what the trend
 *    adds from asOf to dueOn (`projectedAt`: anchored at today's value, never below it); without a trend
 *    (see `fitTrend`) it is the current value;
 * 4. `at_risk` when the projection reaches at least `atRiskRatio` (default 0.9) of the count, or current is
 *    on or above the goal line today (`expectedAt`): short, but close or still on schedule;
 * 5. `behind` otherwise.
 * projectedMetOn when not met: the day the count is reached from the current value at the trend's pace, if
 * it rises (at the earliest the day after asOf), else null. projectedAtDue is null once the due date has passed (nothing is left to project).
 * fraction = current / count (1 for a target of 0). `statusReason` / `statusReasonZh` give the case
 * with its numbers, in English and Simplified Chinese.
 */
export function evaluateTarget(input: {
  target: TargetSpec;
  current: number;
  series: readonly SeriesPoint[];
  asOf: IsoDate;
  atRiskRatio?: number;
}): TargetEvaluation {
  const { target, current, series, asOf } = input;
  const ratio = input.atRiskRatio ?? DEFAULT_AT_RISK_RATIO;
  const { count, dueOn } = target;
  const fraction = count > 0 ? round6(current / count) : 1;
  const expectedNow = expectedAt(target, asOf);
  const trend = fitTrend(series, asOf);
  const duePassed = asOf > dueOn;
  const projected = projectedAt(trend, current, asOf, dueOn);
  const projectedAtDue = duePassed ? null : projected;
  const base = { fraction, expectedNow, projectedAtDue };

  if (current >= count) {
    const metOn = firstReached(series, count, asOf) ?? asOf;
    return {
      ...base,
      projectedMetOn: metOn,
      status: 'met',
      statusReason: `Met: ${num(current)} against a target of ${num(count)} (${pct(fraction)}), reached by ${metOn}.`,
      statusReasonZh: `已完成：当前 ${num(current)}，目标 ${num(count)}（完成 ${pct(fraction)}），${metOn} 已达到。`,
    };
  }

  const projectedMetOn = trendReaches(trend, count, current, asOf);
  const metText = projectedMetOn === null ? '' : `; at the current pace it is reached around ${projectedMetOn}`;
  const metTextZh = projectedMetOn === null ? '' : `；按当前速度约 ${projectedMetOn} 达到`;

  if (duePassed) {
    return {
      ...base,
      projectedMetOn,
      status: 'behind',
      statusReason: `Behind: the due date ${dueOn} has passed with ${num(current)} of ${num(count)} (${pct(fraction)})${metText}.`,
      statusReasonZh: `落后：截止日期 ${dueOn} 已过，当前 ${num(current)}，目标 ${num(count)}（完成 ${pct(fraction)}）${metTextZh}。`,
    };
  }

  const pace = describePace(trend, projected, dueOn);
  const projectedShare = count > 0 ? projected / count : 1;

  if (projected >= count) {
    return {
      ...base,
      projectedMetOn,
      status: 'on_track',
      statusReason: `On track: ${pace.en}, reaching the target of ${num(count)}${metText}.`,
      statusReasonZh: `进度正常：${pace.zh}，可完成目标 ${num(count)}${metTextZh}。`,
    };
  }

  if (projected >= round6(ratio * count)) {
    return {
      ...base,
      projectedMetOn,
      status: 'at_risk',
      statusReason: `At risk: ${pace.en}, ${pct(projectedShare)} of the target of ${num(count)} (short of it, but at least ${pct(ratio)}).`,
      statusReasonZh: `有风险：${pace.zh}，为目标 ${num(count)} 的 ${pct(projectedShare)}（未达目标，但不低于 ${pct(ratio)}）。`,
    };
  }

  const goalLine = {
    en: `${num(current)} now against ${num(expectedNow)} expected on the goal line at ${asOf}`,
    zh: `当前 ${num(current)}，按目标线截至 ${asOf} 应达到 ${num(expectedNow)}`,
  };
  if (current >= expectedNow) {
    return {
      ...base,
      projectedMetOn,
      status: 'at_risk',
      statusReason: `At risk: on schedule so far (${goalLine.en}), but ${pace.en}, only ${pct(projectedShare)} of the target of ${num(count)}.`,
      statusReasonZh: `有风险：目前符合序时进度（${goalLine.zh}），但${pace.zh}，仅为目标 ${num(count)} 的 ${pct(projectedShare)}。`,
    };
  }

  return {
    ...base,
    projectedMetOn,
    status: 'behind',
    statusReason: `Behind: ${goalLine.en}, and ${pace.en}, ${pct(projectedShare)} of the target of ${num(count)} (below ${pct(ratio)}).`,
    statusReasonZh: `落后：${goalLine.zh}；${pace.zh}，仅为目标 ${num(count)} 的 ${pct(projectedShare)}（低于 ${pct(ratio)}）。`,
  };
}
