/**
 * How the 核对 table writes its numbers: a computed value in the figure's own terms (a count, or a
 * percentage with one decimal), the difference signed (points for percentages), and the tally of statuses.
 * Pure, so it is tested without a browser and the browser test compares the screen against it.
 */
import type { ReconciliationItem, ReconciliationStatus } from '@vbp/contracts/reconciliation';
import { formatCount, formatPercent, formatPointDiff, MISSING } from '../../../lib/format';
import type { Lang } from '../../../lib/i18n/types';

type Valued = Pick<ReconciliationItem, 'scope' | 'published' | 'computed' | 'difference'>;

/** A computed number in its figure's terms: "556", "52.3%"; "—" when there is none. */
export function formatReconciledValue(item: Pick<ReconciliationItem, 'scope'>, value: number | null, lang: Lang): string {
  if (value === null) return MISSING;
  return item.scope.metricKind === 'fraction' ? formatPercent(value) : formatCount(value, lang);
}

/** computed − published, signed: "±0", "−41", "+3.2个百分点"; "—" without a computed value. */
export function formatDifference(item: Valued, lang: Lang): string {
  if (item.computed === null || item.difference === null) return MISSING;
  if (item.scope.metricKind === 'fraction') return formatPointDiff(item.computed, item.published, lang);
  const d = item.difference;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${formatCount(Math.abs(d), lang)}`;
}

export function tallyStatuses(items: readonly Pick<ReconciliationItem, 'status'>[]): Record<ReconciliationStatus, number> & { total: number } {
  const tally = { matches: 0, differs: 0, not_computed: 0, total: items.length };
  for (const i of items) tally[i.status] += 1;
  return tally;
}

/** Whether the page asks for every readable region (`?scope=all`) or the header's region. */
export function readScope(params: URLSearchParams): 'region' | 'all' {
  return params.get('scope') === 'all' ? 'all' : 'region';
}
