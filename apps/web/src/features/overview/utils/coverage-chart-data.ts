/**
 * Prepares the coverage-over-time chart: one row per calendar month from the start of coverage to the
 * later of the as-of date and the target's due date, with
 * - the cumulative count split by level (national / alliance / provincial), for stacked areas, up to the
 *   as-of month only (the future is not data);
 * - the target's goal line (TargetView.expectedPath, a straight rise from the baseline on the day the target
 *   was set to the count on the due date), read at each month-end;
 * - the projection: a straight segment from the current count at the as-of date to the projected count at
 *   the due date (TargetProgress.projectedAtDue); absent when there is nothing to project.
 * Gaps in the monthly series are filled with the last known value (cumulative coverage never falls);
 * months before the first point are 0. The chart starts one month before coverage starts (a visible zero
 * baseline: the API's series begins at the first implementation), and leading all-zero months are dropped
 * rather than drawing years of nothing. Pure: the chart component only draws.
 */
import type { CoverageSeries, TargetProgress, TargetView } from '@vbp/contracts/api';
import { addMonths, daysBetween, monthEnd, monthStart, type IsoDate } from '@vbp/contracts/dates';
import type { CoverageChartRowLike } from '../../../components/charts/coverage-chart';

export type SeriesPoint = CoverageSeries['points'][number];

export type ChartTarget = Pick<TargetView, 'count' | 'dueOn' | 'dueAssumed' | 'expectedPath'> & {
  progress: Pick<TargetProgress, 'current' | 'projectedAtDue' | 'projectedMetOn' | 'status'> | null;
};

/** A chart row, with the date its values are read at: the month-end, or the as-of date in the as-of month. */
export interface CoverageChartRow extends CoverageChartRowLike {
  date: IsoDate;
}

export interface CoverageChartData {
  rows: CoverageChartRow[];
  asOf: IsoDate;
  target: { count: number; dueOn: IsoDate; dueAssumed: boolean } | null;
  /** The last actual row (as of the as-of date); null without any row. */
  latest: CoverageChartRow | null;
  /** A round upper bound for the value axis that keeps the target line in view. */
  yMax: number;
  /** False when nothing has been covered yet (every actual value is 0): the panel shows its empty state. */
  hasCoverage: boolean;
}

/** How many months of zeros to show before coverage starts. */
const LEAD_MONTHS = 1;

/** A round number ≥ value (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ): 587 → 600, 31 → 40, 101 → 120, 0 → 10. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 10;
  const exp = Math.floor(Math.log10(value));
  const base = 10 ** exp;
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const candidate = step * base;
    if (candidate >= value - 1e-9) return Number(candidate.toPrecision(12));
  }
  return 10 * base;
}

/** Linear interpolation of a path of dated points at `date`, clamped to the path's ends. */
export function interpolateAt(path: readonly { date: IsoDate; value: number }[], date: IsoDate): number | null {
  const first = path[0];
  if (first === undefined) return null;
  if (date <= first.date) return first.value;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    if (date <= b.date) {
      const span = daysBetween(a.date, b.date);
      if (span <= 0) return b.value;
      return a.value + ((b.value - a.value) * daysBetween(a.date, date)) / span;
    }
  }
  return path[path.length - 1]!.value;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function buildCoverageChartData(input: {
  points: readonly SeriesPoint[];
  target: ChartTarget | null;
  asOf: IsoDate;
}): CoverageChartData {
  const { target, asOf } = input;
  const points = input.points.filter((p) => p.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const sortedPath = target ? [...target.expectedPath].sort((a, b) => (a.date < b.date ? -1 : 1)) : [];
  // A target already met on the day it was set has no goal line to follow (it would slope down to the
  // count): the target line alone says it all.
  const path = target && sortedPath[0] !== undefined && sortedPath[0].value >= target.count && sortedPath.length > 1 ? [] : sortedPath;

  const firstNonZero = points.find((p) => p.cumulative > 0);
  const asOfMonth = monthStart(asOf);
  const startCandidates: IsoDate[] = [];
  // One month of zeros before coverage starts, whether or not the series has a point there.
  if (firstNonZero) startCandidates.push(addMonths(monthStart(firstNonZero.date), -LEAD_MONTHS));
  if (path[0]) startCandidates.push(monthStart(path[0].date));
  if (startCandidates.length === 0) startCandidates.push(points[0] ? monthStart(points[0].date) : addMonths(asOfMonth, -12));
  let start = startCandidates.reduce((a, b) => (a < b ? a : b));
  if (start > asOfMonth) start = asOfMonth;

  const dueMonth = target ? monthStart(target.dueOn) : asOfMonth;
  const end = dueMonth > asOfMonth ? dueMonth : asOfMonth;

  const progress = target?.progress ?? null;
  const projectedAtDue = progress?.projectedAtDue ?? null;
  const canProject = target !== null && progress !== null && projectedAtDue !== null && target.dueOn > asOf;

  const rows: CoverageChartRow[] = [];
  let cursor = 0;
  let last: SeriesPoint | null = null;
  let latest: CoverageChartRow | null = null;
  for (let m = start; m <= end; m = addMonths(m, 1)) {
    const isAsOfMonth = m === asOfMonth;
    const readAt: IsoDate = isAsOfMonth ? asOf : monthEnd(m);
    const row: CoverageChartRow = {
      month: m.slice(0, 7),
      date: readAt,
      national: null,
      alliance: null,
      provincial: null,
      actual: null,
      expected: null,
      projected: null,
    };
    if (m <= asOfMonth) {
      while (cursor < points.length && points[cursor]!.date <= readAt) last = points[cursor++]!;
      const byLevel = last?.byLevel ?? { national: 0, alliance: 0, provincial: 0 };
      row.national = byLevel.national;
      row.alliance = byLevel.alliance;
      row.provincial = byLevel.provincial;
      row.actual = last?.cumulative ?? 0;
      latest = row;
    }
    const first = path[0];
    const lastPath = path[path.length - 1];
    if (first && lastPath && monthEnd(m) >= first.date && m <= lastPath.date) {
      const at = readAt > lastPath.date ? lastPath.date : readAt < first.date ? first.date : readAt;
      const v = interpolateAt(path, at);
      row.expected = v === null ? null : round1(v);
    }
    if (canProject && m >= asOfMonth && m <= dueMonth) {
      const from = progress.current;
      const at = m === dueMonth ? target.dueOn : readAt;
      const span = daysBetween(asOf, target.dueOn);
      row.projected = isAsOfMonth ? from : round1(from + ((projectedAtDue - from) * daysBetween(asOf, at)) / span);
    }
    rows.push(row);
  }

  let max = 0;
  for (const r of rows) max = Math.max(max, r.actual ?? 0, r.expected ?? 0, r.projected ?? 0);
  if (target) max = Math.max(max, target.count);

  return {
    rows,
    asOf,
    target: target ? { count: target.count, dueOn: target.dueOn, dueAssumed: target.dueAssumed } : null,
    latest,
    yMax: niceCeiling(max * 1.05),
    hasCoverage: rows.some((r) => (r.actual ?? 0) > 0),
  };
}

/**
 * A handful of rows for the chart's text alternative: each year's last month, the as-of month and the due
 * month, so a screen reader (or a printout) gets the shape without 80 monthly rows.
 */
export function summaryRows(data: CoverageChartData): CoverageChartRow[] {
  const keep = new Set<string>();
  const asOfMonth = data.asOf.slice(0, 7);
  const dueMonth = data.target?.dueOn.slice(0, 7);
  data.rows.forEach((r, i) => {
    const next = data.rows[i + 1];
    if (i === 0 || r.month === asOfMonth || r.month === dueMonth || !next || next.month.slice(0, 4) !== r.month.slice(0, 4)) keep.add(r.month);
  });
  return data.rows.filter((r) => keep.has(r.month));
}
