import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** What the reference seed last loaded (a content hash per seed), so a start only reloads what changed. */
export const seedState = pgTable('seed_state', {
  name: text().primaryKey(),
  hash: text().notNull(),
  loadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The data version: one number that moves with every change to what the read endpoints show (upload
 * commits and reverts, targets, batch corrections, reference and synthetic data). Read responses carry it in
 * their ETag and the API caches their answers by it (decision 007). One row.
 */
export const dataVersion = pgTable('data_version', {
  id: integer().primaryKey().default(1),
  version: bigint({ mode: 'number' }).notNull().default(1),
  changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
