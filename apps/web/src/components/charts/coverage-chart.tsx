/**
 * Draws cumulative coverage by month: stacked areas by batch level, the goal line (dashed), the
 * projection (dotted) and the target count. Takes prepared rows (see
 * features/overview/utils/coverage-chart-data.ts) and only draws. Loaded lazily: recharts is the
 * largest dependency and the first paint does not need it.
 */
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One month of the chart; prepared by features/overview/utils/coverage-chart-data.ts. */
export interface CoverageChartRowLike {
  /** YYYY-MM */
  month: string;
  national: number | null;
  alliance: number | null;
  provincial: number | null;
  /** Cumulative total (the sum of the three levels); null after the as-of month. */
  actual: number | null;
  /** The target's goal line; null outside the target's span. */
  expected: number | null;
  /** The projection; null before the as-of month. */
  projected: number | null;
}

export interface CoverageChartProps {
  rows: readonly CoverageChartRowLike[];
  yMax: number;
  targetCount: number | null;
  asOfMonth: string;
  labels: {
    national: string;
    alliance: string;
    provincial: string;
    expected: string;
    projected: string;
    target: string;
    asOf: string;
  };
  formatValue: (v: number) => string;
  height?: number;
}

/** Blues from dark to light by level, distinguishable in greyscale print as well. */
const COLORS = { national: '#1f4e79', alliance: '#4f8fc0', provincial: '#a9cbe6', expected: '#5c5c5c', projected: '#c25e00', target: '#8a1c1c' };

export default function CoverageChart({ rows, yMax, targetCount, asOfMonth, labels, formatValue, height = 320 }: CoverageChartProps) {
  const data = rows as CoverageChartRowLike[];
  const names: Record<string, string> = {
    national: labels.national,
    alliance: labels.alliance,
    provincial: labels.provincial,
    expected: labels.expected,
    projected: labels.projected,
  };
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} accessibilityLayer={false} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e3e7ec" vertical={false} />
        <XAxis dataKey="month" minTickGap={28} tick={{ fontSize: 12, fill: '#4a5560' }} tickLine={false} />
        <YAxis domain={[0, yMax]} allowDecimals={false} width={44} tick={{ fontSize: 12, fill: '#4a5560' }} tickLine={false} axisLine={false} />
        <Tooltip
          formatter={(value, name) => [typeof value === 'number' ? formatValue(value) : String(value ?? ''), names[String(name)] ?? String(name)]}
          labelFormatter={(label) => String(label)}
          contentStyle={{ fontSize: 13, borderRadius: 6 }}
        />
        <Legend
          verticalAlign="bottom"
          height={36}
          iconSize={12}
          wrapperStyle={{ fontSize: 12 }}
          itemSorter={null}
          formatter={(value) => names[String(value)] ?? String(value)}
        />
        <Area type="stepAfter" dataKey="national" stackId="level" stroke={COLORS.national} fill={COLORS.national} fillOpacity={0.9} isAnimationActive={false} connectNulls={false} />
        <Area type="stepAfter" dataKey="alliance" stackId="level" stroke={COLORS.alliance} fill={COLORS.alliance} fillOpacity={0.9} isAnimationActive={false} connectNulls={false} />
        <Area type="stepAfter" dataKey="provincial" stackId="level" stroke={COLORS.provincial} fill={COLORS.provincial} fillOpacity={0.95} isAnimationActive={false} connectNulls={false} />
        <Line type="linear" dataKey="expected" stroke={COLORS.expected} strokeWidth={2} strokeDasharray="7 4" dot={false} isAnimationActive={false} connectNulls />
        <Line type="linear" dataKey="projected" stroke={COLORS.projected} strokeWidth={2.5} strokeDasharray="2 4" strokeLinecap="round" dot={false} isAnimationActive={false} connectNulls />
        {targetCount !== null && (
          <ReferenceLine
            y={targetCount}
            stroke={COLORS.target}
            strokeDasharray="1 0"
            strokeWidth={1}
            label={{ value: `${labels.target} ${formatValue(targetCount)}`, position: 'insideTopLeft', fill: COLORS.target, fontSize: 12 }}
          />
        )}
        <ReferenceLine x={asOfMonth} stroke="#7a8591" strokeDasharray="3 3" label={{ value: labels.asOf, position: 'insideTopRight', fill: '#4a5560', fontSize: 12 }} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
