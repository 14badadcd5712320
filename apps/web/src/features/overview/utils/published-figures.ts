/**
 * The published figure the headline shows beside the computed cut. (Matching every published figure with
 * its computed counterpart is the API's: /api/reconciliation.)
 */
import type { PublishedFigure } from '@vbp/contracts/api';
import type { ProductType } from '@vbp/contracts/enums';

/**
 * The region-wide published average cut for a product type (not one batch's): the latest by date.
 * Shown beside the computed cut in the headline.
 */
export function latestPublishedCut(figures: readonly PublishedFigure[], regionCode: string, type: ProductType): PublishedFigure | null {
  const matching = figures.filter((f) => f.metric === 'avg_cut' && f.productType === type && f.batchCode === null && f.regionCode === regionCode);
  matching.sort((a, b) => (b.asOf ?? '').localeCompare(a.asOf ?? ''));
  return matching[0] ?? null;
}
