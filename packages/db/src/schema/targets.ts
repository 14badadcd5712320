import { boolean, char, date, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { productType, targetScope, targetUnit } from './enums';
import { regions } from './regions';
import { sourceDocuments } from './sources';

/**
 * A coverage target: region × product type × unit × count × due date, with its source.
 * `scope = each_province` is a national target every province reports against (e.g. ≥ 500 drugs per
 * province by 2025); it is stored once on the nation and evaluated for each province.
 */
export const targets = pgTable(
  'targets',
  {
    id: serial().primaryKey(),
    code: text().notNull().unique(),
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    scope: targetScope().notNull().default('region'),
    productType: productType().notNull(),
    unit: targetUnit().notNull(),
    count: integer().notNull(),
    dueOn: date({ mode: 'string' }).notNull(),
    /** True when the source gives no date and `dueOn` is an assumption explained in `dueNote`. */
    dueAssumed: boolean().notNull().default(false),
    dueNote: text(),
    /** The date the target was set; the expected path starts from the coverage on this date. */
    setOn: date({ mode: 'string' }).notNull(),
    documentId: integer().references(() => sourceDocuments.id),
    clause: text(),
    note: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.regionCode)],
);
