/**
 * Draws the distribution of product-level price cuts: one column per 10-point bin, zero bins drawn as a
 * baseline, each column labelled with its count. Takes prepared rows (see
 * components/charts/histogram-data.ts) and only draws. Loaded lazily with recharts.
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface HistogramRowLike {
  label: string;
  count: number;
}

export interface CutHistogramChartProps {
  rows: readonly HistogramRowLike[];
  countLabel: string;
  formatCount: (v: number) => string;
  height: number;
}

export default function CutHistogramChart({ rows, countLabel, formatCount, height }: CutHistogramChartProps) {
  const data = rows as HistogramRowLike[];
  const format = (v: unknown) => (typeof v === 'number' && v > 0 ? formatCount(v) : '');
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} accessibilityLayer={false} margin={{ top: 18, right: 8, bottom: 4, left: 0 }} barCategoryGap="8%">
        <CartesianGrid stroke="#e3e7ec" vertical={false} />
        <XAxis dataKey="label" interval={0} angle={-30} textAnchor="end" height={44} tick={{ fontSize: 11, fill: '#4a5560' }} tickLine={false} />
        <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12, fill: '#4a5560' }} tickLine={false} axisLine={false} />
        <Tooltip formatter={(value) => [format(value) || '0', countLabel]} contentStyle={{ fontSize: 13, borderRadius: 6 }} />
        <Bar dataKey="count" fill="#4f8fc0" stroke="#1f4e79" isAnimationActive={false} minPointSize={1} label={{ position: 'top', fontSize: 11, fill: '#1d2630', formatter: format }} />
      </BarChart>
    </ResponsiveContainer>
  );
}
