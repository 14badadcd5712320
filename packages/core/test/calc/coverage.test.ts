import { describe, expect, it } from 'vitest';
import { addDays, monthEnds } from '@vbp/contracts/dates';
import type { BatchLevel, TargetUnit } from '@vbp/contracts/enums';
import { computeCoverage, coverageSeries, dateReached, type CoverageFact } from '../../src/calc/coverage';

function fact(overrides: Partial<CoverageFact> & Pick<CoverageFact, 'batchCode' | 'varietyId'>): CoverageFact {
  return {
    level: 'national',
    categoryId: null,
    isPlaceholder: false,
    outcome: 'selected',
    startOn: '2020-01-01',
    contractEndOn: null,
    estimated: false,
    ...overrides,
  };
}

/** One fact per variety id in [first, first + count). */
function batch(
  batchCode: string,
  first: number,
  count: number,
  overrides: Partial<CoverageFact> = {},
): CoverageFact[] {
  return Array.from({ length: count }, (_, i) => fact({ batchCode, varietyId: first + i, ...overrides }));
}

describe('computeCoverage', () => {
  it('counts the 4+7 pilot and its expansion (same 25 varieties) as 25, not 50', () => {
    const facts = [
      ...batch('D1-pilot', 1, 25, { startOn: '2019-04-01', contractEndOn: '2020-03-31' }),
      ...batch('D1-expansion', 1, 25, { startOn: '2019-12-01', contractEndOn: '2020-11-30' }),
    ];
    const c = computeCoverage(facts, '2020-01-01', 'variety');
    expect(c.cumulative).toBe(25);
    expect(c.inForce).toBe(25);
    expect(c.byLevel).toEqual({ national: 25, alliance: 0, provincial: 0 });
    expect(c.batches).toEqual([
      { code: 'D1-pilot', level: 'national', startOn: '2019-04-01', estimated: false, count: 25 },
      { code: 'D1-expansion', level: 'national', startOn: '2019-12-01', estimated: false, count: 25 },
    ]);
  });

  it('reproduces the national 374: nine drug batches, the tenth not yet started', () => {
    const sizes: [string, number, string][] = [
      ['D2', 32, '2020-04-20'],
      ['D3', 55, '2020-11-01'],
      ['D4', 45, '2021-05-01'],
      ['D5', 61, '2021-10-01'],
      ['D6', 16, '2022-05-01'],
      ['D7', 60, '2022-11-01'],
      ['D8', 39, '2023-07-01'],
      ['D9', 41, '2024-03-01'],
      ['D10', 62, '2025-04-01'],
    ];
    const facts: CoverageFact[] = [
      ...batch('D1-pilot', 1, 25, { startOn: '2019-04-01', isPlaceholder: true }),
      ...batch('D1-expansion', 1, 25, { startOn: '2019-12-01', isPlaceholder: true }),
    ];
    let next = 26;
    for (const [code, size, startOn] of sizes) {
      facts.push(...batch(code, next, size, { startOn, isPlaceholder: true }));
      next += size;
    }

    const c = computeCoverage(facts, '2024-06-30', 'variety');
    expect(c.cumulative).toBe(374);
    expect(c.byLevel.national).toBe(374);
    expect(c.placeholders).toBe(374);
    expect(c.batches.map((b) => b.code)).not.toContain('D10');
    expect(c.batches).toHaveLength(10);
    // Inner Mongolia's "3 national batches, 112 drugs" (25 + 32 + 55)
    expect(computeCoverage(facts, '2021-04-30', 'variety').cumulative).toBe(112);
    expect(computeCoverage(facts, '2025-04-01', 'variety').cumulative).toBe(436);
  });

  it('does not count a variety whose tender failed (流标) in a batch', () => {
    const facts = [
      fact({ batchCode: 'P1', level: 'provincial', varietyId: 1 }),
      fact({ batchCode: 'P1', level: 'provincial', varietyId: 2, outcome: 'failed' }),
    ];
    const c = computeCoverage(facts, '2024-01-01', 'variety');
    expect(c.cumulative).toBe(1);
    expect(c.batches).toEqual([{ code: 'P1', level: 'provincial', startOn: '2020-01-01', estimated: false, count: 1 }]);
  });

  it('counts a variety that failed in one batch but was selected in another', () => {
    const facts = [
      fact({ batchCode: 'P1', level: 'provincial', varietyId: 7, outcome: 'failed', startOn: '2021-01-01' }),
      fact({ batchCode: 'A1', level: 'alliance', varietyId: 7, startOn: '2022-01-01' }),
    ];
    expect(computeCoverage(facts, '2021-06-30', 'variety').cumulative).toBe(0);
    const c = computeCoverage(facts, '2022-06-30', 'variety');
    expect(c.cumulative).toBe(1);
    // attributed to the batch that covered it, not the earlier failed one
    expect(c.byLevel).toEqual({ national: 0, alliance: 1, provincial: 0 });
  });

  it('leaves out a batch whose only varieties failed', () => {
    const c = computeCoverage([fact({ batchCode: 'X', varietyId: 1, outcome: 'failed' })], '2024-01-01', 'variety');
    expect(c).toEqual({
      cumulative: 0,
      inForce: 0,
      inForceUnknownEnd: 0,
      byLevel: { national: 0, alliance: 0, provincial: 0 },
      placeholders: 0,
      batches: [],
    });
  });

  it('counts a batch from its start date on, inclusive', () => {
    const facts = batch('D9', 1, 41, { startOn: '2024-03-01' });
    expect(computeCoverage(facts, '2024-02-29', 'variety').cumulative).toBe(0);
    expect(computeCoverage(facts, '2024-03-01', 'variety').cumulative).toBe(41);
  });

  it('keeps a renewed variety in force through the renewal, counted once', () => {
    const facts = [
      ...batch('D2', 1, 32, { startOn: '2020-04-20', contractEndOn: '2023-04-19' }),
      // the renewal continues 30 of the 32
      ...batch('D2-renewal', 1, 30, { level: 'provincial', startOn: '2023-04-20', contractEndOn: '2026-04-19' }),
    ];
    const before = computeCoverage(facts, '2023-04-19', 'variety');
    expect(before.cumulative).toBe(32);
    expect(before.inForce).toBe(32);
    const after = computeCoverage(facts, '2023-04-20', 'variety');
    expect(after.cumulative).toBe(32);
    expect(after.inForce).toBe(30);
    // still attributed to the national batch that covered them first
    expect(after.byLevel).toEqual({ national: 32, alliance: 0, provincial: 0 });
    expect(after.batches.map((b) => [b.code, b.count])).toEqual([
      ['D2', 32],
      ['D2-renewal', 30],
    ]);
  });

  it('counts an unknown contract end as running, and says how many rest on that', () => {
    const facts = [
      fact({ batchCode: 'A', varietyId: 1, startOn: '2020-01-01', contractEndOn: '2021-12-31' }),
      fact({ batchCode: 'A', varietyId: 2, startOn: '2020-01-01', contractEndOn: null }),
      fact({ batchCode: 'A', varietyId: 3, startOn: '2020-01-01', contractEndOn: '2025-12-31' }),
      // variety 3 is also in a batch with unknown end: its known running contract is enough
      fact({ batchCode: 'B', varietyId: 3, startOn: '2021-01-01', contractEndOn: null }),
    ];
    const c = computeCoverage(facts, '2022-01-01', 'variety');
    expect(c.cumulative).toBe(3);
    expect(c.inForce).toBe(2);
    expect(c.inForceUnknownEnd).toBe(1);
    // the last day of the contract still counts
    expect(computeCoverage(facts, '2021-12-31', 'variety').inForce).toBe(3);
  });

  it('attributes each variety to the level that covered it first, ties going national, alliance, provincial', () => {
    const facts = [
      // 1: provincial first, national later → provincial
      fact({ batchCode: 'P', level: 'provincial', varietyId: 1, startOn: '2019-01-01' }),
      fact({ batchCode: 'N', level: 'national', varietyId: 1, startOn: '2020-01-01' }),
      // 2: same day in all three → national
      fact({ batchCode: 'P', level: 'provincial', varietyId: 2, startOn: '2020-01-01' }),
      fact({ batchCode: 'A', level: 'alliance', varietyId: 2, startOn: '2020-01-01' }),
      fact({ batchCode: 'N', level: 'national', varietyId: 2, startOn: '2020-01-01' }),
      // 3: alliance and provincial on the same day → alliance
      fact({ batchCode: 'P', level: 'provincial', varietyId: 3, startOn: '2020-01-01' }),
      fact({ batchCode: 'A', level: 'alliance', varietyId: 3, startOn: '2020-01-01' }),
      // 4: only alliance
      fact({ batchCode: 'A', level: 'alliance', varietyId: 4, startOn: '2020-01-01' }),
    ];
    const c = computeCoverage(facts, '2024-01-01', 'variety');
    expect(c.byLevel).toEqual({ national: 1, alliance: 2, provincial: 1 });
    expect(c.byLevel.national + c.byLevel.alliance + c.byLevel.provincial).toBe(c.cumulative);
    // the batch counts are not exclusive
    expect(Object.fromEntries(c.batches.map((b) => [b.code, b.count]))).toEqual({ P: 3, A: 3, N: 2 });
    // before the national batch started, variety 1 is already provincial
    expect(computeCoverage(facts, '2019-06-30', 'variety').byLevel).toEqual({ national: 0, alliance: 0, provincial: 1 });
  });

  it('counts categories, ignoring facts without one', () => {
    const facts = [
      fact({ batchCode: 'C1', varietyId: 10, categoryId: 100 }), // 冠脉支架
      fact({ batchCode: 'C2', varietyId: 11, categoryId: 101 }), // 人工关节: 髋
      fact({ batchCode: 'C3', varietyId: 12, categoryId: 101 }), // 人工关节: 膝
      fact({ batchCode: 'C4', varietyId: 13, categoryId: null }),
      fact({ batchCode: 'C5', varietyId: 14, categoryId: 102, outcome: 'failed' }),
    ];
    const byCategory = computeCoverage(facts, '2024-01-01', 'category');
    expect(byCategory.cumulative).toBe(2);
    expect(byCategory.batches.map((b) => b.code)).toEqual(['C1', 'C2', 'C3']);
    expect(computeCoverage(facts, '2024-01-01', 'variety').cumulative).toBe(4);
  });

  it('counts placeholders only where every counting fact is a placeholder', () => {
    const facts = [
      fact({ batchCode: 'N', varietyId: 1, isPlaceholder: true }),
      fact({ batchCode: 'N', varietyId: 2, isPlaceholder: true }),
      fact({ batchCode: 'N', varietyId: 3, isPlaceholder: false }),
    ];
    expect(computeCoverage(facts, '2024-01-01', 'variety').placeholders).toBe(2);
    // a category with one real variety is not a placeholder
    const categories = [
      fact({ batchCode: 'C', varietyId: 1, categoryId: 9, isPlaceholder: true }),
      fact({ batchCode: 'C', varietyId: 2, categoryId: 9, isPlaceholder: false }),
      fact({ batchCode: 'C', varietyId: 3, categoryId: 8, isPlaceholder: true }),
    ];
    expect(computeCoverage(categories, '2024-01-01', 'category').placeholders).toBe(1);
  });

  it('sorts batches by start then code and reports whether the start was estimated', () => {
    const facts = [
      fact({ batchCode: 'B', varietyId: 1, startOn: '2021-01-01', estimated: true }),
      fact({ batchCode: 'A', varietyId: 2, startOn: '2021-01-01' }),
      fact({ batchCode: 'C', varietyId: 3, startOn: '2020-06-01' }),
    ];
    expect(computeCoverage(facts, '2024-01-01', 'variety').batches).toEqual([
      { code: 'C', level: 'national', startOn: '2020-06-01', estimated: false, count: 1 },
      { code: 'A', level: 'national', startOn: '2021-01-01', estimated: false, count: 1 },
      { code: 'B', level: 'national', startOn: '2021-01-01', estimated: true, count: 1 },
    ]);
  });

  it('is zero on an empty input', () => {
    expect(computeCoverage([], '2024-01-01', 'category').cumulative).toBe(0);
  });
});

/** A small deterministic generator (mulberry32) for the randomised comparison. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomFacts(n: number, seed: number): CoverageFact[] {
  const r = random(seed);
  const levels: BatchLevel[] = ['national', 'alliance', 'provincial'];
  const batches = Array.from({ length: 40 }, (_, i) => ({
    code: `B${i}`,
    level: levels[Math.floor(r() * 3)] as BatchLevel,
    startOn: addDays('2018-01-01', Math.floor(r() * 2500)),
  }));
  return Array.from({ length: n }, () => {
    const b = batches[Math.floor(r() * batches.length)] as (typeof batches)[number];
    const endRoll = r();
    return {
      batchCode: b.code,
      level: b.level,
      varietyId: Math.floor(r() * 600),
      categoryId: r() < 0.2 ? null : Math.floor(r() * 40),
      isPlaceholder: r() < 0.3,
      outcome: r() < 0.1 ? 'failed' : 'selected',
      startOn: b.startOn,
      // some unknown, some ending before they start (bad data), most 1–3 years
      contractEndOn: endRoll < 0.2 ? null : endRoll < 0.25 ? addDays(b.startOn, -10) : addDays(b.startOn, 365 + Math.floor(r() * 730)),
      estimated: r() < 0.5,
    } satisfies CoverageFact;
  });
}

describe('coverageSeries', () => {
  it('matches computeCoverage at every date (2,000 random facts, monthly for 10 years)', () => {
    const facts = randomFacts(2000, 42);
    const dates = monthEnds('2017-06-01', '2027-05-31');
    for (const unit of ['variety', 'category'] as TargetUnit[]) {
      const series = coverageSeries(facts, dates, unit);
      expect(series).toHaveLength(dates.length);
      for (const point of series) {
        const c = computeCoverage(facts, point.date, unit);
        expect(point).toEqual({ date: point.date, cumulative: c.cumulative, inForce: c.inForce, byLevel: c.byLevel });
      }
    }
  });

  it('returns the dates in the order given, duplicates included', () => {
    const facts = batch('N', 1, 3, { startOn: '2020-01-01', contractEndOn: '2020-12-31' });
    const series = coverageSeries(facts, ['2021-01-01', '2019-01-01', '2020-06-30', '2020-06-30'], 'variety');
    expect(series.map((p) => [p.date, p.cumulative, p.inForce])).toEqual([
      ['2021-01-01', 3, 0],
      ['2019-01-01', 0, 0],
      ['2020-06-30', 3, 3],
      ['2020-06-30', 3, 3],
    ]);
  });

  it('counts overlapping contracts of one variety once in force', () => {
    const facts = [
      fact({ batchCode: 'A', varietyId: 1, startOn: '2020-01-01', contractEndOn: '2022-12-31' }),
      fact({ batchCode: 'B', varietyId: 1, startOn: '2021-01-01', contractEndOn: '2023-12-31' }),
      fact({ batchCode: 'C', varietyId: 1, startOn: '2022-01-01', contractEndOn: null }),
    ];
    const series = coverageSeries(facts, ['2021-06-30', '2023-06-30', '2030-01-01'], 'variety');
    expect(series.map((p) => p.inForce)).toEqual([1, 1, 1]);
  });
});

describe('dateReached', () => {
  const fact = (varietyId: number, startOn: string, outcome: 'selected' | 'failed' = 'selected'): CoverageFact => ({
    batchCode: `B${startOn}`,
    level: 'national',
    varietyId,
    categoryId: varietyId % 2,
    isPlaceholder: false,
    outcome,
    startOn,
    contractEndOn: null,
    estimated: false,
  });
  const facts = [fact(1, '2020-01-01'), fact(2, '2020-03-01'), fact(1, '2019-06-01'), fact(3, '2021-01-01', 'failed'), fact(4, '2022-05-01')];

  it('gives the day the count-th distinct unit was first covered', () => {
    expect(dateReached(facts, 1, 'variety')).toBe('2019-06-01');
    expect(dateReached(facts, 2, 'variety')).toBe('2020-03-01');
    // the failed variety 3 never counts
    expect(dateReached(facts, 3, 'variety')).toBe('2022-05-01');
    expect(dateReached(facts, 4, 'variety')).toBeNull();
  });

  it('counts categories when asked, and has no date for a zero count', () => {
    expect(dateReached(facts, 2, 'category')).toBe('2020-03-01');
    expect(dateReached(facts, 0, 'variety')).toBeNull();
  });
});
