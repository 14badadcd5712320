/**
 * A province's thresholds (设置 / 预警阈值, issue 14): the time-progress warning threshold and the days
 * before a contract ends at which to alert. No stored row means the defaults. `GET /api/settings?region=`,
 * `PUT /api/settings`.
 */
import { z } from 'zod';
import { IsoDateString, RegionCode } from './api';
import { DEFAULT_CONTRACT_ALERT_DAYS, DEFAULT_PROGRESS_WARNING_THRESHOLD } from './enums';

/** The most alert days a province keeps, and the farthest one (two years ahead). */
export const MAX_ALERT_DAYS = 10;
export const MAX_ALERT_DAY = 730;

/** Where a warning's threshold came from: the province's setting, the default (no setting), or the request. */
export const THRESHOLD_SOURCES = ['setting', 'default', 'request'] as const;
export type ThresholdSource = (typeof THRESHOLD_SOURCES)[number];

/** How exports and their title lines name where a threshold came from. */
export const THRESHOLD_SOURCE_ZH: Record<ThresholdSource, string> = { setting: '本省设置', default: '默认值', request: '本次指定' };

export const RegionSettingsQuery = z.object({ region: RegionCode });
export type RegionSettingsQuery = z.infer<typeof RegionSettingsQuery>;

export const RegionSettingsView = z.object({
  regionCode: RegionCode,
  /** Behind when completion < time progress × this (a fraction in (0, 1], 3 decimals). */
  progressWarningThreshold: z.number(),
  /** Days before a contract period ends at which to alert, descending. */
  contractAlertDays: z.array(z.number().int()),
  /** No setting stored: these are the defaults. */
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RegionSettingsView = z.infer<typeof RegionSettingsView>;

export const ProgressWarningThreshold = z
  .number({ message: 'the warning threshold must be a number / 预警阈值须为数字' })
  .gt(0, { message: 'the warning threshold must be above 0 / 预警阈值须大于 0', abort: true })
  // a positive number below 0.001 (5e-324) passes the 3-decimal check and rounds to 0 in numeric(4, 3)
  .min(0.001, { message: 'the warning threshold must be at least 0.001 / 预警阈值须至少为 0.001', abort: true })
  .max(1, { message: 'the warning threshold must be at most 1 / 预警阈值不得超过 1' })
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-9, { message: 'the warning threshold has at most 3 decimals / 预警阈值最多 3 位小数' })
  .meta({ description: 'a fraction in (0, 1], at most 3 decimals', example: DEFAULT_PROGRESS_WARNING_THRESHOLD });

export const ContractAlertDays = z
  .array(
    z
      .number({ message: 'alert days must be numbers / 预警天数须为数字' })
      .int({ message: 'alert days must be whole days / 预警天数须为整数' })
      .min(1, { message: 'alert days must be at least 1 / 预警天数须至少为 1' })
      .max(MAX_ALERT_DAY, { message: `alert days must be at most ${MAX_ALERT_DAY} / 预警天数不得超过 ${MAX_ALERT_DAY}` }),
  )
  .min(1, { message: 'give at least one alert day / 至少设置一个预警天数' })
  .max(MAX_ALERT_DAYS, { message: `at most ${MAX_ALERT_DAYS} alert days / 预警天数最多 ${MAX_ALERT_DAYS} 个` })
  .refine((days) => new Set(days).size === days.length, { message: 'alert days must be distinct / 预警天数不得重复' })
  .transform((days) => [...days].sort((a, b) => b - a))
  .meta({ description: `distinct whole days in [1, ${MAX_ALERT_DAY}], at most ${MAX_ALERT_DAYS}; stored descending`, example: [...DEFAULT_CONTRACT_ALERT_DAYS] });

export const UpdateRegionSettingsInput = z
  .object({
    regionCode: RegionCode,
    progressWarningThreshold: ProgressWarningThreshold.optional(),
    contractAlertDays: ContractAlertDays.optional(),
  })
  .strict();
export type UpdateRegionSettingsInput = z.infer<typeof UpdateRegionSettingsInput>;

/** The threshold a warning used, and where it came from. */
export const ThresholdUsed = z.object({ threshold: z.number(), thresholdSource: z.enum(THRESHOLD_SOURCES) });
export type ThresholdUsed = z.infer<typeof ThresholdUsed>;
