import {
  boolean,
  char,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { batchLevel, datePrecision, productType, varietyOutcome } from './enums';
import { alliances, regions } from './regions';
import { varieties } from './varieties';

/**
 * A procurement round (批次). `code` is stable and human-readable (`D3`, `C1`, `BJ-D-P1`).
 * Published figures (variety / product counts, average cut) are kept beside what the data computes.
 */
export const batches = pgTable(
  'batches',
  {
    id: serial().primaryKey(),
    code: text().notNull().unique(),
    level: batchLevel().notNull(),
    productType: productType().notNull(),
    nameZh: text().notNull(),
    nameEn: text(),
    organizer: text().notNull(),
    allianceId: integer().references(() => alliances.id),
    /** The organising province of a provincial batch. */
    regionCode: char({ length: 6 }).references(() => regions.code),
    announcedOn: date({ mode: 'string' }),
    announcedPrecision: datePrecision(),
    /** The first implementation date as published (the national start for national batches). */
    implementedOn: date({ mode: 'string' }),
    implementedPrecision: datePrecision(),
    contractYears: numeric({ precision: 4, scale: 1 }),
    renewalOfId: integer().references((): AnyPgColumn => batches.id),
    publishedVarietyCount: integer(),
    publishedProductCount: integer(),
    /** Published average cut as a fraction (0.52 = 52%); the basis is described in `publishedCutNote`. */
    publishedAvgCut: numeric({ precision: 6, scale: 4 }),
    publishedCutNote: text(),
    source: text(),
    note: text(),
    /** True when the variety list is not public and placeholders stand in for it. */
    varietiesArePlaceholders: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.level, t.productType), index().on(t.regionCode)],
);

/** Which varieties a batch tendered, and whether the tender produced a selected product (流标 = failed). */
export const batchVarieties = pgTable(
  'batch_varieties',
  {
    batchId: integer()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    varietyId: integer()
      .notNull()
      .references(() => varieties.id),
    outcome: varietyOutcome().notNull().default('selected'),
    /** The upload that wrote the row (null: the reference seed). */
    uploadId: integer(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.varietyId] }), index().on(t.varietyId)],
);

/**
 * The product catalogue: one company's product (spec and package) of a variety, selected or not.
 * Purchases reference it, so non-selected purchases of the same variety can be measured.
 */
export const products = pgTable(
  'products',
  {
    id: serial().primaryKey(),
    varietyId: integer()
      .notNull()
      .references(() => varieties.id),
    company: text().notNull(),
    spec: text().notNull().default(''),
    packaging: text().notNull().default(''),
    unit: text(),
    /** The national medical-insurance code (国家医保编码), when known. */
    nhsaCode: text(),
    isSynthetic: boolean().notNull().default(false),
    uploadId: integer(),
  },
  (t) => [
    uniqueIndex().on(t.varietyId, t.company, t.spec, t.packaging),
    uniqueIndex('products_nhsa_code_unique').on(t.nhsaCode),
  ],
);

/** A product selected (中选) in a batch, with its reference (ceiling) and selected prices in 元. */
export const selectedProducts = pgTable(
  'selected_products',
  {
    id: serial().primaryKey(),
    batchId: integer()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    productId: integer()
      .notNull()
      .references(() => products.id),
    referencePrice: numeric({ precision: 14, scale: 4 }),
    /**
     * What `referencePrice` is, and so what the cut is measured against: the ceiling price (最高有效申报价,
     * every batch since the first) or the company's own 3-year average price (企业近三年平均价, the 4+7 pilot).
     */
    referenceBasis: text({ enum: ['ceiling', 'company_average'] }).notNull().default('ceiling'),
    /** The main strength (主规格) of the variety in this batch, as the 4+7 pilot's table marks it (20mg*). */
    isMainStrength: boolean().notNull().default(false),
    selectedPrice: numeric({ precision: 14, scale: 4 }).notNull(),
    /** The unit the prices are quoted per (片, 支, 盒 …). */
    priceUnit: text(),
    isSynthetic: boolean().notNull().default(false),
    uploadId: integer(),
  },
  (t) => [uniqueIndex().on(t.batchId, t.productId), index().on(t.productId)],
);

/**
 * The strengths a batch's results table lists for a selected variety with the agreed quantity it states
 * (the 4+7 pilot's 采购数量, the total of the pilot's cities), and the strengths listed without a price of
 * their own: in the pilot only the main strength was priced and the others follow it. A results upload
 * replaces the batch's rows (snapshotted for the revert), as it does the batch's selected products.
 */
export const batchStrengths = pgTable(
  'batch_strengths',
  {
    batchId: integer()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    varietyId: integer()
      .notNull()
      .references(() => varieties.id),
    /** As published, without the main-strength marker (20mg* → 20mg). */
    spec: text().notNull(),
    /** In minimum units (片, 袋, 支); null when the table lists the strength without a quantity. */
    quantity: numeric({ precision: 18, scale: 3 }),
    isMainStrength: boolean().notNull().default(false),
    /** False: the strength follows the main strength's price (it has no selected product of its own). */
    hasPrice: boolean().notNull(),
    uploadId: integer(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.varietyId, t.spec] }), index().on(t.varietyId)],
);

/**
 * A batch taking effect in a region (落地执行): start date and contract end, with where the date comes
 * from. `estimated` marks dates derived by a stated rule rather than published.
 */
export const implementations = pgTable(
  'implementations',
  {
    id: serial().primaryKey(),
    batchId: integer()
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    startOn: date({ mode: 'string' }).notNull(),
    startPrecision: datePrecision().notNull().default('day'),
    contractEndOn: date({ mode: 'string' }),
    estimated: boolean().notNull().default(false),
    source: text(),
    note: text(),
    uploadId: integer(),
  },
  (t) => [uniqueIndex().on(t.batchId, t.regionCode), index().on(t.regionCode, t.startOn)],
);
