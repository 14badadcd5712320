import { describe, expect, it } from 'vitest';
import type { CutStats, PublishedFigure } from '@vbp/contracts/api';
import type { CoverageFact } from '../../src/calc/coverage';
import { compareFigure, figureMeasure, reconcileFigure, sortFigures, type BatchFacts } from '../../src/calc/reconciliation';

function figure(overrides: Partial<PublishedFigure>): PublishedFigure {
  return {
    code: 'F',
    regionCode: '110000',
    batchCode: null,
    metric: 'drug_varieties_cumulative',
    productType: 'drug',
    comparator: 'eq',
    value: '10',
    unit: 'variety',
    asOf: '2023-06-30',
    source: { documentCode: 'DOC', titleZh: '报告', issuer: '局', issuedOn: '2023-07-01', url: null, clause: '一(一)' },
    sourceUrl: null,
    note: null,
    ...overrides,
  };
}

function facts(batchCode: string, first: number, count: number, overrides: Partial<CoverageFact> = {}): CoverageFact[] {
  return Array.from({ length: count }, (_, i) => ({
    batchCode,
    level: 'national' as const,
    varietyId: first + i,
    categoryId: null,
    isPlaceholder: false,
    outcome: 'selected' as const,
    startOn: '2020-01-01',
    contractEndOn: null,
    estimated: false,
    ...overrides,
  }));
}

function batches(...list: Partial<BatchFacts>[]): Map<string, BatchFacts> {
  return new Map(list.map((b) => [b.code!, { code: b.code!, announcedOn: null, productCount: 0, pricedCount: 0, ...b }]));
}

function cuts(plainMean: number | null, syntheticProductCount = 0): CutStats {
  return { productCount: 10, varietyCount: 5, plainMean, volumeWeightedMean: null, spendWeightedMean: null, min: null, median: null, max: null, syntheticProductCount };
}

describe('figureMeasure', () => {
  it('maps each metric to its computation', () => {
    expect(figureMeasure(figure({}))).toEqual({ kind: 'coverage', productType: 'drug', unit: 'variety' });
    expect(figureMeasure(figure({ metric: 'consumable_categories_cumulative' }))).toEqual({ kind: 'coverage', productType: 'consumable', unit: 'category' });
    expect(figureMeasure(figure({ metric: 'provincial_drug_batches' }))).toEqual({ kind: 'batch_count', productType: 'drug', level: 'provincial' });
    expect(figureMeasure(figure({ metric: 'avg_cut', productType: 'consumable' }))).toEqual({ kind: 'region_cut', productType: 'consumable' });
    expect(figureMeasure(figure({ metric: 'avg_cut', batchCode: 'JJJ' }))).toEqual({ kind: 'batch_cut', batchCode: 'JJJ' });
    expect(figureMeasure(figure({ metric: 'linked_procurement_avg_cut' }))).toEqual({ kind: 'none' });
    expect(figureMeasure(figure({ metric: 'drug_varieties_cumulative', batchCode: 'D1' }))).toEqual({ kind: 'none' });
  });
});

describe('compareFigure', () => {
  it('eq: counts exactly, fractions within the rounding of a figure stated to 0.1%', () => {
    expect(compareFigure('eq', 'count', 556, 556)).toBe('matches');
    expect(compareFigure('eq', 'count', 556, 555)).toBe('differs');
    expect(compareFigure('eq', 'fraction', 0.727, 0.7274)).toBe('matches');
    expect(compareFigure('eq', 'fraction', 0.727, 0.7276)).toBe('differs');
  });
  it('gt / gte / approx are bounds', () => {
    expect(compareFigure('gt', 'fraction', 0.5, 0.5)).toBe('differs');
    expect(compareFigure('gt', 'fraction', 0.5, 0.5001)).toBe('matches');
    expect(compareFigure('gte', 'count', 500, 500)).toBe('matches');
    expect(compareFigure('approx', 'count', 100, 105)).toBe('matches');
    expect(compareFigure('approx', 'count', 100, 106)).toBe('differs');
    expect(compareFigure('approx', 'fraction', 0.5, 0.51)).toBe('matches');
  });
  it('nothing computed is not a match', () => {
    expect(compareFigure('eq', 'count', 1, null)).toBe('not_computed');
  });
});

describe('reconcileFigure', () => {
  const base = { asOf: '2023-06-30', viewDate: '2024-06-30', batches: batches({ code: 'A' }, { code: 'B', announcedOn: '2023-05-01' }) };

  it('a count that matches, with placeholders and estimated dates said', () => {
    const f = [...facts('A', 1, 6), ...facts('P', 7, 4, { isPlaceholder: true, estimated: true, level: 'provincial' })];
    const item = reconcileFigure({ ...base, figure: figure({}), facts: f });
    expect(item).toMatchObject({ published: 10, computed: 10, current: 10, difference: 0, status: 'matches', computedAsOf: '2023-06-30' });
    expect(item.explanations.map((e) => e.kind)).toEqual(['placeholders', 'estimated_dates']);
    expect(item.explanations[0]).toMatchObject({ batches: ['P'] });
  });

  it('a count below the figure: a batch tendered before the date but implemented after, and when the data reaches it', () => {
    const f = [...facts('A', 1, 6), ...facts('B', 5, 6, { startOn: '2023-09-01' })];
    const item = reconcileFigure({ ...base, figure: figure({}), facts: f });
    expect(item).toMatchObject({ computed: 6, difference: -4, status: 'differs', current: 10 });
    const after = item.explanations.find((e) => e.kind === 'implemented_after');
    // B adds 4 new varieties (5 and 6 were covered by A already)
    expect(after).toMatchObject({ batches: ['B'] });
    expect(after?.message).toContain('+4');
    expect(item.explanations.find((e) => e.kind === 'reached_on')?.message).toContain('2023-09-01');
  });

  it('a batch not yet announced at the date is not offered as the reason', () => {
    const f = [...facts('A', 1, 6), ...facts('C', 7, 4, { startOn: '2023-09-01' })];
    const item = reconcileFigure({ ...base, batches: batches({ code: 'A' }, { code: 'C', announcedOn: '2023-08-01' }), figure: figure({}), facts: f });
    expect(item.explanations.map((e) => e.kind)).toEqual(['reached_on']);
  });

  it('a count above the figure says when the data had reached it', () => {
    const f = [...facts('A', 1, 5, { startOn: '2019-01-01' }), ...facts('B', 6, 7, { startOn: '2021-01-01' })];
    const item = reconcileFigure({ ...base, figure: figure({}), facts: f });
    expect(item).toMatchObject({ computed: 12, difference: 2, status: 'differs' });
    expect(item.explanations.find((e) => e.kind === 'reached_on')?.messageZh).toContain('2021-01-01 已达到 10');
  });

  it('batch counts list the batches counted', () => {
    const f = [...facts('A', 1, 3), ...facts('B', 4, 3), ...facts('L', 7, 2, { level: 'alliance' })];
    const item = reconcileFigure({ ...base, figure: figure({ metric: 'national_drug_batches', value: '2', unit: 'batch' }), facts: f });
    expect(item).toMatchObject({ computed: 2, status: 'matches' });
    expect(item.explanations[0]).toMatchObject({ kind: 'counted_batches', batches: ['A', 'B'] });
  });

  it('a bound on the region cut: met or not, with batches lacking prices and synthetic prices said', () => {
    const f = [...facts('A', 1, 3), ...facts('B', 4, 3)];
    const list = batches({ code: 'A', productCount: 10, pricedCount: 10 }, { code: 'B' });
    const fig = figure({ metric: 'avg_cut', comparator: 'gt', value: '0.50', unit: 'fraction' });
    const met = reconcileFigure({ ...base, batches: list, figure: fig, facts: f, cuts: { atFigure: cuts(0.532, 2), now: cuts(0.55) } });
    expect(met).toMatchObject({ published: 0.5, computed: 0.532, difference: 0.032, current: 0.55, status: 'matches', scope: { metricKind: 'fraction', unit: null } });
    expect(met.explanations.map((e) => e.kind)).toEqual(['missing_prices', 'synthetic_prices', 'comparator']);
    expect(met.explanations[0]).toMatchObject({ batches: ['B'] });
    expect(met.explanations[2]?.message).toContain('meets');

    const short = reconcileFigure({ ...base, batches: list, figure: fig, facts: f, cuts: { atFigure: cuts(0.41), now: null } });
    expect(short.status).toBe('differs');
    expect(short.explanations.at(-1)?.message).toContain('does not meet');

    const none = reconcileFigure({ ...base, batches: list, figure: fig, facts: f, cuts: { atFigure: cuts(null), now: null } });
    expect(none).toMatchObject({ computed: null, computedAsOf: null, difference: null, status: 'not_computed' });
  });

  it('a metric the data does not hold', () => {
    const item = reconcileFigure({ ...base, figure: figure({ metric: 'linked_procurement_avg_cut', value: '0.383', unit: 'fraction' }), facts: null });
    expect(item).toMatchObject({ computed: null, status: 'not_computed', scope: { metricKind: 'fraction' } });
    expect(item.explanations.map((e) => e.kind)).toEqual(['not_modelled']);
  });
});

describe('sortFigures', () => {
  it('by region order, then drugs first, counts before batches before cuts, batch figures and unknown metrics last, latest first', () => {
    const sorted = sortFigures(
      [
        figure({ code: 'c-cut', metric: 'avg_cut', productType: 'consumable' }),
        figure({ code: 'linked', metric: 'linked_procurement_avg_cut', productType: 'consumable' }),
        figure({ code: 'd-cut', metric: 'avg_cut' }),
        figure({ code: 'd-batches', metric: 'national_drug_batches' }),
        figure({ code: 'iol', metric: 'avg_cut', productType: 'consumable', batchCode: 'IOL' }),
        figure({ code: 'd-count-old', asOf: '2020-12-31' }),
        figure({ code: 'd-count' }),
        figure({ code: 'c-cat', metric: 'consumable_categories_cumulative', productType: 'consumable' }),
        figure({ code: 'nation', regionCode: '100000' }),
        figure({ code: 'no-region', regionCode: null }),
      ],
      new Map([
        ['100000', 0],
        ['110000', 1],
      ]),
    );
    expect(sorted.map((f) => f.code)).toEqual(['nation', 'd-count', 'd-count-old', 'd-batches', 'd-cut', 'c-cat', 'c-cut', 'linked', 'iol', 'no-region']);
  });
});
