/**
 * Execution (执行): completion of agreed volumes against time progress, savings and non-selected share,
 * rolled up by institution, variety, city, province or batch. Quantities and money are decimal strings;
 * fractions are numbers (6 decimals).
 */
import { z } from 'zod';
import { DecimalString, IsoDateString, RegionCode } from './api';
import { maxDate, minDate, monthEnd } from './dates';
import { DateInput, intParam, PageParam, pageSizeParam, searchText } from './inputs';
import { THRESHOLD_SOURCES } from './settings';

export const EXECUTION_GROUPS = ['institution', 'variety', 'city', 'province', 'batch'] as const;
export type ExecutionGroup = (typeof EXECUTION_GROUPS)[number];

export const EXECUTION_SORTS = ['gap', 'completion', 'agreed', 'purchased', 'nonSelected', 'name'] as const;
export type ExecutionSort = (typeof EXECUTION_SORTS)[number];

/**
 * The rows a page of the dashboard's execution table asks for (the API's default page is larger). Here, not in
 * the web app, because the answers the API prepares after a commit (apps/api/src/warm-reads.ts) are its pages.
 */
export const EXECUTION_PAGE_SIZE = 20;

/** The most rows an XLSX export holds; the response says when more matched. */
export const EXECUTION_EXPORT_ROW_CAP = 20_000;

const Flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .meta({ description: 'true / false' });

const Threshold = z.coerce
  .number()
  .gt(0, { message: 'threshold must be above 0 / 阈值须大于0' })
  .max(1, { message: 'threshold must be at most 1 / 阈值不得超过1' })
  .optional()
  .meta({ description: "behind when completion < time progress × threshold (default: the province's setting, else 0.8)" });

export const ExecutionScopeQuery = z.object({
  region: RegionCode.meta({ description: 'a province; 100000 (every province) for national users only' }),
  date: DateInput.optional().meta({ description: 'as of this date (default today, CST)' }),
  threshold: Threshold,
});
export type ExecutionScopeQuery = z.infer<typeof ExecutionScopeQuery>;

export const ExecutionFilterQuery = ExecutionScopeQuery.extend({
  by: z.enum(EXECUTION_GROUPS).default('institution'),
  batch: searchText(64).optional().meta({ description: 'batch code' }),
  city: z.string().regex(/^\d{6}$/).optional().meta({ description: 'city code (6 digits)' }),
  level: searchText(20).optional().meta({ description: 'institution level: 三级 / 二级 / 一级 / 基层' }),
  behind: Flag.optional(),
  sort: z.enum(EXECUTION_SORTS).default('gap'),
  order: z.enum(['asc', 'desc']).optional().meta({ description: 'default: asc for gap, completion and name; desc otherwise' }),
});
export type ExecutionFilterQuery = z.infer<typeof ExecutionFilterQuery>;

export const ExecutionListQuery = ExecutionFilterQuery.extend({
  page: PageParam,
  pageSize: pageSizeParam(200, 50),
});
export type ExecutionListQuery = z.infer<typeof ExecutionListQuery>;

export const ExecutionSummaryQuery = ExecutionScopeQuery.extend({
  top: intParam(1, 20).default(5),
});
export type ExecutionSummaryQuery = z.infer<typeof ExecutionSummaryQuery>;

/** Completion figures of one rollup row (or of the whole filter). */
export const CompletionFigures = z.object({
  /** Σ purchased quantity of the selected products counted against the agreed volumes. */
  purchased: DecimalString,
  agreed: DecimalString,
  /** Σ agreed × time progress of each contract year: what should have been bought by the date. */
  expected: DecimalString,
  /** purchased / agreed; null when nothing is agreed. */
  completion: z.number().nullable(),
  /** agreed-weighted share of the contract years elapsed. */
  timeProgress: z.number(),
  behind: z.boolean(),
  /** Non-selected quantity / all quantity of the same varieties bought in the same months; null when nothing was bought. */
  nonSelectedShare: z.number().nullable(),
  /** Agreed-volume rows (institution × batch × variety [× product] × contract year) counted. */
  items: z.number().int(),
});
export type CompletionFigures = z.infer<typeof CompletionFigures>;

export const ExecutionRow = CompletionFigures.extend({
  key: z.string(),
  name: z.string(),
  /** What the row is beside its name: an institution's code, city and level; a variety's dosage form; a batch's name. */
  detail: z.string().nullable(),
  regionCode: RegionCode.nullable(),
  /** For institution rows: its id, for the drill-down. */
  institutionId: z.number().int().nullable(),
  level: z.string().nullable(),
});
export type ExecutionRow = z.infer<typeof ExecutionRow>;

export const ExecutionSource = z.object({
  /** Some agreed volumes or purchases in scope are labelled synthetic (demo data). */
  synthetic: z.boolean(),
  /** The committed uploads of agreed volumes and purchases of the region, newest first (at most 5). */
  uploads: z.array(
    z.object({ id: z.number().int(), kind: z.string(), fileName: z.string(), committedAt: z.string().nullable(), isSynthetic: z.boolean() }),
  ),
  /** The span of the region's agreed contract years, and the latest month with purchases (null: none). */
  periodsFrom: IsoDateString.nullable(),
  periodsTo: IsoDateString.nullable(),
  purchasesThrough: IsoDateString.nullable(),
});
export type ExecutionSource = z.infer<typeof ExecutionSource>;

/**
 * A date that has execution data, the end of the data: the end of the latest purchase month, within the span
 * of the agreed contract years (null when nothing is on file). The web app offers it in its empty states; the
 * API prepares the answers at it after a commit.
 */
export function suggestedDate(source: Pick<ExecutionSource, 'periodsFrom' | 'periodsTo' | 'purchasesThrough'>): string | null {
  if (!source.periodsFrom || !source.periodsTo) return null;
  const candidate = source.purchasesThrough ? minDate(monthEnd(source.purchasesThrough), source.periodsTo) : source.periodsTo;
  return maxDate(candidate, source.periodsFrom);
}

const Option = z.object({ value: z.string(), label: z.string() });

export const ExecutionList = z.object({
  region: RegionCode,
  date: IsoDateString,
  /** The warning threshold used, and where it came from (the request, the province's setting or the default). */
  threshold: z.number(),
  thresholdSource: z.enum(THRESHOLD_SOURCES),
  by: z.enum(EXECUTION_GROUPS),
  items: z.array(ExecutionRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The whole filter (every page), behind-only filter aside. */
  totals: CompletionFigures,
  behindCount: z.number().int(),
  /** Rows of the filter before behind-only is applied (behindCount of these are behind). */
  allRows: z.number().int(),
  options: z.object({ batches: z.array(Option), cities: z.array(Option), levels: z.array(Option) }),
  source: ExecutionSource,
});
export type ExecutionList = z.infer<typeof ExecutionList>;

export const ExecutionProduct = z.object({
  productId: z.number().int(),
  company: z.string(),
  spec: z.string(),
  packaging: z.string(),
  /** Selected in the row's batch (its purchases count towards completion). */
  selected: z.boolean(),
  /** Not selected in any batch (非中选). */
  nonSelected: z.boolean(),
  quantity: DecimalString,
  referencePrice: DecimalString.nullable(),
  selectedPrice: DecimalString.nullable(),
});
export type ExecutionProduct = z.infer<typeof ExecutionProduct>;

export const InstitutionExecutionRow = CompletionFigures.extend({
  batchCode: z.string(),
  batchNameZh: z.string(),
  varietyId: z.number().int(),
  varietyNameZh: z.string(),
  dosageFormGroup: z.string().nullable(),
  /** Set when the volume is agreed for one product. */
  productId: z.number().int().nullable(),
  contractYear: z.number().int(),
  periodStart: IsoDateString,
  periodEnd: IsoDateString,
  unit: z.string().nullable(),
  products: z.array(ExecutionProduct),
});
export type InstitutionExecutionRow = z.infer<typeof InstitutionExecutionRow>;

export const InstitutionExecution = z.object({
  region: RegionCode,
  date: IsoDateString,
  /** The warning threshold used, and where it came from (the request, the province's setting or the default). */
  threshold: z.number(),
  thresholdSource: z.enum(THRESHOLD_SOURCES),
  institution: z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    cityCode: z.string().nullable(),
    cityName: z.string().nullable(),
    level: z.string().nullable(),
    isSynthetic: z.boolean(),
  }),
  totals: CompletionFigures,
  rows: z.array(InstitutionExecutionRow),
  source: ExecutionSource,
});
export type InstitutionExecution = z.infer<typeof InstitutionExecution>;

export const ExecutionSummary = z.object({
  region: RegionCode,
  date: IsoDateString,
  /** The warning threshold used, and where it came from (the request, the province's setting or the default). */
  threshold: z.number(),
  thresholdSource: z.enum(THRESHOLD_SOURCES),
  totals: CompletionFigures,
  savings: z.object({
    /** Σ purchased quantity × (reference − selected price), 元, of purchases counted against agreed volumes from each contract's start to the date. */
    saving: DecimalString,
    spendAtReference: DecimalString,
    spendAtSelected: DecimalString,
    /** Selected products bought whose reference price is unknown: left out of the saving. */
    itemsWithoutReference: z.number().int(),
  }),
  institutions: z.object({ total: z.number().int(), behind: z.number().int() }),
  varieties: z.object({ total: z.number().int(), behind: z.number().int() }),
  behindInstitutions: z.array(ExecutionRow),
  behindVarieties: z.array(ExecutionRow),
  source: ExecutionSource,
});
export type ExecutionSummary = z.infer<typeof ExecutionSummary>;
