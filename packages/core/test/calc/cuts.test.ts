import { describe, expect, it } from 'vitest';
import { cutHistogram, cutStats, priceCut, type PricedProduct } from '../../src/calc/cuts';

describe('priceCut', () => {
  it('is 1 − selected / reference', () => {
    expect(priceCut('100', '48')).toBe(0.52);
    expect(priceCut('3.0000', '0.1000')).toBe(0.966667);
    expect(priceCut('7.35', '7.35')).toBe(0);
    expect(priceCut('10', '0')).toBe(1);
  });

  it('is negative for a price rise', () => {
    expect(priceCut('10', '12.5')).toBe(-0.25);
  });

  it('is null without a usable reference price', () => {
    expect(priceCut(null, '5')).toBeNull();
    expect(priceCut('', '5')).toBeNull();
    expect(priceCut('0', '5')).toBeNull();
    expect(priceCut('-1', '5')).toBeNull();
  });

  it('does float-free arithmetic (0.3 − 0.1 style errors do not appear)', () => {
    // as floats 1 − 0.7 / 1 = 0.30000000000000004
    expect(priceCut('1', '0.7')).toBe(0.3);
  });
});

describe('cutStats', () => {
  const products: PricedProduct[] = [
    // variety 1: two winners, cuts 0.5 and 0.7 → mean 0.6
    { varietyId: 1, referencePrice: '10', selectedPrice: '5', volume: '100' },
    { varietyId: 1, referencePrice: '10', selectedPrice: '3', volume: '300' },
    // variety 2: one winner, cut 0.9
    { varietyId: 2, referencePrice: '100', selectedPrice: '10', volume: '50' },
    // variety 3: no reference price → no cut
    { varietyId: 3, referencePrice: null, selectedPrice: '8', volume: '1000' },
  ];

  it('computes the plain mean over varieties, not products', () => {
    // (0.6 + 0.9) / 2, not (0.5 + 0.7 + 0.9) / 3 = 0.7
    expect(cutStats(products).plainMean).toBe(0.75);
  });

  it('computes the volume- and spend-weighted means by hand', () => {
    const s = cutStats(products);
    // (100 × 0.5 + 300 × 0.7 + 50 × 0.9) / 450 = 305 / 450
    expect(s.volumeWeightedMean).toBe(0.677778);
    // 1 − (100×5 + 300×3 + 50×10) / (100×10 + 300×10 + 50×100) = 1 − 1900 / 9000
    expect(s.spendWeightedMean).toBe(0.788889);
  });

  it('reports min, median, max and counts', () => {
    expect(cutStats(products)).toMatchObject({ productCount: 4, varietyCount: 3, min: 0.5, median: 0.7, max: 0.9 });
    const even = cutStats([...products, { varietyId: 4, referencePrice: '10', selectedPrice: '2' }]);
    expect(even.median).toBe(0.75); // (0.7 + 0.8) / 2
  });

  it('leaves products without volume out of the weighted means only', () => {
    const s = cutStats([
      { varietyId: 1, referencePrice: '10', selectedPrice: '5', volume: '100' },
      { varietyId: 2, referencePrice: '10', selectedPrice: '1' },
      { varietyId: 3, referencePrice: '10', selectedPrice: '1', volume: '0' },
      { varietyId: 4, referencePrice: '10', selectedPrice: '1', volume: null },
    ]);
    expect(s.plainMean).toBe(0.8);
    expect(s.volumeWeightedMean).toBe(0.5);
    expect(s.spendWeightedMean).toBe(0.5);
  });

  it('counts the products labelled synthetic', () => {
    const stats = cutStats([
      { varietyId: 1, referencePrice: '10', selectedPrice: '4', isSynthetic: true },
      { varietyId: 1, referencePrice: '10', selectedPrice: '5' },
    ]);
    expect(stats).toMatchObject({ productCount: 2, syntheticProductCount: 1 });
  });

  it('is null where there is nothing to average', () => {
    expect(cutStats([])).toEqual({
      productCount: 0,
      varietyCount: 0,
      plainMean: null,
      volumeWeightedMean: null,
      spendWeightedMean: null,
      min: null,
      median: null,
      max: null,
      syntheticProductCount: 0,
    });
    const noVolumes = cutStats([{ varietyId: 1, referencePrice: '10', selectedPrice: '4' }]);
    expect(noVolumes.plainMean).toBe(0.6);
    expect(noVolumes.volumeWeightedMean).toBeNull();
    expect(noVolumes.spendWeightedMean).toBeNull();
    const noReferences = cutStats([{ varietyId: 1, referencePrice: null, selectedPrice: '4', volume: '5' }]);
    expect(noReferences).toMatchObject({ productCount: 1, varietyCount: 1, plainMean: null, volumeWeightedMean: null, min: null });
  });

  it('gives figures that follow every field of the products asked about again (they are remembered)', () => {
    const first = cutStats(products);
    expect(cutStats(products)).toEqual(first);
    // a caller changing its copy does not change what the next caller gets
    first.plainMean = 0;
    expect(cutStats(products).plainMean).toBe(0.75);
    const changed = (i: number, change: Partial<PricedProduct>) => products.map((p, j) => (j === i ? { ...p, ...change } : p));
    expect(cutStats(changed(0, { volume: '400' })).volumeWeightedMean).toBe(0.606667); // (400×0.5 + 300×0.7 + 50×0.9) / 750
    expect(cutStats(changed(0, { selectedPrice: '6' })).min).toBe(0.4);
    expect(cutStats(changed(0, { referencePrice: '20' })).max).toBe(0.9);
    expect(cutStats(changed(0, { referencePrice: '20' })).median).toBe(0.75);
    expect(cutStats(changed(2, { varietyId: 1 })).plainMean).toBe(0.7);
    expect(cutStats(changed(1, { isSynthetic: true })).syntheticProductCount).toBe(1);
    // a product without a cut weighs nothing, whatever its volume
    expect(cutStats(changed(3, { volume: '1' }))).toEqual(cutStats(products));
  });

  it('stays exact with large volumes and 4-decimal prices', () => {
    const s = cutStats([
      { varietyId: 1, referencePrice: '12345678.1234', selectedPrice: '1234567.8123', volume: '123456789012345.678' },
    ]);
    // 1 − 1234567.8123 / 12345678.1234 = 0.9000000007290…
    expect(s.spendWeightedMean).toBe(0.9);
    expect(s.volumeWeightedMean).toBe(0.9);
  });
});

describe('cutHistogram', () => {
  it('covers [0, 1] in tenths, with a cut of exactly 1 in the last bin', () => {
    const bins = cutHistogram([0, 0.05, 0.3, 0.52, 0.99, 1]);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toEqual({ from: 0, to: 0.1, count: 2 });
    expect(bins[3]).toEqual({ from: 0.3, to: 0.4, count: 1 }); // 0.3 / 0.1 is 2.9999999999999996 in floats
    expect(bins[5]).toEqual({ from: 0.5, to: 0.6, count: 1 });
    expect(bins[9]).toEqual({ from: 0.9, to: 1, count: 2 });
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(6);
  });

  it('gives price rises (negative cuts) their own bins', () => {
    const bins = cutHistogram([-0.25, -0.1, 0.5]);
    expect(bins.slice(0, 4)).toEqual([
      { from: -0.3, to: -0.2, count: 1 },
      { from: -0.2, to: -0.1, count: 0 },
      { from: -0.1, to: 0, count: 1 },
      { from: 0, to: 0.1, count: 0 },
    ]);
    expect(bins).toHaveLength(13);
  });

  it('returns empty bins over [0, 1] without cuts, and honours the width', () => {
    expect(cutHistogram([]).every((b) => b.count === 0)).toBe(true);
    expect(cutHistogram([], 0.25).map((b) => [b.from, b.to])).toEqual([
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ]);
    // a width that does not divide 1: the top bin stops at 1
    expect(cutHistogram([1], 0.3).at(-1)).toEqual({ from: 0.9, to: 1, count: 1 });
  });

  it('rejects a width that is not positive', () => {
    expect(() => cutHistogram([0.5], 0)).toThrow(RangeError);
  });
});
