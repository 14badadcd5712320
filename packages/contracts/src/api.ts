/**
 * The shapes the API speaks. The API validates its inputs and documents its outputs with these
 * schemas (OpenAPI at /api/openapi.json); the web app infers its types from them. Money and prices are
 * decimal strings (never floats); fractions (cuts, progress) are numbers in [0, 1]; dates are YYYY-MM-DD.
 */
import { z } from 'zod';
import {
  BATCH_LEVELS,
  DATE_PRECISIONS,
  DRUG_CLASSES,
  FIGURE_COMPARATORS,
  PRODUCT_TYPES,
  REGION_KINDS,
  TARGET_SCOPES,
  TARGET_STATUSES,
  TARGET_UNITS,
  VARIETY_OUTCOMES,
} from './enums';
import { isIsoDate } from './dates';
import { DateInput, decimalInput, intInput, intParam, multiLineText, PageParam, pageSizeParam, searchText, singleLineText } from './inputs';
import { BATCH_STATUSES } from './batch-status';

export const IsoDateString = z
  .string()
  .refine(isIsoDate, { message: 'expected a calendar date YYYY-MM-DD / 日期格式应为 YYYY-MM-DD' })
  .meta({ example: '2024-06-30' });
export const RegionCode = z
  .string()
  .regex(/^\d{6}$/, { message: 'expected a 6-digit region code (GB/T 2260) / 区划代码应为6位数字' })
  .meta({ example: '320000' });
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/).meta({ example: '12.3400' });

export const BatchLevel = z.enum(BATCH_LEVELS);
export const ProductType = z.enum(PRODUCT_TYPES);
export const DatePrecision = z.enum(DATE_PRECISIONS);
export const TargetUnit = z.enum(TARGET_UNITS);
export const TargetStatus = z.enum(TARGET_STATUSES);

/** One error shape for every failure: `{ error: { code, message, messageZh, requestId, issues? } }`. */
export const ApiError = z.object({
  error: z.object({
    code: z.string().meta({ example: 'NOT_FOUND' }),
    message: z.string(),
    messageZh: z.string(),
    requestId: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string(), value: z.unknown().optional() }))
      .optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export const Health = z.object({
  /** false (with status 503) while the database cannot be reached. */
  ok: z.boolean(),
  /** The engine: embedded PGlite, a PostgreSQL server, or a Citus cluster's coordinator. */
  db: z.enum(['pglite', 'postgres', 'citus', 'unreachable']),
  /** Demo mode: demo accounts exist and some data is synthetic. */
  demo: z.boolean(),
  /** The server's version. */
  version: z.string(),
  /** Migrations the database has had and the ones this server has (null while the database is away). */
  migrations: z.object({ applied: z.number().int(), expected: z.number().int(), latest: z.string() }).nullable(),
});
export type Health = z.infer<typeof Health>;

export const Region = z.object({
  code: RegionCode,
  nameZh: z.string(),
  shortNameZh: z.string(),
  nameEn: z.string(),
  kind: z.enum(REGION_KINDS),
});
export type Region = z.infer<typeof Region>;
export const RegionList = z.object({ items: z.array(Region) });

export const SourceRef = z.object({
  documentCode: z.string().nullable(),
  titleZh: z.string().nullable(),
  issuer: z.string().nullable(),
  issuedOn: IsoDateString.nullable(),
  url: z.string().nullable(),
  clause: z.string().nullable(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const PublishedFigure = z.object({
  code: z.string(),
  regionCode: RegionCode.nullable(),
  batchCode: z.string().nullable(),
  metric: z.string(),
  productType: ProductType.nullable(),
  comparator: z.enum(FIGURE_COMPARATORS),
  value: DecimalString,
  unit: z.string(),
  asOf: IsoDateString.nullable(),
  source: SourceRef,
  sourceUrl: z.string().nullable(),
  note: z.string().nullable(),
});
export type PublishedFigure = z.infer<typeof PublishedFigure>;

// ---- batches ----

export const BatchListQuery = z.object({
  level: BatchLevel.optional(),
  type: ProductType.optional(),
  region: RegionCode.optional().meta({ description: 'batches implemented in (or organised by) this region' }),
  q: searchText(100).optional().meta({ description: 'search in code and names (中文/English)' }),
  year: intParam(2000, 2100).optional().meta({ description: 'announced, or first implemented (in the region), in this year' }),
  status: z.enum(BATCH_STATUSES).optional().meta({ description: 'status in the region (all regions without one) on `date`; rule in @vbp/contracts/batch-status' }),
  date: DateInput.optional().meta({ description: 'the day statuses are measured on; default: today (China Standard Time)' }),
  page: PageParam,
  pageSize: pageSizeParam(200, 50),
});
export type BatchListQuery = z.infer<typeof BatchListQuery>;

export const BatchSummary = z.object({
  code: z.string(),
  level: BatchLevel,
  productType: ProductType,
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  organizer: z.string(),
  allianceCode: z.string().nullable(),
  regionCode: RegionCode.nullable(),
  announcedOn: IsoDateString.nullable(),
  announcedPrecision: DatePrecision.nullable(),
  implementedOn: IsoDateString.nullable(),
  implementedPrecision: DatePrecision.nullable(),
  contractYears: DecimalString.nullable(),
  renewalOf: z.string().nullable(),
  /** Varieties the batch covers: with a selected product, or placeholders standing in for the list. */
  varietyCount: z.number().int(),
  productCount: z.number().int(),
  /** Of `productCount`, products labelled synthetic (demo data). */
  syntheticProductCount: z.number().int(),
  placeholderCount: z.number().int(),
  failedCount: z.number().int(),
  varietiesArePlaceholders: z.boolean(),
  published: z.object({
    varietyCount: z.number().int().nullable(),
    productCount: z.number().int().nullable(),
    avgCut: z.number().nullable(),
    cutNote: z.string().nullable(),
  }),
  source: z.string().nullable(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
/** A batch in the list: its summary, its status and dates in the list's region (every region without one), its computed cut. */
export const BatchListItem = BatchSummary.extend({
  status: z.enum(BATCH_STATUSES),
  /** The earliest implementation start in the region (anywhere without one), and whether that date is estimated. */
  firstStartOn: IsoDateString.nullable(),
  firstStartEstimated: z.boolean(),
  /** The latest contract end there; null when any started implementation has no published end. */
  contractEndOn: IsoDateString.nullable(),
  /** Computed plain mean cut over varieties (as CutStats.plainMean); null without reference prices. */
  computedAvgCut: z.number().nullable(),
});
export type BatchListItem = z.infer<typeof BatchListItem>;
export const BatchList = Page(BatchListItem).extend({ asOf: IsoDateString });
export type BatchList = z.infer<typeof BatchList>;

export const BatchVariety = z.object({
  id: z.number().int(),
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  dosageFormGroup: z.string().nullable(),
  drugClass: z.enum(DRUG_CLASSES).nullable(),
  categoryCode: z.string().nullable(),
  categoryNameZh: z.string().nullable(),
  isPlaceholder: z.boolean(),
  outcome: z.enum(VARIETY_OUTCOMES),
  productCount: z.number().int(),
});
export type BatchVariety = z.infer<typeof BatchVariety>;

export const BatchProduct = z.object({
  id: z.number().int(),
  varietyId: z.number().int(),
  varietyNameZh: z.string(),
  company: z.string(),
  spec: z.string(),
  packaging: z.string(),
  unit: z.string().nullable(),
  nhsaCode: z.string().nullable(),
  referencePrice: DecimalString.nullable(),
  /**
   * What the reference price is: the ceiling price (最高有效申报价) or, in the 4+7 pilot, the company's own
   * 3-year average price (企业近三年平均价); the cut is measured against it.
   */
  referenceBasis: z.enum(['ceiling', 'company_average']),
  /** The variety's main strength (主规格) in this batch, where the table marks one. */
  isMainStrength: z.boolean(),
  selectedPrice: DecimalString,
  priceUnit: z.string().nullable(),
  /** 1 − selected / reference, null when the reference price is unknown. */
  cut: z.number().nullable(),
  isSynthetic: z.boolean(),
});
export type BatchProduct = z.infer<typeof BatchProduct>;

/**
 * A strength the batch's results table lists for a selected variety: with the agreed quantity it states
 * (the 4+7 pilot's 采购数量, in minimum units), or listed without a price of its own (`hasPrice` false: it
 * follows the main strength's price, as the pilot's other strengths did).
 */
export const BatchStrength = z.object({
  varietyId: z.number().int(),
  varietyNameZh: z.string(),
  spec: z.string(),
  quantity: DecimalString.nullable(),
  isMainStrength: z.boolean(),
  hasPrice: z.boolean(),
});
export type BatchStrength = z.infer<typeof BatchStrength>;

export const CutStats = z.object({
  productCount: z.number().int(),
  varietyCount: z.number().int(),
  /** Mean over varieties of each variety's mean product cut: what announcements quote. */
  plainMean: z.number().nullable(),
  /** Mean over products weighted by agreed volume; null without agreed volumes. */
  volumeWeightedMean: z.number().nullable(),
  /** 1 − Σ volume × selected / Σ volume × reference; null without agreed volumes. */
  spendWeightedMean: z.number().nullable(),
  min: z.number().nullable(),
  median: z.number().nullable(),
  max: z.number().nullable(),
  /** Products whose prices are labelled synthetic (demo data): the figures above include them. */
  syntheticProductCount: z.number().int(),
});
export type CutStats = z.infer<typeof CutStats>;

export const Implementation = z.object({
  regionCode: RegionCode,
  regionNameZh: z.string(),
  startOn: IsoDateString,
  startPrecision: DatePrecision,
  contractEndOn: IsoDateString.nullable(),
  estimated: z.boolean(),
  source: z.string().nullable(),
  note: z.string().nullable(),
});
export type Implementation = z.infer<typeof Implementation>;

/** Cuts counted in [from, to) (the top bin closed); fractions. */
export const HistogramBin = z.object({ from: z.number(), to: z.number(), count: z.number().int() });
export type HistogramBin = z.infer<typeof HistogramBin>;

export const BatchDetail = BatchSummary.extend({
  note: z.string().nullable(),
  varieties: z.array(BatchVariety),
  products: z.array(BatchProduct),
  /** The strengths the results table lists with a quantity or without a price (empty for most batches). */
  strengths: z.array(BatchStrength),
  cuts: CutStats,
  publishedFigures: z.array(PublishedFigure),
  implementations: z.array(Implementation),
  /** The batches this one renews and is renewed by, oldest first (including this one). */
  renewalChain: z.array(z.object({ code: z.string(), nameZh: z.string(), implementedOn: IsoDateString.nullable() })),
  /** Product cuts counted in 10-point bins [from, to), zero-filled from min(0, lowest) to 100% (the last bin closed). */
  cutHistogram: z.array(HistogramBin),
});
export type BatchDetail = z.infer<typeof BatchDetail>;

// ---- coverage ----

export const CoverageQuery = z.object({
  region: RegionCode.meta({ description: '100000 = the whole country (national batches only)' }),
  type: ProductType,
  date: DateInput.optional().meta({ description: 'default: today (China Standard Time)' }),
  unit: TargetUnit.default('variety'),
});
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const ByLevel = z.object({ national: z.number().int(), alliance: z.number().int(), provincial: z.number().int() });
export type ByLevel = z.infer<typeof ByLevel>;

export const Coverage = z.object({
  region: RegionCode,
  type: ProductType,
  unit: TargetUnit,
  date: IsoDateString,
  /** Distinct varieties (or categories) in every batch implemented in the region on or before `date`. */
  cumulative: z.number().int(),
  /** … of which a contract is running at `date` (an unknown contract end counts as running). */
  inForce: z.number().int(),
  /** In force only through contracts whose end date is unknown. */
  inForceUnknownEnd: z.number().int(),
  /** Cumulative, each variety attributed to the level of the batch that covered it first. */
  byLevel: ByLevel,
  /** Counted varieties that are placeholders for lists not yet loaded. */
  placeholders: z.number().int(),
  batches: z.array(z.object({ code: z.string(), level: BatchLevel, startOn: IsoDateString, estimated: z.boolean(), count: z.number().int() })),
});
export type Coverage = z.infer<typeof Coverage>;

export const CoverageSeriesQuery = z.object({
  region: RegionCode,
  type: ProductType,
  unit: TargetUnit.default('variety'),
  from: DateInput.optional(),
  to: DateInput.optional(),
});
export const CoverageSeries = z.object({
  region: RegionCode,
  type: ProductType,
  unit: TargetUnit,
  points: z.array(z.object({ date: IsoDateString, cumulative: z.number().int(), inForce: z.number().int(), byLevel: ByLevel })),
});
export type CoverageSeries = z.infer<typeof CoverageSeries>;

// ---- targets ----

export const TargetQuery = z.object({
  region: RegionCode.optional().meta({ description: "the region's own targets and the national ones it reports against" }),
  date: DateInput.optional().meta({ description: 'evaluate as of this date (default today, CST)' }),
});

export const TargetProgress = z.object({
  asOf: IsoDateString,
  current: z.number().int(),
  /** current / count, may exceed 1 */
  fraction: z.number(),
  baseline: z.number().int(),
  expectedNow: z.number(),
  projectedAtDue: z.number().nullable(),
  /** When met: the day coverage reached the count; otherwise the day the trend would reach it (null if never). */
  projectedMetOn: IsoDateString.nullable(),
  status: TargetStatus,
  statusReason: z.string(),
  statusReasonZh: z.string(),
});
export type TargetProgress = z.infer<typeof TargetProgress>;

export const TargetView = z.object({
  id: z.number().int(),
  code: z.string(),
  /** The region that set the target (100000 for national ones). */
  ownerRegionCode: RegionCode,
  /** The region progress is measured for. */
  regionCode: RegionCode,
  scope: z.enum(TARGET_SCOPES),
  productType: ProductType,
  unit: TargetUnit,
  count: z.number().int(),
  dueOn: IsoDateString,
  dueAssumed: z.boolean(),
  dueNote: z.string().nullable(),
  setOn: IsoDateString,
  source: SourceRef,
  note: z.string().nullable(),
  /** Null for a national per-province target viewed for the nation itself. */
  progress: TargetProgress.nullable(),
  expectedPath: z.array(z.object({ date: IsoDateString, value: z.number() })),
});
export type TargetView = z.infer<typeof TargetView>;
export const TargetList = z.object({ items: z.array(TargetView) });
export type TargetList = z.infer<typeof TargetList>;

// ---- overview ----

export const OverviewQuery = z.object({ region: RegionCode, date: DateInput.optional() });

/** One batch's cuts in the region: computed (plain and volume-weighted) beside the published figure. */
export const BatchCut = z.object({
  batchCode: z.string(),
  batchNameZh: z.string(),
  level: BatchLevel,
  productType: ProductType,
  varietyCount: z.number().int(),
  productCount: z.number().int(),
  syntheticProductCount: z.number().int(),
  plainMean: z.number().nullable(),
  /** Weighted by the region's agreed volumes; null without them. */
  volumeWeightedMean: z.number().nullable(),
  /** The batch's published average cut (a fraction) and how it was stated; null when none is published. */
  publishedAvgCut: z.number().nullable(),
  publishedCutNote: z.string().nullable(),
  source: z.string().nullable(),
});
export type BatchCut = z.infer<typeof BatchCut>;
/** The "ending soon" window: the largest of the region's contract alert days, its own setting or the default. */
export const ContractWindow = z.object({ days: z.number().int(), source: z.enum(['setting', 'default']) });
export type ContractWindow = z.infer<typeof ContractWindow>;
export const Overview = z.object({
  region: Region,
  date: IsoDateString,
  coverage: z.object({ drug: Coverage, consumableVarieties: Coverage, consumableCategories: Coverage }),
  targets: z.array(TargetView),
  cuts: z.object({ drug: CutStats, consumable: CutStats }),
  publishedFigures: z.array(PublishedFigure),
  contractsEndingSoon: z.array(
    z.object({ batchCode: z.string(), batchNameZh: z.string(), regionCode: RegionCode, contractEndOn: IsoDateString, daysLeft: z.number().int(), renewedBy: z.string().nullable() }),
  ),
  /** `contractsEndingSoon` end within this many days of `date`. */
  contractWindow: ContractWindow,
  /** Batches in force by `date` whose contract end is not known (in no province, for 全国): they may be ending too. */
  contractsEndUnknown: z.number().int(),
  /** Batches implemented in the region by `date` (全国: national batches), largest plain mean cut first. */
  cutsByBatch: z.array(BatchCut),
  /** Product-level cuts of those batches counted in bins of 10 percentage points (see cutHistogram). */
  cutDistribution: z.object({ drug: z.array(HistogramBin), consumable: z.array(HistogramBin) }),
  /** True when any figure on the page rests on labelled synthetic data (execution data or product prices). */
  syntheticData: z.boolean(),
});
export type Overview = z.infer<typeof Overview>;

// ---- writes by the procurement office ----

/** A target set by a region (or a national one), with its source. */
export const CreateTargetInput = z.object({
  regionCode: RegionCode,
  scope: z.enum(TARGET_SCOPES).default('region'),
  productType: ProductType,
  unit: TargetUnit,
  count: intInput(1, 100_000),
  dueOn: DateInput,
  dueAssumed: z.boolean().default(false),
  dueNote: multiLineText({ max: 500 }).nullable().default(null),
  setOn: DateInput,
  /** The source document's code (see the reference documents), or null with the source in `note`. */
  documentCode: singleLineText({ max: 64 }).nullable().default(null),
  clause: singleLineText({ max: 200 }).nullable().default(null),
  note: multiLineText({ max: 1000 }).nullable().default(null),
});
export type CreateTargetInput = z.infer<typeof CreateTargetInput>;

export const UpdateTargetInput = CreateTargetInput.omit({ regionCode: true, scope: true }).partial();
export type UpdateTargetInput = z.infer<typeof UpdateTargetInput>;

/** Batch metadata the procurement office may correct (codes, levels and lists come from uploads). */
export const UpdateBatchInput = z
  .object({
    nameZh: singleLineText({ max: 200 }),
    nameEn: singleLineText({ max: 200, allowEmpty: true }).nullable(),
    organizer: singleLineText({ max: 200 }),
    announcedOn: DateInput.nullable(),
    implementedOn: DateInput.nullable(),
    /** Years of the contract (a numeric(4, 1) column): above 0, at most 10, one decimal. */
    contractYears: decimalInput({ min: 0, max: 10, scale: 1, exclusiveMin: true }).nullable(),
    source: multiLineText({ max: 2000 }).nullable(),
    note: multiLineText({ max: 2000 }).nullable(),
  })
  .partial();
export type UpdateBatchInput = z.infer<typeof UpdateBatchInput>;

// ---- source documents ----

export const SourceDocument = z.object({
  code: z.string(),
  titleZh: z.string(),
  issuer: z.string(),
  issuedOn: IsoDateString.nullable(),
  url: z.string().nullable(),
});
export type SourceDocument = z.infer<typeof SourceDocument>;
export const SourceDocumentList = z.object({ items: z.array(SourceDocument) });
export type SourceDocumentList = z.infer<typeof SourceDocumentList>;

/** GET /api/batches/{code}/volumes: the province's official task volume (各省约定采购量) of a batch. */
export const ProvinceVolumesQuery = z.object({
  region: RegionCode.meta({ description: 'a province; 100000 (every province, summed) for national users' }),
  contractYear: intParam(1, 10).default(1).meta({ description: 'contract year (1 = first year)' }),
});
export type ProvinceVolumesQuery = z.infer<typeof ProvinceVolumesQuery>;

export const ProvinceVolumeItem = z.object({
  variety: z.string(),
  varietyId: z.number().int(),
  /** The strength as published, '' when the table does not split the variety by strength. */
  spec: z.string(),
  isMainStrength: z.boolean(),
  /** In minimum units (片, 粒, 支, 袋). */
  quantity: DecimalString,
  unit: z.string().nullable(),
});

/** Per variety: the province's volume beside the sum of its institutions' agreed volumes (the allocation check). */
export const ProvinceVolumeAllocation = z.object({
  varietyId: z.number().int(),
  variety: z.string(),
  /** The province's volume, all strengths. */
  quantity: DecimalString,
  /** The sum of the institutions' agreed volumes of the variety for the same contract year. */
  allocated: DecimalString,
  /** allocated / quantity (1 = the hospitals' volumes add up to the province's), null when quantity is 0. */
  ratio: z.number().nullable(),
  /**
   * The batch's selected products of the variety bought by the province's institutions in the same contract
   * year (the year counted from the batch's implementation date in the province), so far.
   */
  purchased: DecimalString,
  /** purchased / quantity: the province's completion against its official volume; null when quantity is 0. */
  completion: z.number().nullable(),
});

export const ProvinceVolumes = z.object({
  region: RegionCode,
  batch: z.string(),
  contractYear: z.number().int(),
  /** The unit of every quantity: the minimum unit of each variety (片, 粒, 支, 袋). */
  unit: z.literal('minimum unit'),
  total: DecimalString,
  varietyCount: z.number().int(),
  items: z.array(ProvinceVolumeItem),
  allocation: z.array(ProvinceVolumeAllocation),
  /** Every province: its total and variety count (national users, region 100000), else []. */
  regions: z.array(z.object({ region: RegionCode, nameZh: z.string(), total: DecimalString, varietyCount: z.number().int() })),
});
export type ProvinceVolumes = z.infer<typeof ProvinceVolumes>;
