/**
 * Draws a target's coverage with its scenarios: actual (solid), the baseline projection (dotted) and one
 * dashed line per scenario (规划), the target as a line. Takes prepared data (utils/scenario-chart-data.ts)
 * and only draws; loaded lazily with recharts.
 */
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScenarioChartData } from '../utils/scenario-chart-data';

/** Distinguishable in greyscale too: each scenario has its own dash pattern as well as its colour. */
const SCENARIO_STYLES = [
  { color: '#2e7d32', dash: '8 4' },
  { color: '#6a1b9a', dash: '4 3' },
  { color: '#00838f', dash: '12 4 2 4' },
];

export default function ScenarioChart({ data, labels, formatValue, height = 320 }: { data: ScenarioChartData; labels: { actual: string; baseline: string; scenario: (name: string) => string; target: string }; formatValue: (v: number) => string; height?: number }) {
  const names: Record<string, string> = { actual: labels.actual, baseline: labels.baseline };
  for (const s of data.series) names[s.key] = labels.scenario(s.name);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data.rows} accessibilityLayer={false} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e3e7ec" vertical={false} />
        <XAxis dataKey="date" minTickGap={36} tick={{ fontSize: 12, fill: '#4a5560' }} tickLine={false} tickFormatter={(d: string) => d.slice(0, 7)} />
        <YAxis domain={[0, data.yMax]} allowDecimals={false} width={44} tick={{ fontSize: 12, fill: '#4a5560' }} tickLine={false} axisLine={false} />
        <Tooltip formatter={(value, name) => [typeof value === 'number' ? formatValue(value) : String(value ?? ''), names[String(name)] ?? String(name)]} contentStyle={{ fontSize: 13, borderRadius: 6 }} />
        <Legend verticalAlign="bottom" height={36} iconSize={12} wrapperStyle={{ fontSize: 12 }} formatter={(value) => names[String(value)] ?? String(value)} />
        <Line type="stepAfter" dataKey="actual" stroke="#1f4e79" strokeWidth={2.5} dot={false} isAnimationActive={false} connectNulls />
        <Line type="linear" dataKey="baseline" stroke="#c25e00" strokeWidth={2.5} strokeDasharray="2 4" strokeLinecap="round" dot={false} isAnimationActive={false} connectNulls />
        {data.series.map((s, i) => {
          const style = SCENARIO_STYLES[i % SCENARIO_STYLES.length]!;
          return <Line key={s.key} type="linear" dataKey={s.key} stroke={style.color} strokeWidth={2} strokeDasharray={style.dash} dot={false} isAnimationActive={false} connectNulls />;
        })}
        <ReferenceLine y={data.count} stroke="#8a1c1c" strokeWidth={1} label={{ value: `${labels.target} ${formatValue(data.count)}`, position: 'insideTopLeft', fill: '#8a1c1c', fontSize: 12 }} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
