/**
 * The distribution of product-level cuts (the overview and the batch page): the API's bins as rows with a
 * percentage label, zero bins kept (a zero baseline, so a gap in the distribution shows as a gap, not as a
 * missing bar). Pure; cut-histogram-chart.tsx only draws. Values stay fractions.
 */
import type { HistogramBin } from '@vbp/contracts/api';

export interface HistogramRow {
  /** "20–30%" */
  label: string;
  from: number;
  to: number;
  count: number;
  /** count / total, 0 when there are no products. */
  share: number;
}

/** A bin edge as a whole percentage: 0.3 → "30", -0.1 → "-10". */
function pct(v: number): string {
  return String(Math.round(v * 100));
}

export function buildHistogramRows(bins: readonly HistogramBin[]): { rows: HistogramRow[]; total: number } {
  const total = bins.reduce((n, b) => n + b.count, 0);
  const rows = [...bins]
    .sort((a, b) => a.from - b.from)
    .map((b) => ({ label: `${pct(b.from)}–${pct(b.to)}%`, from: b.from, to: b.to, count: b.count, share: total === 0 ? 0 : b.count / total }));
  return { rows, total };
}
