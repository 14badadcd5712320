import { describe, expect, it } from 'vitest';
import { unrenewedEnding } from '../src/features/overview/utils/warnings';

const row = (batchCode: string, regionCode: string, daysLeft: number, renewedBy: string | null) => ({
  batchCode,
  batchNameZh: `批次${batchCode}`,
  regionCode,
  contractEndOn: '2025-01-01',
  daysLeft,
  renewedBy,
});

describe('unrenewedEnding', () => {
  it('keeps batches with any region not renewed, soonest first, and drops fully renewed ones', () => {
    const warnings = unrenewedEnding([
      row('A', '320000', 90, 'A2'),
      row('B', '320000', 120, null),
      row('C', '110000', 30, 'C2'),
      row('C', '320000', 40, null),
    ]);
    expect(warnings.map((w) => [w.batchCode, w.daysLeft, w.regionCount, w.renewedCount])).toEqual([
      ['C', 30, 2, 1],
      ['B', 120, 1, 0],
    ]);
  });

  it('is empty without ending contracts', () => {
    expect(unrenewedEnding([])).toEqual([]);
  });
});
