import { describe, expect, it } from 'vitest';
import type { TargetView } from '@vbp/contracts/api';
import type { TargetStatus } from '@vbp/contracts/enums';
import { buildProvinceChartData, chartScopes, comparisonEnds, pickChartScope, provinceChartHeight } from '../src/features/targets/utils/province-chart-data';
import {
  filterTargets,
  hasTargetFilters,
  nextSort,
  parseTargetFilters,
  sortTargetRows,
  targetFiltersToParams,
  targetRowKey,
} from '../src/features/targets/utils/targets-table';

let nextId = 1;
function target(over: Partial<TargetView> & { fraction?: number | null; status?: TargetStatus; metOn?: string | null } = {}): TargetView {
  const { fraction = 0.5, status = 'on_track', metOn = null, ...rest } = over;
  const count = rest.count ?? 100;
  return {
    id: nextId++,
    code: 'T',
    ownerRegionCode: '320000',
    regionCode: '320000',
    scope: 'region',
    productType: 'drug',
    unit: 'variety',
    count,
    dueOn: '2025-12-31',
    dueAssumed: false,
    dueNote: null,
    setOn: '2024-01-01',
    source: { documentCode: 'DOC', titleZh: '文件', issuer: '局', issuedOn: '2024-01-01', url: null, clause: '一' },
    note: null,
    progress:
      fraction === null
        ? null
        : {
            asOf: '2026-01-31',
            current: Math.round(fraction * count),
            fraction,
            baseline: 0,
            expectedNow: 0,
            projectedAtDue: null,
            projectedMetOn: metOn,
            status,
            statusReason: '',
            statusReasonZh: '',
          },
    expectedPath: [],
    ...rest,
  };
}

const ORDER = new Map([
  ['100000', 0],
  ['110000', 1],
  ['150000', 2],
  ['320000', 3],
]);

describe('target filters in the URL', () => {
  it('reads what it knows and drops the rest', () => {
    const f = parseTargetFilters(new URLSearchParams('type=drug&status=behind&region=320000&sort=progress&dir=desc&chart=CN-500'));
    expect(f).toEqual({ type: 'drug', status: 'behind', region: '320000', sort: 'progress', dir: 'desc', chart: 'CN-500' });
    expect(parseTargetFilters(new URLSearchParams('type=pill&status=late&region=32&sort=colour&dir=up'))).toEqual({
      type: undefined,
      status: undefined,
      region: undefined,
      sort: 'region',
      dir: 'asc',
      chart: undefined,
    });
  });
  it('writes back only what differs from the defaults, and round-trips', () => {
    expect(targetFiltersToParams(parseTargetFilters(new URLSearchParams(''))).toString()).toBe('');
    const params = 'type=consumable&status=met&sort=due&dir=desc';
    expect(targetFiltersToParams(parseTargetFilters(new URLSearchParams(params))).toString()).toBe(params);
    expect(hasTargetFilters({ type: undefined, status: undefined, region: undefined })).toBe(false);
    expect(hasTargetFilters({ type: undefined, status: 'met', region: undefined })).toBe(true);
  });
  it('a click on the sorted column flips it; numbers start largest first', () => {
    expect(nextSort({ sort: 'due', dir: 'asc' }, 'due')).toEqual({ sort: 'due', dir: 'desc' });
    expect(nextSort({ sort: 'due', dir: 'desc' }, 'due')).toEqual({ sort: 'due', dir: 'asc' });
    expect(nextSort({ sort: 'due', dir: 'asc' }, 'progress')).toEqual({ sort: 'progress', dir: 'desc' });
    expect(nextSort({ sort: 'due', dir: 'asc' }, 'region')).toEqual({ sort: 'region', dir: 'asc' });
  });
});

describe('filterTargets and sortTargetRows', () => {
  const js = target({ regionCode: '320000', fraction: 0.9, status: 'at_risk', count: 550 });
  const jsConsumable = target({ regionCode: '320000', productType: 'consumable', fraction: 1.2, status: 'met', count: 30, metOn: '2024-05-01' });
  const bj = target({ regionCode: '110000', ownerRegionCode: '100000', scope: 'each_province', fraction: 1.1, status: 'met', count: 500, metOn: '2023-01-01' });
  const nm = target({ regionCode: '150000', ownerRegionCode: '100000', scope: 'each_province', fraction: 0.4, status: 'behind', count: 500, dueOn: '2022-12-31' });
  const nation = target({ regionCode: '100000', ownerRegionCode: '100000', scope: 'each_province', fraction: null, count: 500 });
  const all = [js, jsConsumable, bj, nm, nation];
  const regions = (rows: TargetView[]) => rows.map((r) => `${r.regionCode}:${r.productType}`);

  it('filters by type, status and region together', () => {
    expect(filterTargets(all, { type: 'drug', status: undefined, region: undefined })).toHaveLength(4);
    expect(filterTargets(all, { type: undefined, status: 'met', region: undefined })).toEqual([jsConsumable, bj]);
    expect(filterTargets(all, { type: 'drug', status: undefined, region: '320000' })).toEqual([js]);
    // a row without progress has no status: a status filter leaves it out
    expect(filterTargets(all, { type: undefined, status: 'on_track', region: undefined })).toEqual([]);
  });

  it('sorts regions by the code table, ties by type', () => {
    expect(regions(sortTargetRows(all, 'region', 'asc', ORDER))).toEqual(['100000:drug', '110000:drug', '150000:drug', '320000:consumable', '320000:drug']);
    expect(regions(sortTargetRows(all, 'region', 'desc', ORDER))).toEqual(['320000:consumable', '320000:drug', '150000:drug', '110000:drug', '100000:drug']);
  });

  it('sorts by progress and status with unmeasured rows last either way', () => {
    expect(sortTargetRows(all, 'progress', 'desc', ORDER).map((r) => r.progress?.fraction ?? null)).toEqual([1.2, 1.1, 0.9, 0.4, null]);
    expect(sortTargetRows(all, 'progress', 'asc', ORDER).map((r) => r.progress?.fraction ?? null)).toEqual([0.4, 0.9, 1.1, 1.2, null]);
    // ascending status = the ones needing attention first
    expect(sortTargetRows(all, 'status', 'asc', ORDER).map((r) => r.progress?.status ?? null)).toEqual(['behind', 'at_risk', 'met', 'met', null]);
  });

  it('sorts by count, due date and projection', () => {
    expect(sortTargetRows(all, 'count', 'desc', ORDER).map((r) => r.count)).toEqual([550, 500, 500, 500, 30]);
    expect(sortTargetRows(all, 'due', 'asc', ORDER)[0]).toBe(nm);
    expect(sortTargetRows(all, 'projection', 'asc', ORDER).slice(0, 2)).toEqual([bj, jsConsumable]);
  });

  it('a row is one target in one region', () => {
    expect(targetRowKey(bj)).toBe(`${bj.id}:110000`);
  });
});

describe('province comparison chart data', () => {
  const per = (regionCode: string, fraction: number, status: TargetStatus, code = 'CN-500') =>
    target({ code, regionCode, ownerRegionCode: '100000', scope: 'each_province', count: 500, fraction, status });
  const items = [
    per('110000', 1.112, 'met'),
    per('150000', 0.62, 'behind'),
    per('320000', 0.95, 'at_risk'),
    per('110000', 1.5, 'met', 'CN-350'),
    target({ code: 'JS-550', regionCode: '320000', fraction: 0.9 }),
    target({ code: 'CN-5', ownerRegionCode: '100000', scope: 'each_province', productType: 'consumable', unit: 'category', count: 5, regionCode: '320000', fraction: 1, status: 'met' }),
    target({ code: 'CN-500', regionCode: '100000', ownerRegionCode: '100000', scope: 'each_province', fraction: null }),
  ];

  it('offers the per-province targets, drugs first, latest due first', () => {
    const scopes = chartScopes(items.map((t) => (t.code === 'CN-350' ? { ...t, dueOn: '2022-12-31' } : t)));
    expect(scopes.map((s) => [s.code, s.regions])).toEqual([
      ['CN-500', 3],
      ['CN-350', 1],
      ['CN-5', 1],
    ]);
    expect(pickChartScope(scopes, 'CN-5')?.code).toBe('CN-5');
    expect(pickChartScope(scopes, 'nonsense')?.code).toBe('CN-500');
    expect(pickChartScope([], undefined)).toBeNull();
  });

  it('one bar per province, highest first, the axis reaching past 100% when a province exceeds it', () => {
    const data = buildProvinceChartData(items, 'CN-500', (code) => `R${code}`, ORDER);
    expect(data.bars.map((b) => [b.label, b.fraction, b.current, b.count, b.status])).toEqual([
      ['R110000', 1.112, 556, 500, 'met'],
      ['R320000', 0.95, 475, 500, 'at_risk'],
      ['R150000', 0.62, 310, 500, 'behind'],
    ]);
    expect(data.xMax).toBe(1.2);
    expect(data.met).toBe(1);
  });

  it('keeps the 100% line in view when every province is short, and orders ties by region', () => {
    const data = buildProvinceChartData([per('320000', 0.5, 'behind'), per('150000', 0.5, 'behind'), per('110000', 0.3, 'behind')], 'CN-500', (c) => c, ORDER);
    expect(data.xMax).toBe(1);
    expect(data.bars.map((b) => b.regionCode)).toEqual(['150000', '320000', '110000']);
    expect(buildProvinceChartData([per('110000', 1, 'met')], 'CN-500', (c) => c, ORDER).xMax).toBe(1);
    expect(buildProvinceChartData([], 'CN-500', (c) => c, ORDER)).toEqual({ bars: [], xMax: 1, met: 0 });
  });

  it('names every province tied at the top or the bottom, and says when all are tied', () => {
    const bars = (fractions: number[]) => buildProvinceChartData(fractions.map((f, i) => per(String(110000 + i * 10000), f, 'behind')), 'CN-500', (c) => `R${c}`, ORDER).bars;
    // 0.9821 and 0.9824 both show as 98.2%
    expect(comparisonEnds(bars([1, 0.9821, 0.9824, 0.5]))).toEqual({ top: { labels: ['R110000'], fraction: 1 }, bottom: { labels: ['R140000'], fraction: 0.5 }, allTied: false });
    const tied = comparisonEnds(bars([0.99, 0.982, 0.982, 0.982]));
    expect(tied.bottom).toEqual({ labels: ['R120000', 'R130000', 'R140000'], fraction: 0.982 });
    // highest first: 0.9821 leads the tie
    expect(comparisonEnds(bars([0.982, 0.9821, 0.982]))).toEqual({ top: { labels: ['R120000', 'R110000', 'R130000'], fraction: 0.9821 }, bottom: null, allTied: true });
    expect(comparisonEnds(bars([0.5]))).toEqual({ top: { labels: ['R110000'], fraction: 0.5 }, bottom: null, allTied: false });
    expect(comparisonEnds([])).toEqual({ top: null, bottom: null, allTied: false });
  });

  it('reserves the chart height from the number of bars', () => {
    expect(provinceChartHeight(32)).toBeGreaterThan(provinceChartHeight(3));
    expect(provinceChartHeight(0)).toBe(provinceChartHeight(1));
  });
});
