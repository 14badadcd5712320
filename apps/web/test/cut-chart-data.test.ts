import { describe, expect, it } from 'vitest';
import type { BatchCut } from '@vbp/contracts/api';
import { buildHistogramRows } from '../src/components/charts/histogram-data';
import { buildBatchCutData } from '../src/features/overview/utils/cut-chart-data';

function cut(code: string, overrides: Partial<BatchCut> = {}): BatchCut {
  return {
    batchCode: code,
    batchNameZh: `批次${code}`,
    level: 'national',
    productType: 'drug',
    varietyCount: 2,
    productCount: 3,
    syntheticProductCount: 0,
    plainMean: null,
    volumeWeightedMean: null,
    publishedAvgCut: null,
    publishedCutNote: null,
    source: null,
    ...overrides,
  };
}

describe('buildBatchCutData', () => {
  it('keeps the type’s batches with a computed or published cut, computed largest first, published-only after', () => {
    const data = buildBatchCutData(
      [
        cut('A', { plainMean: 0.5 }),
        cut('B', { plainMean: 0.7, publishedAvgCut: 0.53 }),
        cut('C', { publishedAvgCut: 0.6 }),
        cut('D'),
        cut('E', { plainMean: 0.9, productType: 'consumable' }),
        cut('F', { publishedAvgCut: 0.8 }),
      ],
      'drug',
    );
    expect(data.rows.map((r) => r.code)).toEqual(['B', 'A', 'F', 'C']);
    expect(data.rows[0]).toMatchObject({ computed: 0.7, published: 0.53 });
    expect(data.withoutCut).toBe(1);
    expect(data.min).toBe(0);
  });

  it('marks computed figures resting on synthetic prices, but not published-only rows', () => {
    const data = buildBatchCutData([cut('A', { plainMean: 0.5, syntheticProductCount: 1 }), cut('B', { publishedAvgCut: 0.4, syntheticProductCount: 0 })], 'drug');
    expect(data.rows.map((r) => r.synthetic)).toEqual([true, false]);
    expect(data.anySynthetic).toBe(true);
  });

  it('extends the axis below zero for a price rise, to a round tenth', () => {
    expect(buildBatchCutData([cut('A', { plainMean: -0.13 }), cut('B', { plainMean: 0.4 })], 'drug').min).toBe(-0.2);
  });

  it('is empty without batches of the type', () => {
    expect(buildBatchCutData([cut('A', { plainMean: 0.5 })], 'consumable')).toEqual({ rows: [], withoutCut: 0, anySynthetic: false, min: 0 });
  });
});

describe('buildHistogramRows', () => {
  it('labels bins in whole percentages, keeps zero bins and gives shares', () => {
    const { rows, total } = buildHistogramRows([
      { from: 0.1, to: 0.2, count: 0 },
      { from: -0.1, to: 0, count: 1 },
      { from: 0, to: 0.1, count: 3 },
    ]);
    expect(total).toBe(4);
    expect(rows.map((r) => r.label)).toEqual(['-10–0%', '0–10%', '10–20%']);
    expect(rows.map((r) => r.count)).toEqual([1, 3, 0]);
    expect(rows.map((r) => r.share)).toEqual([0.25, 0.75, 0]);
  });

  it('gives zero shares when no product has a cut', () => {
    const { rows, total } = buildHistogramRows([{ from: 0.9, to: 1, count: 0 }]);
    expect(total).toBe(0);
    expect(rows[0]).toMatchObject({ label: '90–100%', share: 0 });
  });
});
