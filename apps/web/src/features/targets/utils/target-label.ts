/**
 * How a target is named in titles, confirmations and button labels. Kept apart from target-form.ts, whose
 * zod schema loads with the form only: the overview's first paint needs the label, not the schema.
 */
import type { TargetView } from '@vbp/contracts/api';
import type { Dictionary } from '../../../lib/i18n/zh';

/** A target in one line: "药品 ≥ 550个品种 · 2025-12-31". */
export function targetLabel(t: Pick<TargetView, 'productType' | 'count' | 'unit' | 'dueOn'>, d: Pick<Dictionary, 'types' | 'units'>): string {
  return `${d.types[t.productType]} ≥ ${t.count}${d.units[t.unit]} · ${t.dueOn}`;
}
