import { sql } from 'drizzle-orm';
import { check, char, date, foreignKey, index, integer, numeric, pgEnum, pgSequence, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { FOLLOW_UP_REASONS, FOLLOW_UP_STATUSES } from '@vbp/contracts/enums';
import { batches } from './batches';
import { batchLevel, productType } from './enums';
import { institutions } from './execution';
import { regions } from './regions';
import { varieties } from './varieties';

/*
 * Planning and follow-up (issue 14): an office's own working data, never part of the published record.
 * Scenarios and settings are small and read by every page of a province (reference tables on a Citus
 * cluster); follow-ups point at a province's institutions, so they sit beside them (distributed by region).
 */

export const followUpReason = pgEnum('follow_up_reason', FOLLOW_UP_REASONS);
export const followUpStatus = pgEnum('follow_up_status', FOLLOW_UP_STATUSES);

/**
 * A province's thresholds. No row means the defaults (DEFAULT_PROGRESS_WARNING_THRESHOLD,
 * DEFAULT_CONTRACT_ALERT_DAYS in @vbp/contracts/enums).
 */
export const regionSettings = pgTable(
  'region_settings',
  {
    regionCode: char({ length: 6 })
      .primaryKey()
      .references(() => regions.code),
    /** Behind when completion < time progress × this (a fraction, 3 decimals). */
    progressWarningThreshold: numeric({ precision: 4, scale: 3 }).notNull().default('0.800'),
    /** Days before a contract period ends at which to alert, descending. */
    contractAlertDays: integer().array().notNull().default(sql`'{180,90,60,30,7}'::integer[]`),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The username that changed them last. */
    updatedBy: text(),
  },
  (t) => [check('region_settings_threshold_range', sql`${t.progressWarningThreshold} > 0 and ${t.progressWarningThreshold} <= 1`)],
);

/** A named what-if plan (规划) of an office: batches it intends to run, projected toward its targets. */
export const scenarios = pgTable(
  'scenarios',
  {
    id: serial().primaryKey(),
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    name: text().notNull(),
    note: text(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.regionCode, t.name)],
);

/**
 * One planned batch of a scenario: either a list of variety names (matched against what the province already
 * covers, so the net new count is computed) or a count with the share expected to be covered already.
 */
export const scenarioBatches = pgTable(
  'scenario_batches',
  {
    id: serial().primaryKey(),
    scenarioId: integer()
      .notNull()
      .references(() => scenarios.id, { onDelete: 'cascade' }),
    /** Order within the scenario, from 0. */
    position: integer().notNull(),
    name: text().notNull(),
    level: batchLevel().notNull(),
    productType: productType().notNull(),
    announcementDate: date({ mode: 'string' }),
    implementationDate: date({ mode: 'string' }).notNull(),
    /** Variety names as the office wrote them (matched at projection time). */
    varieties: text().array(),
    varietyCount: integer(),
    /** Of `varietyCount`, the share expected to be covered already (a fraction, 3 decimals). */
    coveredShare: numeric({ precision: 4, scale: 3 }),
  },
  (t) => [
    unique().on(t.scenarioId, t.position),
    check('scenario_batches_list_or_count', sql`${t.varieties} is not null or ${t.varietyCount} is not null`),
    check('scenario_batches_count_positive', sql`${t.varietyCount} is null or ${t.varietyCount} > 0`),
    check('scenario_batches_share_range', sql`${t.coveredShare} is null or (${t.coveredShare} >= 0 and ${t.coveredShare} <= 1)`),
  ],
);

/** Ids from a plain sequence: Citus refuses to distribute a table with an identity column. */
export const followUpsIdSeq = pgSequence('follow_ups_id_seq');

/**
 * A lagging institution (or institution × variety) an office chases (督办): why, until when, and where it
 * stands. Every change is in the audit log with who and when.
 */
export const followUps = pgTable(
  'follow_ups',
  {
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    id: integer().notNull().default(sql`nextval('follow_ups_id_seq')`),
    institutionId: integer().notNull(),
    /** Null: the institution as a whole. */
    varietyId: integer().references(() => varieties.id),
    /** The batch the lag was seen in, when there is one. */
    batchId: integer().references(() => batches.id),
    reason: followUpReason().notNull(),
    note: text(),
    dueOn: date({ mode: 'string' }).notNull(),
    status: followUpStatus().notNull().default('open'),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: text().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.id] }),
    foreignKey({ columns: [t.regionCode, t.institutionId], foreignColumns: [institutions.regionCode, institutions.id] }),
    index().on(t.regionCode, t.status, t.dueOn),
    index().on(t.regionCode, t.institutionId),
  ],
);
