import { describe, expect, it } from 'vitest';
import type { ReconciliationItem } from '@vbp/contracts/reconciliation';
import { formatDifference, formatReconciledValue } from '../src/lib/published-figure';
import { readScope, tallyStatuses } from '../src/features/reconciliation/utils/reconciliation';

const count = { scope: { productType: 'drug', unit: 'variety', metricKind: 'count' } } as const;
const fraction = { scope: { productType: 'drug', unit: null, metricKind: 'fraction' } } as const;
type Valued = Pick<ReconciliationItem, 'scope' | 'published' | 'computed' | 'difference'>;

describe('核对 numbers', () => {
  it('computed values in the figure’s terms', () => {
    expect(formatReconciledValue(count, 556, 'zh')).toBe('556');
    expect(formatReconciledValue(count, 12_345, 'zh')).toBe('1.23万');
    expect(formatReconciledValue(fraction, 0.5234, 'zh')).toBe('52.3%');
    expect(formatReconciledValue(fraction, null, 'zh')).toBe('—');
  });

  it('differences are signed, in points for percentages', () => {
    const item = (base: typeof count | typeof fraction, published: number, computed: number | null): Valued => ({
      ...base,
      published,
      computed,
      difference: computed === null ? null : computed - published,
    });
    expect(formatDifference(item(count, 374, 333), 'zh')).toBe('−41');
    expect(formatDifference(item(count, 556, 556), 'zh')).toBe('±0');
    expect(formatDifference(item(count, 10, 12), 'en')).toBe('+2');
    expect(formatDifference(item(fraction, 0.5, 0.532), 'zh')).toBe('+3.2个百分点');
    expect(formatDifference(item(fraction, 0.727, 0.7), 'en')).toBe('−2.7 pp');
    expect(formatDifference(item(fraction, 0.5, null), 'zh')).toBe('—');
  });

  it('tallies the statuses and reads the scope from the URL', () => {
    expect(tallyStatuses([{ status: 'matches' }, { status: 'differs' }, { status: 'matches' }, { status: 'not_computed' }])).toEqual({ matches: 2, differs: 1, not_computed: 1, total: 4 });
    expect(readScope(new URLSearchParams('scope=all&region=110000'))).toBe('all');
    expect(readScope(new URLSearchParams('scope=everything'))).toBe('region');
    expect(readScope(new URLSearchParams(''))).toBe('region');
  });
});
