/**
 * 合同 (contract periods): each batch's implementation start → contract end in a region, with the
 * expiry state and the renewal (接续采购) status as of a date. `GET /api/contracts?region=&date=`.
 */
import { z } from 'zod';
import { BATCH_LEVELS, DATE_PRECISIONS, PRODUCT_TYPES } from './enums';
import { ContractWindow, IsoDateString, Region, RegionCode } from './api';
import { DateInput } from './inputs';

/** running; ending_soon: ends within the window (the region's largest alert day, default 180); ended; unknown_end: no end date known. */
export const CONTRACT_STATES = ['running', 'ending_soon', 'ended', 'unknown_end'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];
/** renewed: a renewal batch follows; pending: ending soon or ended without one; not_needed: no renewal yet, none due. */
export const RENEWAL_STATES = ['renewed', 'pending', 'not_needed'] as const;
export type RenewalState = (typeof RENEWAL_STATES)[number];

export const ContractPeriodsQuery = z.object({
  region: RegionCode.meta({ description: '100000 = the whole country (national batches, all provinces together)' }),
  date: DateInput.optional().meta({ description: 'as of this date (default today, CST)' }),
});
export type ContractPeriodsQuery = z.infer<typeof ContractPeriodsQuery>;

export const ContractPeriod = z.object({
  batchCode: z.string(),
  batchNameZh: z.string(),
  batchNameEn: z.string().nullable(),
  level: z.enum(BATCH_LEVELS),
  productType: z.enum(PRODUCT_TYPES),
  /** 1 for a province; for 全国, the provinces implementing the national batch. */
  regionCount: z.number().int(),
  /** Implementation start in the region (全国: the earliest province's). */
  startOn: IsoDateString,
  startPrecision: z.enum(DATE_PRECISIONS),
  /** Contract end in the region (全国: the earliest known end); null when not known. */
  contractEndOn: IsoDateString.nullable(),
  /** A date derived by a stated rule (e.g. start + contract years), not published. */
  estimated: z.boolean(),
  /** Days from the as-of date to the contract end (negative once ended); null when the end is unknown. */
  daysLeft: z.number().int().nullable(),
  state: z.enum(CONTRACT_STATES),
  renewal: z.enum(RENEWAL_STATES),
  /** The batch that continues this one in the region (全国: in any province), with its start there. */
  renewedBy: z.object({ code: z.string(), nameZh: z.string(), startOn: IsoDateString }).nullable(),
  /** 全国: of `regionCount`, the provinces where the renewal batch is implemented. */
  renewedRegionCount: z.number().int(),
  /** The batch this one renews, if any. */
  renewalOf: z.string().nullable(),
  source: z.string().nullable(),
});
export type ContractPeriod = z.infer<typeof ContractPeriod>;

export const ContractPeriods = z.object({
  region: Region,
  date: IsoDateString,
  /** Contracts ending within this many days of `date` are `ending_soon`: the region's largest alert day. */
  windowDays: z.number().int(),
  /** Whether `windowDays` is the region's own setting or the default. */
  windowSource: ContractWindow.shape.source,
  /** Batches implemented in the region on or before `date`, by start date. */
  items: z.array(ContractPeriod),
});
export type ContractPeriods = z.infer<typeof ContractPeriods>;
