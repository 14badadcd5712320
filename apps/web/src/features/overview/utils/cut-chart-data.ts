/**
 * Prepares the two price-cut charts of the overview (pure; the chart components only draw):
 * - cuts by batch: one bar per batch of the product type with a computed or a published cut, sorted by
 *   the computed plain mean (largest first), the published cut beside it; batches with neither are
 *   counted but not drawn (nothing to draw);
 * - the distribution of product-level cuts: the API's bins as rows with a percentage label, zero bins kept
 *   (a zero baseline, so a gap in the distribution shows as a gap, not as a missing bar).
 * Values stay fractions; the components format them.
 */
import type { BatchCut, HistogramBin } from '@vbp/contracts/api';
import type { ProductType } from '@vbp/contracts/enums';

export interface BatchCutRow {
  code: string;
  nameZh: string;
  level: BatchCut['level'];
  /** Plain mean over varieties (what announcements quote); null when no price is loaded. */
  computed: number | null;
  volumeWeighted: number | null;
  published: number | null;
  publishedNote: string | null;
  /** The computed figure rests partly on prices labelled synthetic (demo data). */
  synthetic: boolean;
  productCount: number;
  varietyCount: number;
  source: string | null;
}

export interface BatchCutChartData {
  rows: BatchCutRow[];
  /** Batches of the type implemented by the date but with neither a computed nor a published cut. */
  withoutCut: number;
  /** Any drawn figure rests on synthetic prices. */
  anySynthetic: boolean;
  /** The smallest value on the axis: 0, or below it when a batch shows a price rise. */
  min: number;
}

/** The bar chart's height: a fixed height per batch plus the legend and axis, so nothing jumps. */
export function barsHeight(rowCount: number): number {
  return rowCount * 30 + 60;
}

const rank = (v: number | null) => (v === null ? -Infinity : v);

export function buildBatchCutData(cuts: readonly BatchCut[], type: ProductType): BatchCutChartData {
  const ofType = cuts.filter((c) => c.productType === type);
  const rows: BatchCutRow[] = ofType
    .filter((c) => c.plainMean !== null || c.publishedAvgCut !== null)
    .map((c) => ({
      code: c.batchCode,
      nameZh: c.batchNameZh,
      level: c.level,
      computed: c.plainMean,
      volumeWeighted: c.volumeWeightedMean,
      published: c.publishedAvgCut,
      publishedNote: c.publishedCutNote,
      synthetic: c.plainMean !== null && c.syntheticProductCount > 0,
      productCount: c.productCount,
      varietyCount: c.varietyCount,
      source: c.source,
    }))
    .sort((a, b) => rank(b.computed) - rank(a.computed) || rank(b.published) - rank(a.published) || a.code.localeCompare(b.code));
  const min = rows.reduce((m, r) => Math.min(m, r.computed ?? 0, r.published ?? 0), 0);
  return {
    rows,
    withoutCut: ofType.length - rows.length,
    anySynthetic: rows.some((r) => r.synthetic),
    min: Math.floor(min * 10) / 10,
  };
}

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
