import { describe, expect, it } from 'vitest';
import { contractExpiry } from '../../src/calc/contract-expiry';
import { nonSelectedShare } from '../../src/calc/non-selected';
import { estimateSavings } from '../../src/calc/savings';

describe('estimateSavings', () => {
  it('sums quantity × (reference − selected) in exact decimals', () => {
    const s = estimateSavings([
      { quantity: '1', referencePrice: '0.3', selectedPrice: '0.1' },
      { quantity: '1', referencePrice: '0.3', selectedPrice: '0.2' },
    ]);
    // as floats 0.2 + 0.1 = 0.30000000000000004
    expect(s).toEqual({ saving: '0.30', spendAtReference: '0.60', spendAtSelected: '0.30', itemsWithoutReference: 0 });
  });

  it('skips and counts items without a reference price', () => {
    const s = estimateSavings([
      { quantity: '1000', referencePrice: '12.3456', selectedPrice: '2.1234' },
      { quantity: '500', referencePrice: null, selectedPrice: '9' },
      { quantity: '500', referencePrice: '0', selectedPrice: '9' },
    ]);
    // 1000 × 10.2222
    expect(s).toEqual({ saving: '10222.20', spendAtReference: '12345.60', spendAtSelected: '2123.40', itemsWithoutReference: 2 });
  });

  it('rounds half up to fen only at the end, and keeps large totals exact', () => {
    const s = estimateSavings([
      { quantity: '0.001', referencePrice: '5', selectedPrice: '0' }, // 0.005
      { quantity: '0.001', referencePrice: '5', selectedPrice: '0' }, // 0.005
    ]);
    expect(s.saving).toBe('0.01');
    const big = estimateSavings([
      { quantity: '999999999999999.999', referencePrice: '9999999999.9999', selectedPrice: '0.0001' },
    ]);
    // 999999999999999.999 × 9999999999.9998 = 9999999999999799990000000.0000002 (needs > 20 digits)
    expect(big.saving).toBe('9999999999999799990000000.00');
  });

  it('is zero without items and shows a price rise as a negative saving', () => {
    expect(estimateSavings([]).saving).toBe('0.00');
    expect(estimateSavings([{ quantity: '10', referencePrice: '1', selectedPrice: '1.5' }]).saving).toBe('-5.00');
  });
});

describe('nonSelectedShare', () => {
  it('is non-selected / all', () => {
    expect(nonSelectedShare('750', '250')).toBe(0.25);
    expect(nonSelectedShare('0', '10')).toBe(1);
    expect(nonSelectedShare('10', '0')).toBe(0);
    expect(nonSelectedShare('0.2', '0.1')).toBe(0.333333);
  });

  it('is null when nothing was bought', () => {
    expect(nonSelectedShare('0', '0')).toBeNull();
    expect(nonSelectedShare('0.000', '0')).toBeNull();
  });
});

describe('contractExpiry', () => {
  const asOf = '2024-06-30';

  it('is running beyond the window, ending soon inside it, ended after it', () => {
    expect(contractExpiry({ contractEndOn: '2025-12-31', asOf })).toEqual({ daysLeft: 549, state: 'running', renewal: 'not_needed' });
    expect(contractExpiry({ contractEndOn: '2024-12-27', asOf })).toEqual({ daysLeft: 180, state: 'ending_soon', renewal: 'pending' });
    expect(contractExpiry({ contractEndOn: '2024-12-28', asOf }).state).toBe('running');
    expect(contractExpiry({ contractEndOn: asOf, asOf })).toEqual({ daysLeft: 0, state: 'ending_soon', renewal: 'pending' });
    expect(contractExpiry({ contractEndOn: '2024-06-29', asOf })).toEqual({ daysLeft: -1, state: 'ended', renewal: 'pending' });
  });

  it('honours the window', () => {
    expect(contractExpiry({ contractEndOn: '2024-09-30', asOf, windowDays: 60 }).state).toBe('running');
    expect(contractExpiry({ contractEndOn: '2024-09-30', asOf, windowDays: 92 }).state).toBe('ending_soon');
  });

  it('is renewed when the renewal starts by the day after the end', () => {
    expect(contractExpiry({ contractEndOn: '2024-12-31', asOf, renewalStartOn: '2025-01-01' }).renewal).toBe('renewed');
    // announced early, the contract still running beyond the window
    expect(contractExpiry({ contractEndOn: '2025-12-31', asOf, renewalStartOn: '2026-01-01' }).renewal).toBe('renewed');
  });

  it('is renewed late for an ending or ended contract with any renewal start', () => {
    expect(contractExpiry({ contractEndOn: '2024-03-31', asOf, renewalStartOn: '2024-09-01' })).toEqual({
      daysLeft: -91,
      state: 'ended',
      renewal: 'renewed',
    });
    // running contract with a renewal that leaves a gap: not yet a concern
    expect(contractExpiry({ contractEndOn: '2025-12-31', asOf, renewalStartOn: '2026-03-01' }).renewal).toBe('not_needed');
  });

  it('reports an unknown end', () => {
    expect(contractExpiry({ contractEndOn: null, asOf })).toEqual({ daysLeft: null, state: 'unknown_end', renewal: 'not_needed' });
    expect(contractExpiry({ contractEndOn: null, asOf, renewalStartOn: '2025-01-01' }).renewal).toBe('renewed');
    expect(contractExpiry({ contractEndOn: '2024-07-01', asOf, renewalStartOn: null }).renewal).toBe('pending');
  });
});
