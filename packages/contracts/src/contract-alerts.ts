/**
 * Contract expiry alerts (合同到期预警, issue 14): each contract period of a region ending within the largest
 * of the province's alert days (default 180, 90, 60, 30, 7), the alert stage it is in (the smallest alert
 * day it has crossed: "30 天内到期") and whether a renewal batch (接续采购) covers it.
 * `GET /api/contracts/alerts?region=&page=`, `GET /api/contracts/alerts/export.xlsx?region=`.
 */
import { z } from 'zod';
import { BATCH_LEVELS, PRODUCT_TYPES } from './enums';
import { IsoDateString, RegionCode } from './api';
import { DateInput, intParam, PageParam, pageSizeParam } from './inputs';

export const ContractAlertsQuery = z.object({
  region: RegionCode.meta({ description: '100000 = every province’s implementation of the national batches' }),
  date: DateInput.optional().meta({ description: 'as of this date (default today, CST)' }),
  stage: intParam(1, 730).optional().meta({ description: 'only the alerts in this stage (an alert day)' }),
});
export type ContractAlertsQuery = z.infer<typeof ContractAlertsQuery>;

export const ContractAlertsListQuery = ContractAlertsQuery.extend({
  page: PageParam,
  pageSize: pageSizeParam(200, 50),
});
export type ContractAlertsListQuery = z.infer<typeof ContractAlertsListQuery>;

export const ContractAlert = z.object({
  batchCode: z.string(),
  batchNameZh: z.string(),
  level: z.enum(BATCH_LEVELS),
  productType: z.enum(PRODUCT_TYPES),
  regionCode: RegionCode,
  contractEndOn: IsoDateString,
  /** The end is derived by a stated rule, not published. */
  estimated: z.boolean(),
  /** Days from the as-of date to the end (0 on the last day). */
  daysLeft: z.number().int(),
  /** The smallest alert day the period has crossed (daysLeft ≤ stage). */
  stage: z.number().int(),
  /** renewed: a renewal batch is implemented in the region; pending: none yet. */
  renewal: z.enum(['renewed', 'pending']),
  renewedBy: z.object({ code: z.string(), nameZh: z.string(), startOn: IsoDateString }).nullable(),
});
export type ContractAlert = z.infer<typeof ContractAlert>;

export const ContractAlertStage = z.object({
  days: z.number().int(),
  count: z.number().int(),
  /** Of `count`, the periods no renewal batch covers yet. */
  pending: z.number().int(),
});
export type ContractAlertStage = z.infer<typeof ContractAlertStage>;

export const ContractAlerts = z.object({
  region: RegionCode,
  date: IsoDateString,
  /** The alert days used (descending), and whether they are the province's setting or the defaults. */
  alertDays: z.array(z.number().int()),
  alertDaysSource: z.enum(['setting', 'default']),
  /** Every stage, largest first, with its count over the whole region (not only this page or filter). */
  stages: z.array(ContractAlertStage),
  /** Soonest first. */
  items: z.array(ContractAlert),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ContractAlerts = z.infer<typeof ContractAlerts>;
