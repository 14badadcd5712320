/**
 * Which target a headline figure is measured against, and which coverage count it reads.
 */
import type { Coverage, Overview, TargetView } from '@vbp/contracts/api';
import type { ProductType, TargetUnit } from '@vbp/contracts/enums';

type TargetLike = Pick<TargetView, 'productType' | 'scope' | 'dueOn' | 'count' | 'progress'>;

/**
 * The target a headline shows for one product type. Rule:
 * 1. only targets of that type; those with progress for this region win over those without (a national
 *    per-province target viewed for the nation itself has no progress);
 * 2. among them, the next one still due (dueOn ≥ asOf), earliest due date first: it is the one the
 *    office is working towards now;
 * 3. when every target is past due, the one due last (its met / behind status is the latest word);
 * 4. ties: the region's own target before a national per-province one, then the larger count.
 * Null when the region has no target of that type.
 */
export function pickHeadlineTarget<T extends TargetLike>(targets: readonly T[], type: ProductType, asOf: string): T | null {
  const ofType = targets.filter((t) => t.productType === type);
  const measured = ofType.filter((t) => t.progress !== null);
  const pool = measured.length > 0 ? measured : ofType;
  if (pool.length === 0) return null;
  const tie = (a: T, b: T) => (a.scope === b.scope ? b.count - a.count : a.scope === 'region' ? -1 : 1);
  const upcoming = pool.filter((t) => t.dueOn >= asOf).sort((a, b) => (a.dueOn === b.dueOn ? tie(a, b) : a.dueOn < b.dueOn ? -1 : 1));
  if (upcoming.length > 0) return upcoming[0] ?? null;
  const past = [...pool].sort((a, b) => (a.dueOn === b.dueOn ? tie(a, b) : a.dueOn > b.dueOn ? -1 : 1));
  return past[0] ?? null;
}

/** The coverage count a target of this type and unit reads (consumables count varieties or categories). */
export function coverageFor(overview: Pick<Overview, 'coverage'>, type: ProductType, unit: TargetUnit): Coverage {
  if (type === 'drug') return overview.coverage.drug;
  return unit === 'category' ? overview.coverage.consumableCategories : overview.coverage.consumableVarieties;
}

/** Targets in the order the targets table lists them: drugs first, then by due date, own targets first. */
export function sortTargets<T extends TargetLike>(targets: readonly T[]): T[] {
  return [...targets].sort((a, b) => {
    if (a.productType !== b.productType) return a.productType === 'drug' ? -1 : 1;
    if (a.dueOn !== b.dueOn) return a.dueOn < b.dueOn ? -1 : 1;
    if (a.scope !== b.scope) return a.scope === 'region' ? -1 : 1;
    return b.count - a.count;
  });
}
