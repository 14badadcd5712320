/**
 * Scenarios (规划, issue 14): an office's what-if plans toward its targets. A scenario is a named list of
 * planned batches; each plans either a list of variety names (matched against what the province already
 * covers, so the net new count is computed) or a count with the share expected to be covered already.
 * A scenario never enters actual coverage, reconciliation or any published figure.
 * `POST /api/scenarios`, `GET /api/scenarios?region=`, `GET|PATCH|DELETE /api/scenarios/{id}`,
 * `GET /api/scenarios/{id}/projection`.
 */
import { z } from 'zod';
import { BatchLevel, IsoDateString, Page, ProductType, RegionCode, TargetUnit } from './api';
import { TARGET_SCOPES } from './enums';
import { DateInput, multiLineText, PageParam, pageSizeParam, singleLineText } from './inputs';

/** The most planned batches in one scenario, and variety names in one planned batch. */
export const MAX_SCENARIO_BATCHES = 20;
export const MAX_SCENARIO_VARIETIES = 1000;
/** Scenarios are saved per province; a page of the list holds at most this many. */
export const MAX_SCENARIO_PAGE_SIZE = 100;
/** A projection looks this far ahead for the met date (the same horizon as the targets' own projection). */
export const SCENARIO_HORIZON_YEARS = 100;

/** Planned batches are provincial or alliance ones: national batches are not the office's to plan. */
export const PLANNED_BATCH_LEVELS = ['provincial', 'alliance'] as const;
export type PlannedBatchLevel = (typeof PLANNED_BATCH_LEVELS)[number];

const VarietyName = singleLineText({
  max: 200,
  messages: { empty: 'a variety name is empty / 品种名称不能为空', tooLong: 'a variety name is longer than 200 characters / 品种名称不得超过 200 字' },
});

/** A share in [0, 1] as a decimal string with at most 3 decimals ('0.3'). */
export const CoveredShare = z
  .string()
  .regex(/^(0(\.\d{1,3})?|1(\.0{1,3})?)$/, { message: 'the covered share is a fraction from 0 to 1 with at most 3 decimals, e.g. "0.3" / 已覆盖比例应为 0 至 1 之间的小数（最多 3 位），如 "0.3"' })
  .meta({ description: 'of `varietyCount`, the share expected to be covered already', example: '0.3' });

export const PlannedBatchInput = z
  .object({
    name: singleLineText({ max: 200, messages: { empty: 'the planned batch needs a name / 规划批次名称不能为空' } }),
    level: z.enum(PLANNED_BATCH_LEVELS, { message: 'the level is provincial or alliance / 批次层级应为省级（provincial）或联盟（alliance）' }),
    productType: ProductType,
    announcementDate: DateInput.nullable().optional(),
    implementationDate: DateInput,
    /** Variety names as the office writes them (one per line in the form), matched at projection time. */
    varieties: z.array(VarietyName).min(1, { message: 'the variety list is empty / 品种清单为空' }).max(MAX_SCENARIO_VARIETIES).nullable().optional(),
    varietyCount: z.number().int().min(1, { message: 'the planned variety count is at least 1 / 规划品种数至少为 1' }).max(10_000).nullable().optional(),
    coveredShare: CoveredShare.nullable().optional(),
  })
  .superRefine((b, ctx) => {
    const hasList = b.varieties !== undefined && b.varieties !== null;
    const hasCount = b.varietyCount !== undefined && b.varietyCount !== null;
    if (!hasList && !hasCount)
      ctx.addIssue({ code: 'custom', path: ['varieties'], message: 'give a list of variety names or a variety count / 请填写品种清单或品种数量' });
    if (hasList && hasCount)
      ctx.addIssue({ code: 'custom', path: ['varietyCount'], message: 'give a list of variety names or a count, not both / 品种清单与品种数量只填其一' });
    if (hasList && b.coveredShare !== undefined && b.coveredShare !== null)
      ctx.addIssue({ code: 'custom', path: ['coveredShare'], message: 'a listed batch is matched by name: the covered share applies to a count only / 按清单规划的批次按名称匹配，已覆盖比例仅用于按数量规划' });
    if (b.announcementDate && b.announcementDate > b.implementationDate)
      ctx.addIssue({ code: 'custom', path: ['announcementDate'], message: 'the announcement is after the implementation date / 公告日期晚于执行日期' });
  });
export type PlannedBatchInput = z.infer<typeof PlannedBatchInput>;

const ScenarioName = singleLineText({
  max: 100,
  messages: { empty: 'the scenario needs a name / 规划名称不能为空', tooLong: 'the scenario name is longer than 100 characters / 规划名称不得超过 100 字' },
});

export const CreateScenarioInput = z.object({
  name: ScenarioName,
  regionCode: RegionCode,
  note: multiLineText({ max: 1000 }).nullable().optional(),
  batches: z.array(PlannedBatchInput).min(1, { message: 'a scenario plans at least one batch / 规划至少包含一个批次' }).max(MAX_SCENARIO_BATCHES),
});
export type CreateScenarioInput = z.infer<typeof CreateScenarioInput>;

/** A change: the name, the note, and (when given) the whole list of planned batches, replacing the old one. */
export const UpdateScenarioInput = CreateScenarioInput.omit({ regionCode: true }).partial();
export type UpdateScenarioInput = z.infer<typeof UpdateScenarioInput>;

export const PlannedBatch = z.object({
  position: z.number().int(),
  name: z.string(),
  level: z.enum(PLANNED_BATCH_LEVELS),
  productType: ProductType,
  announcementDate: IsoDateString.nullable(),
  implementationDate: IsoDateString,
  varieties: z.array(z.string()).nullable(),
  varietyCount: z.number().int().nullable(),
  coveredShare: z.string().nullable(),
});
export type PlannedBatch = z.infer<typeof PlannedBatch>;

export const ScenarioView = z.object({
  id: z.number().int(),
  regionCode: RegionCode,
  name: z.string(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  batches: z.array(PlannedBatch),
});
export type ScenarioView = z.infer<typeof ScenarioView>;

export const ScenarioQuery = z.object({
  region: RegionCode.optional().meta({ description: "the province's scenarios (default: your own province; every province's for a national user)" }),
  page: PageParam,
  pageSize: pageSizeParam(MAX_SCENARIO_PAGE_SIZE, 50),
});
export type ScenarioQuery = z.infer<typeof ScenarioQuery>;

export const ScenarioList = Page(ScenarioView);
export type ScenarioList = z.infer<typeof ScenarioList>;

/** A variety already covered in the province that a planned name matched. */
export const ScenarioOverlap = z.object({
  /** The name as planned. */
  name: z.string(),
  variety: z.object({ id: z.number().int(), nameZh: z.string(), key: z.string() }),
});
export type ScenarioOverlap = z.infer<typeof ScenarioOverlap>;

export const ScenarioBatchProjection = z.object({
  position: z.number().int(),
  name: z.string(),
  level: z.enum(PLANNED_BATCH_LEVELS),
  productType: ProductType,
  implementationDate: IsoDateString,
  /** `list`: names matched; `count`: round(count × (1 − coveredShare)), an assumption. */
  basis: z.enum(['list', 'count']),
  planned: z.number().int(),
  netNewVarieties: z.number().int(),
  overlap: z.array(ScenarioOverlap),
  /** Names planned again (in this batch or an earlier one of the scenario): counted once. */
  repeated: z.array(z.string()),
});
export type ScenarioBatchProjection = z.infer<typeof ScenarioBatchProjection>;

export const ScenarioPathPoint = z.object({ date: IsoDateString, baseline: z.number(), scenario: z.number() });

export const ScenarioTargetProjection = z.object({
  targetId: z.number().int(),
  code: z.string(),
  ownerRegionCode: RegionCode,
  scope: z.enum(TARGET_SCOPES),
  productType: ProductType,
  unit: TargetUnit,
  count: z.number().int(),
  dueOn: IsoDateString,
  current: z.number().int(),
  /** The targets' own projection (24-month trend), unchanged by the scenario. */
  baseline: z.object({ projectedAtDue: z.number().nullable(), metOn: IsoDateString.nullable() }),
  /** The baseline plus the net new varieties of each planned batch from its implementation date. */
  scenario: z.object({
    projectedAtDue: z.number().nullable(),
    metOn: IsoDateString.nullable(),
    /** Net new varieties of the planned batches implemented on or before the due date. */
    addedByDue: z.number().int(),
  }),
  /** False for a category target: planned batches are counted in varieties, so they do not move it. */
  applies: z.boolean(),
  /** Month-ends from today to the due date (and each implementation date): the two projections, for a chart. */
  path: z.array(ScenarioPathPoint),
});
export type ScenarioTargetProjection = z.infer<typeof ScenarioTargetProjection>;

export const ScenarioProjection = z.object({
  scenario: ScenarioView,
  asOf: IsoDateString,
  horizonYears: z.number().int(),
  /** Net new varieties of the whole scenario (a name planned twice counts once). */
  netNewVarieties: z.number().int(),
  overlap: z.array(ScenarioOverlap),
  batches: z.array(ScenarioBatchProjection),
  targets: z.array(ScenarioTargetProjection),
  /** How the projection was made, in Chinese and English. */
  assumptions: z.array(z.object({ zh: z.string(), en: z.string() })),
});
export type ScenarioProjection = z.infer<typeof ScenarioProjection>;
