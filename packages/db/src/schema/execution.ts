import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { batches, products } from './batches';
import { regions } from './regions';
import { uploads } from './uploads';
import { varieties } from './varieties';

/*
 * Execution data is keyed by region first. Every key of these tables begins with `region_code`, so they
 * can be distributed by region on a Citus-style cluster (co-located, joins stay on one shard) while the
 * small tables (regions, batches, varieties, products) become reference tables. See
 * docs/decisions/002-purchases-at-scale.md.
 */

/**
 * Ids of the distributed tables come from plain sequences, not identity columns: Citus refuses to
 * distribute a table with an identity column (issue 11).
 */
export const institutionsIdSeq = pgSequence('institutions_id_seq');
export const agreedVolumesIdSeq = pgSequence('agreed_volumes_id_seq');

/** A hospital or primary-care facility (医疗机构) that buys. */
export const institutions = pgTable(
  'institutions',
  {
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    id: integer().notNull().default(sql`nextval('institutions_id_seq')`),
    /** The institution's code on the provincial platform; unique within a region. */
    code: text().notNull(),
    name: text().notNull(),
    cityCode: char({ length: 6 }),
    cityName: text(),
    /** 三级 / 二级 / 一级 / 基层 (tertiary, secondary, primary, primary-care). */
    level: text(),
    isSynthetic: boolean().notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.id] }), unique().on(t.regionCode, t.code)],
);

/**
 * A province's agreed volume (约定采购量) of a variety in a batch, per strength and contract year, as the
 * joint procurement office publishes it: the province's official task, which its institutions' agreed
 * volumes should add up to. In minimum units (片, 粒, 支, 袋). Small (provinces × varieties × strengths), so
 * a reference table on a Citus cluster.
 */
export const provinceVolumes = pgTable(
  'province_volumes',
  {
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    batchId: integer()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    varietyId: integer()
      .notNull()
      .references(() => varieties.id),
    /** The strength as published (20mg), '' when the table does not split the variety by strength. */
    spec: text().notNull().default(''),
    /** 1 = the first year (首年约定采购量). */
    contractYear: smallint().notNull(),
    quantity: numeric({ precision: 18, scale: 3 }).notNull(),
    unit: text(),
    /** The main strength (主规格), where the table marks one (20mg*). */
    isMainStrength: boolean().notNull().default(false),
    uploadId: integer().references(() => uploads.id),
  },
  (t) => [primaryKey({ columns: [t.regionCode, t.batchId, t.varietyId, t.spec, t.contractYear] }), index().on(t.batchId), index().on(t.uploadId)],
);

/** Agreed volume (约定采购量) per institution × variety (or product) × contract year. */
export const agreedVolumes = pgTable(
  'agreed_volumes',
  {
    regionCode: char({ length: 6 }).notNull(),
    id: bigint({ mode: 'number' }).notNull().default(sql`nextval('agreed_volumes_id_seq')`),
    institutionId: integer().notNull(),
    batchId: integer()
      .notNull()
      .references(() => batches.id),
    varietyId: integer()
      .notNull()
      .references(() => varieties.id),
    /** Set when the volume is agreed per product rather than per variety. */
    productId: integer().references(() => products.id),
    contractYear: smallint().notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    quantity: numeric({ precision: 18, scale: 3 }).notNull(),
    unit: text(),
    uploadId: integer().references(() => uploads.id),
    isSynthetic: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.id] }),
    unique('agreed_volumes_natural_key')
      .on(t.regionCode, t.institutionId, t.batchId, t.varietyId, t.productId, t.contractYear)
      .nullsNotDistinct(),
    foreignKey({ columns: [t.regionCode, t.institutionId], foreignColumns: [institutions.regionCode, institutions.id] }),
    index().on(t.regionCode, t.batchId, t.varietyId),
    index().on(t.uploadId),
    // the contract years in force on a date (period_end ≥ date ≥ period_start): the years still running
    index('agreed_volumes_in_force_index').on(t.regionCode, t.periodEnd, t.periodStart),
    // deleting or replacing a product must not scan every agreed volume
    index('agreed_volumes_product_id_index').on(t.productId).where(sql`${t.productId} is not null`),
    // whether a region's volumes are synthetic, without reading them all (real provinces have none)
    index('agreed_volumes_synthetic_index').on(t.regionCode).where(sql`${t.isSynthetic}`),
  ],
);

/**
 * Monthly purchases per institution × product (selected or not). Designed for tens of millions of rows
 * per province: narrow rows, the natural key is the primary key (a re-upload is an upsert), no
 * per-row foreign keys (the importer checks references before a bulk COPY), and `month` is the first
 * day of the month.
 */
export const purchases = pgTable(
  'purchases',
  {
    regionCode: char({ length: 6 }).notNull(),
    institutionId: integer().notNull(),
    productId: integer().notNull(),
    month: date({ mode: 'string' }).notNull(),
    quantity: numeric({ precision: 18, scale: 3 }).notNull(),
    amount: numeric({ precision: 18, scale: 2 }),
    uploadId: integer(),
    isSynthetic: boolean().notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.institutionId, t.productId, t.month] }),
    index().on(t.regionCode, t.productId, t.month),
    index().on(t.uploadId),
  ],
);

/**
 * Purchases of an upload being validated, loaded with COPY, so the preview can compare them with what is
 * stored (new / changed / unchanged) and the commit is one INSERT … SELECT. Emptied when the upload is
 * committed or discarded. No keys: it is written once and read whole.
 */
export const stagedPurchases = pgTable(
  'staged_purchases',
  {
    uploadId: integer().notNull(),
    rowNumber: integer().notNull(),
    regionCode: char({ length: 6 }).notNull(),
    institutionId: integer().notNull(),
    productId: integer().notNull(),
    month: date({ mode: 'string' }).notNull(),
    quantity: numeric({ precision: 18, scale: 3 }).notNull(),
    amount: numeric({ precision: 18, scale: 2 }),
  },
  (t) => [index().on(t.uploadId)],
);

/** The values purchases had before an upload's commit overwrote them, so a revert can put them back. */
export const purchaseRevisions = pgTable(
  'purchase_revisions',
  {
    uploadId: integer().notNull(),
    regionCode: char({ length: 6 }).notNull(),
    institutionId: integer().notNull(),
    productId: integer().notNull(),
    month: date({ mode: 'string' }).notNull(),
    quantity: numeric({ precision: 18, scale: 3 }).notNull(),
    amount: numeric({ precision: 18, scale: 2 }),
    previousUploadId: integer(),
    isSynthetic: boolean().notNull(),
  },
  (t) => [index().on(t.uploadId)],
);
