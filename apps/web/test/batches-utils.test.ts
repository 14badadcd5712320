import { describe, expect, it } from 'vitest';
import type { Implementation } from '@vbp/contracts/api';
import { BATCH_STATUSES } from '@vbp/contracts/batch-status';
import { batchesEn } from '../src/features/batches/i18n/en';
import { batchesZh } from '../src/features/batches/i18n/zh';
import { formatDateAt, shownStart } from '../src/features/batches/utils/batch-dates';
import { batchFiltersToParams, batchYears, hasBatchFilters, parseBatchFilters } from '../src/features/batches/utils/batch-filters';
import { buildHistogram } from '../src/features/batches/utils/cut-histogram';
import { groupImplementations } from '../src/features/batches/utils/implementations';
import { decimalOrder, nextSort, parseSort, sortRows, sortToParam } from '../src/features/batches/utils/sort-rows';
import { rowWindow } from '../src/features/batches/utils/virtual-window';

describe('batch list filters in the URL', () => {
  it('reads every filter and writes them back in the same order', () => {
    const params = new URLSearchParams('q=%E7%AC%AC%E4%B9%9D%E6%89%B9&level=national&type=drug&year=2024&region=320000&status=running&page=3');
    const f = parseBatchFilters(params);
    expect(f).toEqual({ q: '第九批', level: 'national', type: 'drug', year: 2024, region: '320000', status: 'running', page: 3 });
    expect(batchFiltersToParams(f).toString()).toBe(params.toString());
    expect(hasBatchFilters(f)).toBe(true);
  });

  it('drops what is malformed and leaves out page 1', () => {
    const f = parseBatchFilters(new URLSearchParams('level=city&type=x&year=24&region=32&status=done&page=0&q=%20%20'));
    expect(f).toEqual({ q: undefined, level: undefined, type: undefined, year: undefined, region: undefined, status: undefined, page: 1 });
    expect(hasBatchFilters(f)).toBe(false);
    expect(batchFiltersToParams(f).toString()).toBe('');
    expect(parseBatchFilters(new URLSearchParams('year=1999')).year).toBeUndefined();
  });

  it('offers the years from the pilot to this year, newest first', () => {
    expect(batchYears(2021)).toEqual([2021, 2020, 2019, 2018]);
  });
});

describe('the fixed-row window', () => {
  it('draws the rows in view and the overscan, with spacers for the rest', () => {
    const w = rowWindow({ scrollTop: 4000, viewportHeight: 400, rowHeight: 40, rowCount: 5000, overscan: 5 });
    // row 100 is the first in view; 11 rows fill 400px (+1 partly shown)
    expect(w).toEqual({ start: 95, end: 116, before: 95 * 40, after: (5000 - 116) * 40, totalHeight: 200_000 });
    expect(w.before + (w.end - w.start) * 40 + w.after).toBe(w.totalHeight);
  });

  it('starts at the top and never runs past the end', () => {
    expect(rowWindow({ scrollTop: 0, viewportHeight: 400, rowHeight: 40, rowCount: 5000, overscan: 5 })).toMatchObject({ start: 0, end: 16, before: 0 });
    // a scroll position left over from a longer list is read as the end of this one
    const end = rowWindow({ scrollTop: 99_999, viewportHeight: 400, rowHeight: 40, rowCount: 30, overscan: 2 });
    expect(end).toMatchObject({ end: 30, after: 0, totalHeight: 1200 });
    expect(end.start).toBe(30 - 10 - 2);
  });

  it('handles short and empty lists', () => {
    expect(rowWindow({ scrollTop: 0, viewportHeight: 400, rowHeight: 40, rowCount: 3 })).toEqual({ start: 0, end: 3, before: 0, after: 0, totalHeight: 120 });
    expect(rowWindow({ scrollTop: 50, viewportHeight: 400, rowHeight: 40, rowCount: 0 })).toEqual({ start: 0, end: 0, before: 0, after: 0, totalHeight: 0 });
    expect(() => rowWindow({ scrollTop: 0, viewportHeight: 400, rowHeight: 0, rowCount: 3 })).toThrow(RangeError);
  });
});

describe('sorting table rows', () => {
  const rows = [
    { name: '阿莫西林', price: '12.5000', cut: 0.5 },
    { name: '头孢呋辛', price: null, cut: null },
    { name: '阿司匹林', price: '2.0000', cut: 0.9 },
    { name: '布洛芬', price: '100.0000', cut: 0.5 },
  ];

  it('orders numbers by value, missing values last in both directions, ties in their order', () => {
    expect(sortRows(rows, (r) => r.cut, 'asc').map((r) => r.name)).toEqual(['阿莫西林', '布洛芬', '阿司匹林', '头孢呋辛']);
    expect(sortRows(rows, (r) => r.cut, 'desc').map((r) => r.name)).toEqual(['阿司匹林', '阿莫西林', '布洛芬', '头孢呋辛']);
  });

  it('orders prices (decimal strings) by value, not as text', () => {
    expect(sortRows(rows, (r) => decimalOrder(r.price), 'asc').map((r) => r.price)).toEqual(['2.0000', '12.5000', '100.0000', null]);
    expect(decimalOrder('abc')).toBeNull();
  });

  it('orders Chinese text by pinyin and leaves the input alone', () => {
    const copy = [...rows];
    expect(sortRows(rows, (r) => r.name, 'asc').map((r) => r.name)).toEqual(['阿莫西林', '阿司匹林', '布洛芬', '头孢呋辛']);
    expect(rows).toEqual(copy);
  });

  it('flips the direction on the same column and starts a new one with the given direction', () => {
    expect(nextSort({ key: 'cut', dir: 'desc' }, 'cut')).toEqual({ key: 'cut', dir: 'asc' });
    expect(nextSort<'cut' | 'name'>({ key: 'cut', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort<'cut' | 'name'>({ key: 'name', dir: 'asc' }, 'cut', 'desc')).toEqual({ key: 'cut', dir: 'desc' });
  });
});

describe('a table sort in the URL', () => {
  const keys = ['cut', 'name'] as const;
  it('reads "key.dir" and writes it back', () => {
    expect(parseSort('cut.desc', keys, { key: 'name', dir: 'asc' })).toEqual({ key: 'cut', dir: 'desc' });
    expect(sortToParam({ key: 'cut', dir: 'desc' })).toBe('cut.desc');
  });
  it('falls back on unknown columns, directions or nothing', () => {
    const fallback = { key: 'name', dir: 'asc' } as const;
    for (const v of ['price.asc', 'cut.up', 'cut', '', null]) expect(parseSort(v, keys, fallback)).toEqual(fallback);
  });
});

describe('the cut histogram rows', () => {
  const bins = [
    { from: -0.1, to: 0, count: 1 },
    { from: 0, to: 0.1, count: 0 },
    { from: 0.3, to: 0.4, count: 3 },
    { from: 0.5, to: 0.6, count: 3 },
    { from: 0.9, to: 1, count: 1 },
  ];

  it('labels each bin, gives its share, the fullest bin and the price rises', () => {
    const h = buildHistogram(bins);
    expect(h.rows.map((r) => r.label)).toEqual(['-10–0%', '0–10%', '30–40%', '50–60%', '90–100%']);
    expect(h.total).toBe(8);
    expect(h.rows.map((r) => r.share)).toEqual([0.125, 0, 0.375, 0.375, 0.125]);
    expect(h.mode?.label).toBe('30–40%');
    expect(h.rises).toBe(1);
  });

  it('keeps empty bins (zero-filled) and has no mode without products', () => {
    const h = buildHistogram(bins.map((b) => ({ ...b, count: 0 })));
    expect(h.rows).toHaveLength(5);
    expect(h.rows.every((r) => r.share === 0)).toBe(true);
    expect(h).toMatchObject({ total: 0, mode: null, rises: 0 });
  });

  it('labels bins without floating-point noise', () => {
    const h = buildHistogram([{ from: 0.30000000000000004, to: 0.4, count: 1 }, { from: 0.7, to: 0.7999999999999999, count: 2 }]);
    expect(h.rows.map((r) => r.label)).toEqual(['30–40%', '70–80%']);
    expect(h.mode?.label).toBe('70–80%');
  });
});

describe('batch dates', () => {
  it('shows a date as precisely as it is known', () => {
    expect(formatDateAt('2019-09-01', 'month')).toBe('2019-09');
    expect(formatDateAt('2019-01-01', 'year')).toBe('2019');
    expect(formatDateAt('2019-09-15', 'day')).toBe('2019-09-15');
    expect(formatDateAt(null, 'day')).toBe('—');
  });

  it('prefers the published start, then the earliest implementation with its estimate flag', () => {
    expect(shownStart({ implementedOn: '2020-04-01', implementedPrecision: 'month', firstStartOn: '2020-03-01', firstStartEstimated: true })).toEqual({
      date: '2020-04-01',
      precision: 'month',
      estimated: false,
      from: 'published',
    });
    expect(shownStart({ implementedOn: null, implementedPrecision: null, firstStartOn: '2019-12-01', firstStartEstimated: true })).toMatchObject({
      date: '2019-12-01',
      estimated: true,
      from: 'implementation',
    });
    expect(shownStart({ implementedOn: null, implementedPrecision: null, firstStartOn: null, firstStartEstimated: false }).from).toBe('none');
  });
});

describe('implementations grouped by date and note', () => {
  const impl = (regionCode: string, startOn: string, extra: Partial<Implementation> = {}): Implementation => ({
    regionCode,
    regionNameZh: `地区${regionCode}`,
    startOn,
    startPrecision: 'month',
    contractEndOn: null,
    estimated: true,
    source: 'seed:reference; 规则1',
    note: '推定',
    ...extra,
  });

  it('lists each date once with every region that starts then, earliest first', () => {
    const groups = groupImplementations([
      impl('110000', '2019-12-01'),
      impl('320000', '2019-03-01', { estimated: false, note: null }),
      impl('120000', '2019-12-01'),
      impl('130000', '2019-12-01', { note: '另一说明' }),
    ]);
    expect(groups.map((g) => [g.startOn, g.regions.map((r) => r.code)])).toEqual([
      ['2019-03-01', ['320000']],
      ['2019-12-01', ['110000', '120000']],
      ['2019-12-01', ['130000']],
    ]);
    expect(groups[0]).toMatchObject({ estimated: false, note: null });
    expect(groups.flatMap((g) => g.regions)).toHaveLength(4);
  });

  it('has no groups without implementations', () => {
    expect(groupImplementations([])).toEqual([]);
  });
});

describe('batch page dictionaries', () => {
  it('name every status in both languages, with its rule', () => {
    for (const s of BATCH_STATUSES) {
      expect(batchesZh.status[s]).toBeTruthy();
      expect(batchesEn.status[s]).toBeTruthy();
      expect(batchesZh.statusRule[s]).toBeTruthy();
      expect(batchesEn.statusRule[s]).toBeTruthy();
    }
    expect(Object.keys(batchesEn).sort()).toEqual(Object.keys(batchesZh).sort());
  });
});
