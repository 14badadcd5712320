/** Savings (节约金额) from buying at the selected instead of the reference price. */
import { Dec, ZERO, parseDecimal, toPlain } from './decimal';

// A type alias, not an interface, so rows loaded with selectRows<SavingsItem>() satisfy Record<string, unknown>.
export type SavingsItem = {
  quantity: string;
  referencePrice: string | null;
  selectedPrice: string;
};

export interface SavingsEstimate {
  /** Σ quantity × (reference − selected), 2 decimals (元). */
  saving: string;
  spendAtReference: string;
  spendAtSelected: string;
  itemsWithoutReference: number;
}

/**
 * saving = Σ quantity × (reference − selected), in exact decimals, rounded half-up to fen (2 dp) only at
 * the end. Items without a usable reference price (missing or ≤ 0, as for price cuts) cannot be valued:
 * they are skipped and counted. Both spends cover the same valued items, so
 * saving = spendAtReference − spendAtSelected.
 */
export function estimateSavings(items: readonly SavingsItem[]): SavingsEstimate {
  let atReference = ZERO;
  let atSelected = ZERO;
  let withoutReference = 0;
  for (const item of items) {
    const reference = parseDecimal(item.referencePrice);
    if (reference === null || reference.lte(0)) {
      withoutReference += 1;
      continue;
    }
    const quantity = new Dec(item.quantity);
    atReference = atReference.plus(quantity.times(reference));
    atSelected = atSelected.plus(quantity.times(item.selectedPrice));
  }
  return savingsFromTotals(atReference, atSelected, withoutReference);
}

/** The estimate from its exact totals (summed elsewhere, e.g. by the execution summaries), rounded the same way. */
export function savingsFromTotals(atReference: Dec | string, atSelected: Dec | string, withoutReference: number): SavingsEstimate {
  const reference = new Dec(atReference);
  const selected = new Dec(atSelected);
  return {
    saving: toPlain(reference.minus(selected), 2),
    spendAtReference: toPlain(reference, 2),
    spendAtSelected: toPlain(selected, 2),
    itemsWithoutReference: withoutReference,
  };
}
