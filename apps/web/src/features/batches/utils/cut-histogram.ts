/**
 * The batch page's cut histogram: the API bins product-level cuts (packages/core/src/calc/cuts.ts
 * cutHistogram: 10-point bins [from, to), zero-filled, the top bin closed at 100%, price rises in bins
 * below 0); the rows (label, share) are the overview's distribution rows, so both charts read alike.
 * Here: the summary the text alternative states — the fullest bin and how many prices rose.
 */
import type { HistogramBin } from '@vbp/contracts/api';
// The same rows as the overview's cut distribution; the shared chart (components/charts/cut-histogram-chart) draws both.
import { buildHistogramRows, type HistogramRow } from '../../../components/charts/histogram-data';

export interface HistogramData {
  rows: HistogramRow[];
  total: number;
  /** The bin holding most products (the first of equals); null when there are none. */
  mode: HistogramRow | null;
  /** Products whose price rose (cut below 0). */
  rises: number;
}

export function buildHistogram(bins: readonly HistogramBin[]): HistogramData {
  const { rows, total } = buildHistogramRows(bins);
  const mode = total === 0 ? null : rows.reduce((best, r) => (r.count > best.count ? r : best));
  const rises = rows.filter((r) => r.to <= 0).reduce((n, r) => n + r.count, 0);
  return { rows, total, mode, rises };
}
