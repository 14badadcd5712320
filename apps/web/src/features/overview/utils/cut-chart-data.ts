/**
 * Prepares the overview's cuts-by-batch chart (pure; the chart component only draws): one bar per batch of
 * the product type with a computed or a published cut, sorted by the computed plain mean (largest first),
 * the published cut beside it; batches with neither are counted but not drawn (nothing to draw). The cut
 * distribution is prepared by components/charts/histogram-data.ts (shared with the batch page).
 * Values stay fractions; the components format them.
 */
import type { BatchCut } from '@vbp/contracts/api';
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
