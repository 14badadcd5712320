/**
 * The 核对 page's tally of statuses and its scope in the URL (the numbers are formatted by
 * lib/published-figure.ts, shared with the overview). Pure, tested without a browser.
 */
import type { ReconciliationItem, ReconciliationStatus } from '@vbp/contracts/reconciliation';

export function tallyStatuses(items: readonly Pick<ReconciliationItem, 'status'>[]): Record<ReconciliationStatus, number> & { total: number } {
  const tally = { matches: 0, differs: 0, not_computed: 0, total: items.length };
  for (const i of items) tally[i.status] += 1;
  return tally;
}

/** Whether the page asks for every readable region (`?scope=all`) or the header's region. */
export function readScope(params: URLSearchParams): 'region' | 'all' {
  return params.get('scope') === 'all' ? 'all' : 'region';
}
