/**
 * Published figures (what a document states, e.g. 北京 556 drugs as of 2024-07-25) set beside what the
 * data computes for the same region, product type and date, so differences can be reconciled.
 */
import type { Overview, PublishedFigure } from '@vbp/contracts/api';
import type { BatchLevel, ProductType } from '@vbp/contracts/enums';
import { formatCount, formatPercent } from '../../../lib/format';
import type { Lang } from '../../../lib/i18n/types';

export interface ComputedValue {
  value: number;
  /** Shown as a percentage (cuts) or as a count. */
  kind: 'fraction' | 'count';
  /** The date the computed value is read at. */
  asOf: string;
}

type OverviewForFigures = Pick<Overview, 'date' | 'coverage' | 'cuts'>;

function batchesOfLevel(coverage: Overview['coverage']['drug'], level: BatchLevel): number {
  return new Set(coverage.batches.filter((b) => b.level === level).map((b) => b.code)).size;
}

const BATCH_METRICS: Record<string, { type: ProductType; level: BatchLevel }> = {
  national_drug_batches: { type: 'drug', level: 'national' },
  provincial_drug_batches: { type: 'drug', level: 'provincial' },
  alliance_drug_batches: { type: 'drug', level: 'alliance' },
  national_consumable_batches: { type: 'consumable', level: 'national' },
  provincial_consumable_batches: { type: 'consumable', level: 'provincial' },
  alliance_consumable_batches: { type: 'consumable', level: 'alliance' },
};

/**
 * What the data computes for a published figure, from the overview of the same region as of the figure's
 * date. Null when the figure has no computed counterpart (a single batch's cut, a linked-procurement
 * round, a metric the data does not hold).
 */
export function computedCounterpart(figure: Pick<PublishedFigure, 'metric' | 'productType' | 'batchCode'>, overview: OverviewForFigures): ComputedValue | null {
  if (figure.batchCode !== null) return null;
  const asOf = overview.date;
  switch (figure.metric) {
    case 'drug_varieties_cumulative':
      return { value: overview.coverage.drug.cumulative, kind: 'count', asOf };
    case 'consumable_varieties_cumulative':
      return { value: overview.coverage.consumableVarieties.cumulative, kind: 'count', asOf };
    case 'consumable_categories_cumulative':
      return { value: overview.coverage.consumableCategories.cumulative, kind: 'count', asOf };
    case 'avg_cut': {
      if (figure.productType === null) return null;
      const mean = overview.cuts[figure.productType].plainMean;
      return mean === null ? null : { value: mean, kind: 'fraction', asOf };
    }
  }
  const batch = BATCH_METRICS[figure.metric];
  if (batch) {
    const coverage = batch.type === 'drug' ? overview.coverage.drug : overview.coverage.consumableVarieties;
    return { value: batchesOfLevel(coverage, batch.level), kind: 'count', asOf };
  }
  return null;
}

export function formatComputed(value: ComputedValue, lang: Lang): string {
  return value.kind === 'fraction' ? formatPercent(value.value) : formatCount(value.value, lang);
}

/**
 * The region-wide published average cut for a product type (not one batch's): the latest by date.
 * Shown beside the computed cut in the headline.
 */
export function latestPublishedCut(figures: readonly PublishedFigure[], regionCode: string, type: ProductType): PublishedFigure | null {
  const matching = figures.filter((f) => f.metric === 'avg_cut' && f.productType === type && f.batchCode === null && f.regionCode === regionCode);
  matching.sort((a, b) => (b.asOf ?? '').localeCompare(a.asOf ?? ''));
  return matching[0] ?? null;
}

/** The dates the figures are stated at, for loading the computed values at the same dates. */
export function figureDates(figures: readonly Pick<PublishedFigure, 'asOf'>[]): string[] {
  return [...new Set(figures.map((f) => f.asOf).filter((d): d is string => d !== null))].sort();
}

const TYPE_ORDER = { drug: 0, consumable: 1 } as const;
const METRIC_ORDER = [
  'drug_varieties_cumulative',
  'consumable_varieties_cumulative',
  'consumable_categories_cumulative',
  'national_drug_batches',
  'alliance_drug_batches',
  'provincial_drug_batches',
  'national_consumable_batches',
  'alliance_consumable_batches',
  'provincial_consumable_batches',
  'avg_cut',
];

/**
 * The order of the figures table: drugs before consumables, counts before batches before cuts, other
 * metrics (linked procurement, a single batch) last; the latest date first within a metric.
 */
export function sortFigures<T extends Pick<PublishedFigure, 'productType' | 'metric' | 'batchCode' | 'asOf' | 'code'>>(figures: readonly T[]): T[] {
  const rank = (f: T) => {
    const i = METRIC_ORDER.indexOf(f.metric);
    return (f.batchCode !== null ? 100 : 0) + (i === -1 ? 50 : i);
  };
  const type = (f: T) => (f.productType === null ? 2 : TYPE_ORDER[f.productType]);
  return [...figures].sort(
    (a, b) => type(a) - type(b) || rank(a) - rank(b) || (b.asOf ?? '').localeCompare(a.asOf ?? '') || a.code.localeCompare(b.code),
  );
}
