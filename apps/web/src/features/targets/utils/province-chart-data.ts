/**
 * The province comparison chart's data: for one target evaluated in every province (a national
 * per-province requirement such as 药品 ≥ 500 by 2025-12-31), one bar per province with its progress
 * fraction, sorted highest first, and the axis bound that keeps the 100% line in view. Pure; the chart only draws.
 */
import type { TargetView } from '@vbp/contracts/api';
import type { TargetStatus } from '@vbp/contracts/enums';

type ChartTarget = Pick<TargetView, 'code' | 'scope' | 'productType' | 'unit' | 'count' | 'dueOn' | 'regionCode' | 'progress'>;

/** A target that can be compared: one code measured for more than one region (or every per-province one). */
export interface ChartScope {
  code: string;
  target: ChartTarget;
  regions: number;
}

/**
 * The targets the chart can compare: the national per-province ones (whatever the number of provinces the
 * user may see), and any other code measured in several regions. Drugs first, then by due date, latest first.
 */
export function chartScopes(targets: readonly ChartTarget[]): ChartScope[] {
  const byCode = new Map<string, ChartScope>();
  for (const t of targets) {
    if (t.progress === null) continue;
    const scope = byCode.get(t.code);
    if (scope) scope.regions += 1;
    else byCode.set(t.code, { code: t.code, target: t, regions: 1 });
  }
  return [...byCode.values()]
    .filter((s) => s.target.scope === 'each_province' || s.regions > 1)
    .sort(
      (a, b) =>
        (a.target.productType === b.target.productType ? 0 : a.target.productType === 'drug' ? -1 : 1) ||
        (a.target.dueOn === b.target.dueOn ? b.target.count - a.target.count : a.target.dueOn > b.target.dueOn ? -1 : 1) ||
        a.code.localeCompare(b.code),
    );
}

/** The scope shown: the one in the URL if it exists, else the first (drugs, latest due date). */
export function pickChartScope(scopes: readonly ChartScope[], requested: string | undefined): ChartScope | null {
  return scopes.find((s) => s.code === requested) ?? scopes[0] ?? null;
}

export interface ProvinceBar {
  regionCode: string;
  label: string;
  /** current / count (may exceed 1). */
  fraction: number;
  current: number;
  count: number;
  status: TargetStatus;
}

export interface ProvinceChartData {
  bars: ProvinceBar[];
  /** The axis runs from 0 to this: at least 1 (the 100% line), rounded up to the next 10%. */
  xMax: number;
  met: number;
}

/**
 * One bar per region the scope's target is measured for, highest fraction first; ties by the regions'
 * order (`regionOrder`), so the bars never shuffle between renders.
 */
export function buildProvinceChartData(
  targets: readonly ChartTarget[],
  code: string,
  label: (regionCode: string) => string,
  regionOrder: ReadonlyMap<string, number>,
): ProvinceChartData {
  const bars: ProvinceBar[] = [];
  for (const t of targets) {
    if (t.code !== code || t.progress === null) continue;
    bars.push({ regionCode: t.regionCode, label: label(t.regionCode), fraction: t.progress.fraction, current: t.progress.current, count: t.count, status: t.progress.status });
  }
  const order = (r: string) => regionOrder.get(r) ?? Number.MAX_SAFE_INTEGER;
  bars.sort((a, b) => b.fraction - a.fraction || order(a.regionCode) - order(b.regionCode));
  const top = bars[0]?.fraction ?? 0;
  return { bars, xMax: Math.max(1, Math.ceil(top * 10 - 1e-9) / 10), met: bars.filter((b) => b.status === 'met').length };
}

/** The provinces at one end of the comparison: all of those tied at that end's fraction (as shown, to 0.1%). */
export interface ComparisonEnd {
  labels: string[];
  fraction: number;
}

/**
 * The highest and the lowest of the bars, with every province tied there (a tie is the same percentage as
 * shown, to 0.1%), so a summary never names one province out of many that stand at the same figure. Null
 * ends when there are no bars; `bottom` is null when every bar is tied (there is no lowest).
 */
export function comparisonEnds(bars: readonly ProvinceBar[]): { top: ComparisonEnd | null; bottom: ComparisonEnd | null; allTied: boolean } {
  const shown = (f: number) => Math.round(f * 1000);
  const first = bars[0];
  const last = bars.at(-1);
  if (!first || !last) return { top: null, bottom: null, allTied: false };
  const at = (fraction: number) => ({ labels: bars.filter((b) => shown(b.fraction) === shown(fraction)).map((b) => b.label), fraction });
  const allTied = shown(first.fraction) === shown(last.fraction);
  return { top: at(first.fraction), bottom: allTied ? null : at(last.fraction), allTied: allTied && bars.length > 1 };
}

const BAR_ROW_HEIGHT = 26;
// room above the plot for the 100% line's label
export const PROVINCE_CHART_MARGIN = { top: 22, right: 56, bottom: 8, left: 4 };

/** The chart's height for a number of bars (room for the axis below), reserved before recharts loads: no jump. */
export function provinceChartHeight(bars: number): number {
  return Math.max(1, bars) * BAR_ROW_HEIGHT + PROVINCE_CHART_MARGIN.top + PROVINCE_CHART_MARGIN.bottom + 28;
}
