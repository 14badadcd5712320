/**
 * 核对 (reconciliation): every figure the policy documents publish beside what the data computes for the
 * same region, scope and date, the difference, and what explains a gap.
 */
import { z } from 'zod';
import { IsoDateString, ProductType, PublishedFigure, RegionCode, SourceRef, TargetUnit } from './api';
import { DateInput } from './inputs';

export const ReconciliationQuery = z.object({
  region: RegionCode.optional().meta({ description: 'one region (100000 = the whole country); without it, every region the user may read' }),
  date: DateInput.optional().meta({ description: "the date the 'now' column is read at (default today, CST); each figure is computed at its own date" }),
});
export type ReconciliationQuery = z.infer<typeof ReconciliationQuery>;

/** How a computed value compares with the published one. */
export const RECONCILIATION_STATUSES = ['matches', 'differs', 'not_computed'] as const;
export const ReconciliationStatus = z.enum(RECONCILIATION_STATUSES);
export type ReconciliationStatus = z.infer<typeof ReconciliationStatus>;

/**
 * What explains a gap (or qualifies a match), each with its numbers:
 * - `placeholders`: counted varieties stand for lists not loaded (the count is right, the names are not there);
 * - `estimated_dates`: batches counted from an implementation date estimated by a rule;
 * - `implemented_after`: batches tendered by the figure's date but implemented in the region after it
 *   (a document counting from the tender date includes them; the data counts from implementation);
 * - `reached_on`: the date the computed count first reaches the published value;
 * - `counted_batches`: the batches a batch count counted;
 * - `missing_prices`: batches counted at the date with no selected-product prices loaded (upload missing);
 * - `synthetic_prices`: the computed cut includes labelled synthetic (demo) prices;
 * - `not_modelled`: the data holds nothing to compute this figure from;
 * - `comparator`: the document states a bound (超过 / 不少于), which the computed value meets or not.
 */
export const RECONCILIATION_EXPLANATION_KINDS = [
  'placeholders',
  'estimated_dates',
  'implemented_after',
  'reached_on',
  'counted_batches',
  'missing_prices',
  'synthetic_prices',
  'not_modelled',
  'comparator',
] as const;
export const ReconciliationExplanation = z.object({
  kind: z.enum(RECONCILIATION_EXPLANATION_KINDS),
  message: z.string(),
  messageZh: z.string(),
  /** The batches it concerns, if any. */
  batches: z.array(z.string()),
});
export type ReconciliationExplanation = z.infer<typeof ReconciliationExplanation>;

export const ReconciliationItem = z.object({
  figure: PublishedFigure,
  /** What the figure counts, as the data measures it. */
  scope: z.object({
    productType: ProductType.nullable(),
    /** variety / category for coverage counts; null for batch counts and cuts. */
    unit: TargetUnit.nullable(),
    metricKind: z.enum(['count', 'fraction']),
  }),
  /** Published value as a number (fractions in [0, 1]). */
  published: z.number(),
  /** Computed for the same region and scope at the figure's date; null when the data cannot say. */
  computed: z.number().nullable(),
  computedAsOf: IsoDateString.nullable(),
  /** The same computation at the view's date, to show how it has moved since. */
  current: z.number().nullable(),
  /** computed − published (fractions: in fraction units, i.e. 0.012 = 1.2 points). */
  difference: z.number().nullable(),
  status: ReconciliationStatus,
  explanations: z.array(ReconciliationExplanation),
});
export type ReconciliationItem = z.infer<typeof ReconciliationItem>;

/** A number in a region's documents that is a target, not a published figure (shown so it is not mistaken for one). */
export const ReconciliationTargetRef = z.object({
  code: z.string(),
  regionCode: RegionCode,
  productType: ProductType,
  unit: TargetUnit,
  count: z.number().int(),
  dueOn: IsoDateString,
  source: SourceRef,
});
export type ReconciliationTargetRef = z.infer<typeof ReconciliationTargetRef>;

export const Reconciliation = z.object({
  /** The region asked for, or null for every readable region. */
  region: RegionCode.nullable(),
  date: IsoDateString,
  items: z.array(ReconciliationItem),
  targets: z.array(ReconciliationTargetRef),
});
export type Reconciliation = z.infer<typeof Reconciliation>;
