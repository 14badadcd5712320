/**
 * Draws the average cut of each batch as horizontal bars, the computed plain mean beside the published
 * figure, each bar labelled with its value (the colours are not the only cue). Takes prepared rows (see
 * features/overview/utils/cut-chart-data.ts) and only draws. Loaded lazily with recharts.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface CutBarRowLike {
  code: string;
  computed: number | null;
  published: number | null;
  synthetic: boolean;
}

export interface CutBarsChartProps {
  rows: readonly CutBarRowLike[];
  min: number;
  labels: { computed: string; published: string; synthetic: string };
  formatValue: (v: number) => string;
  /** Each batch's axis label (its code; a mark when its prices are synthetic). */
  rowLabel: (row: CutBarRowLike) => string;
  height: number;
}

/** Dark blue for the computed figure, a hatched-looking light grey for the published one: both work in greyscale. */
const COLORS = { computed: '#1f4e79', published: '#b9c2cc' };

export default function CutBarsChart({ rows, min, labels, formatValue, rowLabel, height }: CutBarsChartProps) {
  const data = rows.map((r) => ({ ...r, name: rowLabel(r) }));
  const names: Record<string, string> = { computed: labels.computed, published: labels.published };
  const format = (v: unknown) => (typeof v === 'number' ? formatValue(v) : '');
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 48, bottom: 4, left: 4 }} barGap={1} barCategoryGap="18%">
        <CartesianGrid stroke="#e3e7ec" horizontal={false} />
        <XAxis type="number" domain={[min, 1]} tickFormatter={format} tick={{ fontSize: 12, fill: '#4a5560' }} tickLine={false} />
        <YAxis type="category" dataKey="name" width={96} tick={{ fontSize: 12, fill: '#1d2630' }} tickLine={false} axisLine={false} interval={0} />
        <Tooltip formatter={(value, name) => [format(value), names[String(name)] ?? String(name)]} contentStyle={{ fontSize: 13, borderRadius: 6 }} />
        <Legend verticalAlign="top" height={28} iconSize={12} wrapperStyle={{ fontSize: 12 }} formatter={(value) => names[String(value)] ?? String(value)} />
        <Bar dataKey="computed" fill={COLORS.computed} isAnimationActive={false} label={{ position: 'right', fontSize: 11, fill: '#1d2630', formatter: format }} />
        <Bar dataKey="published" fill={COLORS.published} stroke="#5c6670" strokeWidth={1} isAnimationActive={false} label={{ position: 'right', fontSize: 11, fill: '#4a5560', formatter: format }} />
      </BarChart>
    </ResponsiveContainer>
  );
}
