/**
 * Draws the province comparison: one horizontal bar per province (progress fraction), the 100% line,
 * each bar labelled with its percentage. Takes prepared bars (utils/province-chart-data.ts) and only
 * draws. Loaded lazily with recharts.
 */
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TargetStatus } from '@vbp/contracts/enums';
import { PROVINCE_CHART_MARGIN, provinceChartHeight, type ProvinceBar } from '../utils/province-chart-data';

/** The status colours of app.css (--c-met …); the bars also carry their percentage, and the table says the status in words. */
const STATUS_COLORS: Record<TargetStatus, string> = { met: '#1d7a32', on_track: '#1f66a8', at_risk: '#955800', behind: '#b3261e' };


export interface ProvinceChartProps {
  bars: readonly ProvinceBar[];
  xMax: number;
  labels: { line: string; fraction: string; status: Record<TargetStatus, string> };
  formatPercent: (fraction: number) => string;
}

export default function ProvinceChart({ bars, xMax, labels, formatPercent }: ProvinceChartProps) {
  const data = bars as ProvinceBar[];
  return (
    <ResponsiveContainer width="100%" height={provinceChartHeight(bars.length)}>
      <BarChart data={data} layout="vertical" accessibilityLayer={false} margin={PROVINCE_CHART_MARGIN} barCategoryGap={4}>
        <CartesianGrid stroke="#e3e7ec" horizontal={false} />
        <XAxis
          type="number"
          domain={[0, xMax]}
          ticks={Array.from({ length: Math.round(xMax / 0.25) + 1 }, (_, i) => Math.min(xMax, i * 0.25))}
          tickFormatter={(v: number) => formatPercent(v)}
          tick={{ fontSize: 12, fill: '#4a5560' }}
          tickLine={false}
        />
        <YAxis type="category" dataKey="label" width={72} interval={0} tick={{ fontSize: 12, fill: '#1b2733' }} tickLine={false} axisLine={false} />
        <Tooltip
          cursor={{ fill: 'rgba(31, 78, 121, 0.08)' }}
          formatter={(value, _name, item) => {
            const bar = item.payload as ProvinceBar;
            return [`${formatPercent(Number(value))}（${bar.current} / ${bar.count}）· ${labels.status[bar.status]}`, labels.fraction];
          }}
          contentStyle={{ fontSize: 13, borderRadius: 6 }}
        />
        <Bar dataKey="fraction" isAnimationActive={false} maxBarSize={18}>
          {data.map((bar) => (
            <Cell key={bar.regionCode} fill={STATUS_COLORS[bar.status]} />
          ))}
          <LabelList dataKey="fraction" position="right" formatter={(v: unknown) => formatPercent(Number(v))} style={{ fontSize: 11, fill: '#1b2733' }} />
        </Bar>
        <ReferenceLine x={1} stroke="#1b2733" strokeWidth={1.5} strokeDasharray="4 3" label={{ value: labels.line, position: 'top', fontSize: 11, fill: '#1b2733' }} />
      </BarChart>
    </ResponsiveContainer>
  );
}
