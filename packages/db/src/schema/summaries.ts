import { bigint, char, date, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * Execution summaries: purchases pre-aggregated at the grain the execution views need, kept up to date in
 * the same transaction as every write that changes them (packages/core/src/summaries). Keyed by
 * `region_code` first, like the execution tables they summarise (decision 002). See decision 007.
 */

/**
 * Per contract cell (institution × batch × variety × contract year, as agreed_volumes holds them) and month
 * of the year: what was bought. `purchased` counts the products the cell's batch selected (the cell's
 * product only, when the volume is agreed per product); `bought` everything of the variety; `non_selected`
 * the products no batch selected; the spends value the purchased quantities at the reference and the
 * selected price (products with a usable reference price only). A row exists only for months with purchases.
 * On a server its pages are left 30 % free (fillfactor 70, migration 0018): a correction's updates of a
 * province's ledger stay on their page without touching its key's index (heap-only), 14 s → 5 s of a 1 M-row
 * correction's commit. The embedded engine keeps full pages (its commits mostly insert).
 */
export const executionMonths = pgTable(
  'execution_months',
  {
    regionCode: char({ length: 6 }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    institutionId: integer().notNull(),
    batchId: integer().notNull(),
    varietyId: integer().notNull(),
    month: date({ mode: 'string' }).notNull(),
    purchased: numeric({ precision: 20, scale: 3 }).notNull(),
    nonSelected: numeric({ precision: 20, scale: 3 }).notNull(),
    bought: numeric({ precision: 20, scale: 3 }).notNull(),
    spendReference: numeric().notNull(),
    spendSelected: numeric().notNull(),
  },
  // in force on a date = period_end ≥ date ≥ period_start: the key starts with the end, so a view reads the
  // years still running (and the few not begun), not every year that ever was
  (t) => [primaryKey({ name: 'execution_months_pkey', columns: [t.regionCode, t.periodEnd, t.periodStart, t.institutionId, t.batchId, t.varietyId, t.month] })],
);

/** The spends of `execution_months` summed per region, contract year start and month: savings so far. */
export const executionSavings = pgTable(
  'execution_savings',
  {
    regionCode: char({ length: 6 }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    month: date({ mode: 'string' }).notNull(),
    spendReference: numeric().notNull(),
    spendSelected: numeric().notNull(),
  },
  (t) => [primaryKey({ name: 'execution_savings_pkey', columns: [t.regionCode, t.periodStart, t.month] })],
);

/**
 * Purchases of selected products that have no usable reference price (they cannot be valued), per
 * institution, selection and month: how many such products were bought is counted from it. Sparse.
 */
export const executionUnvalued = pgTable(
  'execution_unvalued',
  {
    regionCode: char({ length: 6 }).notNull(),
    institutionId: integer().notNull(),
    selectedProductId: integer().notNull(),
    /** The selection's variety, kept here: a recompute by variety must find rows whose selection is gone. */
    varietyId: integer().notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    month: date({ mode: 'string' }).notNull(),
    /** Purchase rows counted (a row bought in quantity 0 still counts as bought). */
    rows: integer().notNull(),
  },
  (t) => [primaryKey({ name: 'execution_unvalued_pkey', columns: [t.regionCode, t.institutionId, t.selectedProductId, t.periodStart, t.month] })],
);

/** When the summaries were last built from scratch, and by which version of the rules. */
export const summaryState = pgTable('summary_state', {
  name: text().primaryKey(),
  rulesVersion: integer().notNull(),
  builtAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * What the month tables hold per row (a function: every table needs column builders of its own). Quantities
 * in thousandths of a unit, as integers: every quantity has three decimals (numeric(18,3)), so they are
 * exact, and a view sums tens of thousands of them per answer, which numeric did three times slower and
 * in three times the memory (decision 017).
 */
function monthFigures() {
  return {
    /** The agreed volumes of the row's cells (the same in every month of the contract year). */
    agreedMilli: bigint({ mode: 'number' }).notNull(),
    /** Agreed-volume rows behind it. */
    items: integer().notNull(),
    /** Bought from the contract year's first month up to and including this one (cumulative). */
    purchasedMilli: bigint({ mode: 'number' }).notNull(),
    nonSelectedMilli: bigint({ mode: 'number' }).notNull(),
    boughtMilli: bigint({ mode: 'number' }).notNull(),
  };
}

/**
 * Contract cells summed per institution × batch × contract year, one row for every month of the year (from
 * the month it starts in to the month it ends in), each with what was bought up to and including that month
 * (decision 017). A view at any date reads one row per institution × batch × year in force: the row of the
 * date's month. The rollups by institution, city, batch and province, and the summary, read it.
 */
export const executionInstitutionMonths = pgTable(
  'execution_institution_months',
  {
    regionCode: char({ length: 6 }).notNull(),
    month: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    institutionId: integer().notNull(),
    batchId: integer().notNull(),
    ...monthFigures(),
  },
  (t) => [primaryKey({ name: 'execution_institution_months_pkey', columns: [t.regionCode, t.month, t.periodEnd, t.periodStart, t.institutionId, t.batchId] })],
);

/**
 * The same per batch × variety × contract year and the institutions' city and level ('' when unknown): the
 * rollup by variety, with or without a city or level filter.
 */
export const executionVarietyMonths = pgTable(
  'execution_variety_months',
  {
    regionCode: char({ length: 6 }).notNull(),
    month: date({ mode: 'string' }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    batchId: integer().notNull(),
    varietyId: integer().notNull(),
    cityCode: text().notNull(),
    level: text().notNull(),
    ...monthFigures(),
  },
  (t) => [primaryKey({ name: 'execution_variety_months_pkey', columns: [t.regionCode, t.month, t.periodEnd, t.periodStart, t.batchId, t.varietyId, t.cityCode, t.level] })],
);

/**
 * The agreed volumes summed per region × batch × variety, and per product where a volume is agreed for one
 * product (`product_id` 0: agreed for the variety, whichever product is bought), over every contract year:
 * the weights of the overview's average cuts, from a few thousand rows instead of a province's hundreds of
 * thousands of agreed volumes. Made again with the month rows whenever a scope's agreed volumes change.
 */
export const agreedVolumeSums = pgTable(
  'agreed_volume_sums',
  {
    regionCode: char({ length: 6 }).notNull(),
    batchId: integer().notNull(),
    varietyId: integer().notNull(),
    productId: integer().notNull(),
    quantity: numeric({ precision: 24, scale: 3 }).notNull(),
  },
  (t) => [primaryKey({ name: 'agreed_volume_sums_pkey', columns: [t.regionCode, t.batchId, t.varietyId, t.productId] })],
);

/**
 * The contract periods (start and end of a contract year) a region's agreed volumes have: the execution
 * views read which periods are in force at a date from here (a few dozen rows per province) instead of
 * looking through the month rows for them. Added to with the month rows; a period whose last agreed volume
 * goes stays listed until a rebuild (listing a period with no rows changes no figure).
 */
export const executionPeriods = pgTable(
  'execution_periods',
  {
    regionCode: char({ length: 6 }).notNull(),
    periodEnd: date({ mode: 'string' }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ name: 'execution_periods_pkey', columns: [t.regionCode, t.periodEnd, t.periodStart] })],
);

/**
 * Purchase rows per region and month: the latest month a province has purchases for ("purchases through")
 * without looking through its purchases. Kept by the purchase deltas like the other summaries; a row exists
 * only while the month has purchases.
 */
export const purchaseMonths = pgTable(
  'purchase_months',
  {
    regionCode: char({ length: 6 }).notNull(),
    month: date({ mode: 'string' }).notNull(),
    rows: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'purchase_months_pkey', columns: [t.regionCode, t.month] })],
);
