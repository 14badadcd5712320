import { boolean, index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { drugClass, productType } from './enums';

/** Consumable categories (冠脉支架, 人工关节, 脊柱类 …); drugs are classed by `drug_class` instead. */
export const categories = pgTable('categories', {
  id: serial().primaryKey(),
  productType: productType().notNull(),
  code: text().notNull().unique(),
  nameZh: text().notNull(),
  nameEn: text(),
  /** A category standing in for a batch's unpublished list (e.g. Beijing's provincial consumable batches). */
  isPlaceholder: boolean().notNull().default(false),
  note: text(),
});

/**
 * A variety (品种): for drugs one generic name in one dosage-form group; for consumables one product kind.
 * Placeholder varieties stand in for batches whose list is not public, so counts are right until an
 * upload of the real results replaces them.
 */
export const varieties = pgTable(
  'varieties',
  {
    id: serial().primaryKey(),
    productType: productType().notNull(),
    /** Natural key: generic name + dosage-form group, or a placeholder key such as `D2#07`. */
    key: text().notNull(),
    nameZh: text().notNull(),
    nameEn: text(),
    dosageFormGroup: text(),
    drugClass: drugClass(),
    categoryId: integer().references(() => categories.id),
    isPlaceholder: boolean().notNull().default(false),
    note: text(),
    /** Where the variety comes from (a document, a results table); the upload that created it, if any. */
    source: text(),
    uploadId: integer(),
  },
  (t) => [uniqueIndex().on(t.productType, t.key), index().on(t.categoryId)],
);
