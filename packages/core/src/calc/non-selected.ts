/** Share of a variety bought from companies that did not win (非中选产品). */
import { Dec, toFraction } from './decimal';

/**
 * non-selected / (selected + non-selected). Null when nothing was bought (both 0), or when the total is
 * negative (returns exceeding purchases), where no share is meaningful.
 */
export function nonSelectedShare(selectedQuantity: string, nonSelectedQuantity: string): number | null {
  const nonSelected = new Dec(nonSelectedQuantity);
  const total = nonSelected.plus(selectedQuantity);
  return total.lte(0) ? null : toFraction(nonSelected.div(total));
}
