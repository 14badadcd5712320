import { describe, expect, it } from 'vitest';
import type { ContractPeriod } from '@vbp/contracts/contract-periods';
import {
  buildTimeline,
  countPeriods,
  filterPeriods,
  needsAttention,
  parseShowFilter,
  parseTypeFilter,
} from '../src/features/contracts/utils/timeline';

function period(code: string, overrides: Partial<ContractPeriod> = {}): ContractPeriod {
  return {
    batchCode: code,
    batchNameZh: `批次${code}`,
    batchNameEn: null,
    level: 'national',
    productType: 'drug',
    regionCount: 1,
    startOn: '2022-01-01',
    startPrecision: 'day',
    contractEndOn: '2024-12-31',
    estimated: false,
    daysLeft: 91,
    state: 'ending_soon',
    renewal: 'pending',
    renewedBy: null,
    renewedRegionCount: 0,
    renewalOf: null,
    source: null,
    ...overrides,
  };
}

describe('buildTimeline', () => {
  it('spans whole years from the first start to the window end, with the today marker and the window', () => {
    const t = buildTimeline([period('A', { startOn: '2021-07-01', contractEndOn: '2023-06-30' })], '2024-10-01', 180);
    expect(t.from).toBe('2021-01-01');
    // as-of + 180 days = 2025-03-30, later than every end: the axis ends with that year
    expect(t.to).toBe('2025-12-31');
    expect(t.today).toBeCloseTo(1369 / 1825, 6);
    expect(t.windowEnd).toBeGreaterThan(t.today);
    expect(t.ticks.map((k) => k.label)).toEqual(['2021', '2022', '2023', '2024', '2025']);
    expect(t.ticks[0]?.x).toBe(0);
  });

  it('places bars by date, runs unknown ends to the axis end, and marks the renewal start', () => {
    const t = buildTimeline(
      [
        period('A', { startOn: '2020-01-01', contractEndOn: '2021-12-31', renewedBy: { code: 'B', nameZh: '批次B', startOn: '2022-01-01' }, renewal: 'renewed', state: 'ended' }),
        period('C', { startOn: '2021-01-01', contractEndOn: null, daysLeft: null, state: 'unknown_end', renewal: 'not_needed' }),
        period('D', { startOn: '2022-01-01', contractEndOn: '2027-12-31', state: 'running', renewal: 'not_needed' }),
      ],
      '2024-01-01',
      180,
    );
    expect(t.from).toBe('2020-01-01');
    expect(t.to).toBe('2027-12-31');
    const [a, c, d] = t.rows;
    expect(a).toMatchObject({ start: 0, openEnd: false, tone: 'ended' });
    expect(a!.renewal).toBeCloseTo(a!.end, 2);
    expect(c).toMatchObject({ end: 1, openEnd: true, renewal: null, tone: 'unknown_end' });
    expect(d!.end).toBe(1);
    expect(d!.start).toBeGreaterThan(c!.start);
  });

  it('thins year ticks on long axes', () => {
    const t = buildTimeline([period('A', { startOn: '2000-01-01' })], '2024-06-30', 180, 6);
    expect(t.ticks.length).toBeLessThanOrEqual(6);
    expect(t.ticks[0]?.label).toBe('2000');
  });

  it('gives an axis around the as-of date when there are no periods', () => {
    const t = buildTimeline([], '2024-06-30', 180);
    expect([t.from, t.to, t.rows.length]).toEqual(['2024-01-01', '2024-12-31', 0]);
  });
});

describe('filters and counts', () => {
  const items = [
    period('A'),
    period('B', { renewal: 'renewed', productType: 'consumable' }),
    period('C', { state: 'ended', renewal: 'pending', daysLeft: -3 }),
    period('D', { state: 'ended', renewal: 'renewed' }),
    period('E', { state: 'unknown_end', renewal: 'not_needed', contractEndOn: null, daysLeft: null }),
    period('F', { state: 'running', renewal: 'not_needed' }),
  ];

  it('needs attention when ending soon, or ended without renewal', () => {
    expect(items.filter(needsAttention).map((p) => p.batchCode)).toEqual(['A', 'B', 'C']);
  });

  it('filters by type and attention', () => {
    expect(filterPeriods(items, 'all', 'all')).toHaveLength(6);
    expect(filterPeriods(items, 'consumable', 'all').map((p) => p.batchCode)).toEqual(['B']);
    expect(filterPeriods(items, 'drug', 'attention').map((p) => p.batchCode)).toEqual(['A', 'C']);
  });

  it('counts states', () => {
    expect(countPeriods(items)).toEqual({ total: 6, endingSoon: 2, endingUnrenewed: 1, endedUnrenewed: 1, unknownEnd: 1 });
  });

  it('parses URL filters, falling back to all', () => {
    expect([parseTypeFilter('drug'), parseTypeFilter('x'), parseTypeFilter(null)]).toEqual(['drug', 'all', 'all']);
    expect([parseShowFilter('attention'), parseShowFilter('bogus')]).toEqual(['attention', 'all']);
  });
});
