import { char, integer, pgTable, primaryKey, serial, smallint, text } from 'drizzle-orm/pg-core';
import { regionKind } from './enums';

/**
 * The nation (100000), the 31 provincial-level divisions by their GB/T 2260 codes, and the
 * Xinjiang Production and Construction Corps (660000, the code the NHSA's platforms use; XPCC has no
 * GB/T 2260 code of its own).
 */
export const regions = pgTable('regions', {
  code: char({ length: 6 }).primaryKey(),
  nameZh: text().notNull(),
  shortNameZh: text().notNull(),
  nameEn: text().notNull(),
  kind: regionKind().notNull(),
  sortOrder: smallint().notNull(),
});

/** A standing inter-provincial alliance (省际联盟). Membership is recorded only where a source states it. */
export const alliances = pgTable('alliances', {
  id: serial().primaryKey(),
  code: text().notNull().unique(),
  nameZh: text().notNull(),
  nameEn: text(),
  leadRegionCode: char({ length: 6 }).references(() => regions.code),
  note: text(),
});

export const allianceMembers = pgTable(
  'alliance_members',
  {
    allianceId: integer()
      .notNull()
      .references(() => alliances.id, { onDelete: 'cascade' }),
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    source: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.allianceId, t.regionCode] })],
);
