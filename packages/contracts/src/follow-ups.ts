/**
 * The follow-up list (督办): lagging institutions (or institution × variety) an office chases, with why, until
 * when and where each stands. An office's own working data, never part of the published record. Dates are
 * YYYY-MM-DD; fractions are numbers (6 decimals).
 */
import { z } from 'zod';
import { IsoDateString, RegionCode } from './api';
import { FOLLOW_UP_REASONS, FOLLOW_UP_STATUSES } from './enums';
import { DateInput, Id, multiLineText, PageParam, pageSizeParam, searchText, singleLineText } from './inputs';
import { THRESHOLD_SOURCES } from './settings';

export const FollowUpReason = z.enum(FOLLOW_UP_REASONS);
export const FollowUpStatus = z.enum(FOLLOW_UP_STATUSES);

export const FOLLOW_UP_REASON_LABELS: Record<z.infer<typeof FollowUpReason>, { zh: string; en: string }> = {
  clinical_demand: { zh: '临床需求变化', en: 'Clinical demand changed' },
  supply: { zh: '供应或配送问题', en: 'Supply or delivery problem' },
  late_purchase: { zh: '医院未及时采购', en: 'Hospital did not buy in time' },
  not_reported: { zh: '数据未上报', en: 'Data not reported' },
  other: { zh: '其他', en: 'Other' },
};

export const FOLLOW_UP_STATUS_LABELS: Record<z.infer<typeof FollowUpStatus>, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'Open' },
  interviewed: { zh: '已约谈', en: 'Interviewed' },
  rectified: { zh: '已整改', en: 'Rectified' },
  closed: { zh: '已关闭', en: 'Closed' },
};

/** The most rows a follow-up export holds; the response says when more matched. */
export const FOLLOW_UP_EXPORT_ROW_CAP = 20_000;

const Note = multiLineText({ max: 2000, messages: { tooLong: 'at most 2000 characters / 备注不超过2000字' } });

export const CreateFollowUpInput = z.object({
  regionCode: RegionCode,
  institutionId: Id,
  /** Null or absent: the institution as a whole. */
  varietyId: Id.nullable().optional(),
  /** The batch (code) the lag was seen in, when there is one. */
  batchCode: singleLineText({ max: 64 }).nullable().optional(),
  reason: FollowUpReason,
  note: Note.nullable().optional(),
  dueOn: DateInput,
});
export type CreateFollowUpInput = z.infer<typeof CreateFollowUpInput>;

export const UpdateFollowUpInput = z
  .object({ status: FollowUpStatus, reason: FollowUpReason, note: Note.nullable(), dueOn: DateInput })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change / 没有要修改的内容' });
export type UpdateFollowUpInput = z.infer<typeof UpdateFollowUpInput>;

export const FollowUpRegionQuery = z.object({ region: RegionCode.meta({ description: 'the province the follow-up belongs to' }) });

export const FollowUpFilterQuery = z.object({
  region: RegionCode.meta({ description: 'a province; 100000 (every province) for national users only' }),
  status: FollowUpStatus.optional(),
  city: z.string().regex(/^\d{6}$/).optional().meta({ description: "the institution's city code (6 digits)" }),
  batch: searchText(64).optional().meta({ description: 'batch code' }),
  reason: FollowUpReason.optional(),
  date: DateInput.optional().meta({ description: 'overdue and caught-up are judged as of this date (default today, CST)' }),
});
export type FollowUpFilterQuery = z.infer<typeof FollowUpFilterQuery>;

export const FollowUpQuery = FollowUpFilterQuery.extend({
  page: PageParam,
  pageSize: pageSizeParam(100, 20),
});
export type FollowUpQuery = z.infer<typeof FollowUpQuery>;

export const FollowUpView = z.object({
  id: z.number().int(),
  regionCode: RegionCode,
  institution: z.object({ id: z.number().int(), code: z.string(), name: z.string(), cityCode: z.string().nullable(), cityName: z.string().nullable() }),
  variety: z.object({ id: z.number().int(), nameZh: z.string(), dosageFormGroup: z.string().nullable() }).nullable(),
  batch: z.object({ code: z.string(), nameZh: z.string() }).nullable(),
  reason: FollowUpReason,
  note: z.string().nullable(),
  dueOn: IsoDateString,
  status: FollowUpStatus,
  /** The due date has passed (before the as-of date) and the item is not closed. */
  overdue: z.boolean(),
  /**
   * For items not closed: whether completion of the institution (× variety, within the batch when one is set)
   * has caught up with time progress, by the execution page's rule (not behind: completion ≥ time progress ×
   * threshold) over the contract years in force. Null when closed or nothing is agreed in force. The item
   * is never closed by it.
   */
  caughtUp: z.boolean().nullable(),
  completion: z.number().nullable(),
  timeProgress: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type FollowUpView = z.infer<typeof FollowUpView>;

export const FollowUpCounts = z.object({
  /** Not closed (待处理, 已约谈 or 已整改). */
  open: z.number().int(),
  /** Of those, past their due date. */
  overdue: z.number().int(),
});
export type FollowUpCounts = z.infer<typeof FollowUpCounts>;

const Option = z.object({ value: z.string(), label: z.string() });

export const FollowUpList = z.object({
  region: RegionCode,
  date: IsoDateString,
  /** The warning threshold the caught-up flags were judged with, and where it came from (the province's setting or the default). */
  threshold: z.number(),
  thresholdSource: z.enum(THRESHOLD_SOURCES),
  items: z.array(FollowUpView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: FollowUpCounts,
  /** The cities and batches of the region's follow-ups, for the filters. */
  options: z.object({ cities: z.array(Option), batches: z.array(Option) }),
});
export type FollowUpList = z.infer<typeof FollowUpList>;
