/**
 * The coverage chart of a target with its scenarios (规划): actual cumulative coverage up to today (solid),
 * the baseline projection from today to the due date, and one dashed line per scenario. Pure, so the gaps,
 * the step at each implementation date and the y scale are tested without drawing.
 */
import type { ScenarioTargetProjection } from '@vbp/contracts/scenarios';

export interface ScenarioChartSeries {
  /** The row key of the line: `s<id>`. */
  key: string;
  id: number;
  name: string;
}

export interface ScenarioChartRow {
  date: string;
  actual: number | null;
  baseline: number | null;
  /** One value per scenario, under its series key. */
  [scenario: `s${number}`]: number | null;
}

export interface ScenarioChartData {
  rows: ScenarioChartRow[];
  series: ScenarioChartSeries[];
  yMax: number;
  count: number;
  dueOn: string;
}

/** A round top for the y axis: above every value and the target, in steps of 10 (5 below 50). */
export function niceMax(value: number): number {
  const step = value <= 50 ? 5 : 10;
  return Math.max(step, Math.ceil((value * 1.05) / step) * step);
}

/**
 * Rows by date: the actual points (dates up to `asOf`), then the projections' path points (from `asOf`). The
 * day `asOf` carries both, so the lines join. A scenario whose projection lacks the target adds no line.
 */
export function buildScenarioChartData(input: {
  actual: readonly { date: string; cumulative: number }[];
  asOf: string;
  scenarios: readonly { id: number; name: string; target: ScenarioTargetProjection | undefined }[];
}): ScenarioChartData | null {
  const withTarget = input.scenarios.filter((s): s is { id: number; name: string; target: ScenarioTargetProjection } => s.target !== undefined);
  const first = withTarget[0]?.target;
  if (!first) return null;
  const byDate = new Map<string, ScenarioChartRow>();
  const row = (date: string): ScenarioChartRow => {
    let r = byDate.get(date);
    if (!r) {
      r = { date, actual: null, baseline: null };
      for (const s of withTarget) r[`s${s.id}`] = null;
      byDate.set(date, r);
    }
    return r;
  };
  for (const p of input.actual) if (p.date <= input.asOf) row(p.date).actual = p.cumulative;
  for (const p of first.path) row(p.date).baseline = p.baseline;
  for (const s of withTarget) for (const p of s.target.path) row(p.date)[`s${s.id}`] = p.scenario;
  const rows = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let top = first.count;
  for (const r of rows) for (const v of Object.values(r)) if (typeof v === 'number' && v > top) top = v;
  return { rows, series: withTarget.map((s) => ({ key: `s${s.id}`, id: s.id, name: s.name })), yMax: niceMax(top), count: first.count, dueOn: first.dueOn };
}
