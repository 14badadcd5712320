import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** What the reference seed last loaded (a content hash per seed), so a start only reloads what changed. */
export const seedState = pgTable('seed_state', {
  name: text().primaryKey(),
  hash: text().notNull(),
  loadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The data versions (decision 016): one number per area of the data and region, moved in the writer's
 * transaction with every change to what the read endpoints show. A read answer depends on the areas it reads
 * for its region and for the nation (100000, what every province sees); a read of the nation on an area's
 * all-regions row (`region_code` '*'), which every region's write of that area moves too. Read responses carry
 * them in their ETag and the API caches their answers by them (decision 007).
 */
export const dataVersions = pgTable(
  'data_versions',
  {
    area: text().notNull(),
    regionCode: text().notNull(),
    version: bigint({ mode: 'number' }).notNull().default(1),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.area, t.regionCode] })],
);
