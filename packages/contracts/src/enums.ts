/** Fixed vocabularies shared by the database, the API and the web app. */

export const REGION_KINDS = ['nation', 'province', 'autonomous_region', 'municipality', 'corps'] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/** 国家组织 / 省际联盟 / 省级 */
export const BATCH_LEVELS = ['national', 'alliance', 'provincial'] as const;
export type BatchLevel = (typeof BATCH_LEVELS)[number];

export const PRODUCT_TYPES = ['drug', 'consumable'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** 化学药 / 生物药 / 中成药 (traditional Chinese medicine, incl. formula granules) */
export const DRUG_CLASSES = ['chemical', 'biological', 'tcm'] as const;
export type DrugClass = (typeof DRUG_CLASSES)[number];

/** How precise a published date is: a month-precision date is stored as the first of the month. */
export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/** A tendered variety either produced a selected product or failed (流标). */
export const VARIETY_OUTCOMES = ['selected', 'failed'] as const;
export type VarietyOutcome = (typeof VARIETY_OUTCOMES)[number];

/** What a target counts: varieties (品种) or, for consumables, categories (类). */
export const TARGET_UNITS = ['variety', 'category'] as const;
export type TargetUnit = (typeof TARGET_UNITS)[number];

/** `region`: the region's own target; `each_province`: a national target every province reports against. */
export const TARGET_SCOPES = ['region', 'each_province'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

export const TARGET_STATUSES = ['met', 'on_track', 'at_risk', 'behind'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** How a published figure relates to its value: "556" (eq), "超过50%" (gt), "500个以上" (gte), "约" (approx). */
export const FIGURE_COMPARATORS = ['eq', 'gt', 'gte', 'approx'] as const;
export type FigureComparator = (typeof FIGURE_COMPARATORS)[number];

/** The code of the whole country in region parameters. */
export const NATION_CODE = '100000';

/**
 * Why a lagging institution is on the follow-up list (督办原因): 临床需求变化 / 供应或配送问题 /
 * 医院未及时采购 / 数据未上报 / 其他.
 */
export const FOLLOW_UP_REASONS = ['clinical_demand', 'supply', 'late_purchase', 'not_reported', 'other'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

/** Where a follow-up stands: 待处理 / 已约谈 / 已整改 / 已关闭. */
export const FOLLOW_UP_STATUSES = ['open', 'interviewed', 'rectified', 'closed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** Days before a contract period ends at which an office is alerted (a province may change them). */
export const DEFAULT_CONTRACT_ALERT_DAYS = [180, 90, 60, 30, 7] as const;

/** Completion below this share of time progress is a warning (a province may change it). */
export const DEFAULT_PROGRESS_WARNING_THRESHOLD = 0.8;
