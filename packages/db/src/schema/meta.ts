import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** What the reference seed last loaded (a content hash per seed), so a start only reloads what changed. */
export const seedState = pgTable('seed_state', {
  name: text().primaryKey(),
  hash: text().notNull(),
  loadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
