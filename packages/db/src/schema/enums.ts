import { pgEnum } from 'drizzle-orm/pg-core';
import {
  BATCH_LEVELS,
  DATE_PRECISIONS,
  DRUG_CLASSES,
  FIGURE_COMPARATORS,
  PRODUCT_TYPES,
  REGION_KINDS,
  TARGET_SCOPES,
  TARGET_UNITS,
  VARIETY_OUTCOMES,
} from '@vbp/contracts/enums';

export const regionKind = pgEnum('region_kind', REGION_KINDS);
export const batchLevel = pgEnum('batch_level', BATCH_LEVELS);
export const productType = pgEnum('product_type', PRODUCT_TYPES);
export const drugClass = pgEnum('drug_class', DRUG_CLASSES);
export const datePrecision = pgEnum('date_precision', DATE_PRECISIONS);
export const varietyOutcome = pgEnum('variety_outcome', VARIETY_OUTCOMES);
export const targetUnit = pgEnum('target_unit', TARGET_UNITS);
export const targetScope = pgEnum('target_scope', TARGET_SCOPES);
export const figureComparator = pgEnum('figure_comparator', FIGURE_COMPARATORS);
