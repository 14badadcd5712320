import { char, date, index, integer, numeric, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { figureComparator, productType } from './enums';
import { regions } from './regions';
import { batches } from './batches';

/** A policy document or public report that figures and targets are taken from. */
export const sourceDocuments = pgTable('source_documents', {
  id: serial().primaryKey(),
  code: text().notNull().unique(),
  titleZh: text().notNull(),
  titleEn: text(),
  issuer: text().notNull(),
  issuedOn: date({ mode: 'string' }),
  url: text(),
  /** Where the text is kept in the project's reference folder, when it is. */
  localFile: text(),
  note: text(),
});

/**
 * A figure a document publishes (e.g. 北京 556 drugs as of 2024-07-25), stored beside what the data
 * computes so the two can be reconciled. `value` is numeric; fractions (cuts) are stored as fractions.
 */
export const publishedFigures = pgTable(
  'published_figures',
  {
    id: serial().primaryKey(),
    code: text().notNull().unique(),
    regionCode: char({ length: 6 }).references(() => regions.code),
    batchId: integer().references(() => batches.id, { onDelete: 'cascade' }),
    metric: text().notNull(),
    productType: productType(),
    comparator: figureComparator().notNull().default('eq'),
    value: numeric({ precision: 16, scale: 4 }).notNull(),
    unit: text().notNull(),
    asOf: date({ mode: 'string' }),
    documentId: integer().references(() => sourceDocuments.id),
    sourceUrl: text(),
    clause: text(),
    note: text(),
  },
  (t) => [index().on(t.regionCode), index().on(t.batchId)],
);
