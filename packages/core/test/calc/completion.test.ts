import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WARNING_THRESHOLD,
  completionRate,
  isBehind,
  rollUpCompletion,
  rollUpWithTotal,
  timeProgress,
  type CompletionRow,
} from '../../src/calc/completion';
import { daysBetween } from '@vbp/contracts/dates';
import { Dec, toFraction, toPlain } from '../../src/calc/decimal';

describe('timeProgress', () => {
  it('counts whole days inclusive of the date, in a leap year', () => {
    expect(timeProgress('2024-01-01', '2024-12-31', '2024-01-01')).toBe(0.002732); // 1 / 366
    expect(timeProgress('2024-01-01', '2024-12-31', '2024-02-29')).toBe(0.163934); // 60 / 366
    expect(timeProgress('2024-01-01', '2024-12-31', '2024-07-01')).toBe(0.5); // 183 / 366
  });

  it('handles a contract year across a leap day', () => {
    // 2023-05-01 … 2024-04-30 has 366 days (it holds 2024-02-29)
    expect(timeProgress('2023-05-01', '2024-04-30', '2023-10-30')).toBe(0.5); // 183 / 366
    // 2022-05-01 … 2023-04-30 has 365
    expect(timeProgress('2022-05-01', '2023-04-30', '2022-10-30')).toBe(0.501370); // 183 / 365
  });

  it('is 0 before the start and 1 on and after the end', () => {
    expect(timeProgress('2024-01-01', '2024-12-31', '2023-12-31')).toBe(0);
    expect(timeProgress('2024-01-01', '2024-12-31', '2024-12-31')).toBe(1);
    expect(timeProgress('2024-01-01', '2024-12-31', '2026-01-01')).toBe(1);
  });
});

describe('completionRate and isBehind', () => {
  it('is purchased / agreed, null when nothing was agreed', () => {
    expect(completionRate('300', '1000')).toBe(0.3);
    expect(completionRate('1200.5', '1000')).toBe(1.2005);
    expect(completionRate('0.3', '0.9')).toBe(0.333333);
    expect(completionRate('5', '0')).toBeNull();
    expect(completionRate('5', '-1')).toBeNull();
  });

  it('warns below time progress × threshold (default 0.8)', () => {
    expect(DEFAULT_WARNING_THRESHOLD).toBe(0.8);
    expect(isBehind(0.39, 0.5)).toBe(true);
    expect(isBehind(0.4, 0.5)).toBe(false); // exactly at 0.5 × 0.8
    expect(isBehind(0.45, 0.5, 0.95)).toBe(true);
    expect(isBehind(null, 0.9)).toBe(false);
    expect(isBehind(0, 0)).toBe(false); // before the period
  });
});

describe('rollUpCompletion', () => {
  const date = '2024-07-01';
  // a hospital with two varieties whose contract years differ
  const rows: CompletionRow[] = [
    // calendar year 2024: 183 / 366 = 0.5 elapsed → expected 500
    { key: 'H1', purchased: '450', agreed: '1000', periodStart: '2024-01-01', periodEnd: '2024-12-31' },
    // started 2024-05-01: 62 / 365 elapsed → expected 3000 × 62 / 365 = 509.589…
    { key: 'H1', purchased: '100', agreed: '3000', periodStart: '2024-05-01', periodEnd: '2025-04-30' },
    // another hospital, not started yet
    { key: 'H0', purchased: '0', agreed: '200', periodStart: '2024-09-01', periodEnd: '2025-08-31' },
    // a third with nothing agreed
    { key: 'H2', purchased: '10', agreed: '0', periodStart: '2024-01-01', periodEnd: '2024-12-31' },
  ];

  it('groups by key, sorted, with agreed-weighted time progress', () => {
    const out = rollUpCompletion(rows, date);
    expect(out.map((r) => r.key)).toEqual(['H0', 'H1', 'H2']);
    const h1 = out[1];
    expect(h1).toEqual({
      key: 'H1',
      purchased: '550',
      agreed: '4000',
      expected: '1009.589',
      completion: 0.1375,
      timeProgress: 0.252397, // 1009.589… / 4000, not the plain mean (0.5 + 0.1699) / 2
      behind: true, // 550 < 1009.589 × 0.8
      rows: 2,
    });
  });

  it('is not behind before the period starts, nor without agreed volumes', () => {
    const [h0, , h2] = rollUpCompletion(rows, date);
    expect(h0).toMatchObject({ expected: '0.000', completion: 0, timeProgress: 0, behind: false });
    expect(h2).toMatchObject({ agreed: '0', completion: null, timeProgress: 0.5, behind: false });
  });

  it('applies the threshold', () => {
    const h1 = (t: number) => rollUpCompletion(rows, date, t).find((r) => r.key === 'H1');
    expect(h1(0.5)?.behind).toBe(false); // 550 ≥ 504.79
    expect(h1(0.6)?.behind).toBe(true); // 550 < 605.75
  });

  it('sums decimals exactly', () => {
    const out = rollUpCompletion(
      [
        { key: 'X', purchased: '0.1', agreed: '0.1', periodStart: '2024-01-01', periodEnd: '2024-12-31' },
        { key: 'X', purchased: '0.2', agreed: '0.2', periodStart: '2024-01-01', periodEnd: '2024-12-31' },
      ],
      '2025-01-01',
    );
    expect(out[0]).toMatchObject({ purchased: '0.3', agreed: '0.3', expected: '0.300', completion: 1, timeProgress: 1 });
  });

  it('is empty for no rows', () => {
    expect(rollUpCompletion([], date)).toEqual([]);
  });
});

describe('rollUpWithTotal', () => {
  const quantity = fc.integer({ min: 0, max: 10_000_000_000 }).map((n) => (n / 1000).toFixed(3));
  const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => new Date(Date.UTC(2023, 0, 1 + n)).toISOString().slice(0, 10) as CompletionRow['periodStart']);
  const row = fc.record({ key: fc.constantFrom('A', 'B', 'C', 'D'), purchased: quantity, agreed: fc.oneof(quantity, fc.constant('0')), periodStart: day, periodEnd: day });

  it('gives the rows of rollUpCompletion, and as total what rolling every row up under one key gives', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), day, fc.double({ min: 0.5, max: 1, noNaN: true }), (rows, date, threshold) => {
        const { items, total } = rollUpWithTotal(rows, date, threshold);
        expect(items).toEqual(rollUpCompletion(rows, date, threshold));
        const [all] = rollUpCompletion(rows.map((r) => ({ ...r, key: 'all' })), date, threshold);
        expect(total).toEqual(all ?? null);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The rollup as it was written with decimal.js (40 significant digits): the oracle the exact integer rollup
 * must agree with on every figure.
 */
function decimalRollUp(rows: readonly CompletionRow[], date: string, threshold: number) {
  const groups = new Map<string, { purchased: Dec; agreed: Dec; expected: Dec; progressSum: Dec; rows: number }>();
  for (const row of rows) {
    const start = row.periodStart;
    const total = daysBetween(start, row.periodEnd) + 1;
    const elapsed = daysBetween(start, date) + 1;
    const progress = date < start ? new Dec(0) : total <= 0 || elapsed >= total ? new Dec(1) : new Dec(elapsed).div(total);
    const g = groups.get(row.key) ?? { purchased: new Dec(0), agreed: new Dec(0), expected: new Dec(0), progressSum: new Dec(0), rows: 0 };
    groups.set(row.key, g);
    g.purchased = g.purchased.plus(row.purchased);
    g.agreed = g.agreed.plus(row.agreed);
    g.expected = g.expected.plus(new Dec(row.agreed).times(progress));
    g.progressSum = g.progressSum.plus(progress);
    g.rows += 1;
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({
      key,
      purchased: toPlain(g.purchased),
      agreed: toPlain(g.agreed),
      expected: toPlain(g.expected, 3),
      completion: g.agreed.gt(0) ? toFraction(g.purchased.div(g.agreed)) : null,
      timeProgress: toFraction(g.agreed.gt(0) ? g.expected.div(g.agreed) : g.progressSum.div(g.rows)),
      behind: g.purchased.lt(g.expected.times(threshold)),
      rows: g.rows,
    }));
}

describe('the exact rollup', () => {
  const quantity = fc.tuple(fc.integer({ min: -1_000_000, max: 10_000_000_000 }), fc.integer({ min: 0, max: 3 })).map(([n, places]) => (n / 1000).toFixed(places));
  const plain = fc.oneof(fc.integer({ min: 0, max: 10_000_000_000 }).map((n) => (n / 1000).toFixed(3)), fc.integer({ min: 0, max: 100_000 }).map(String), quantity);
  const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => new Date(Date.UTC(2023, 0, 1 + n)).toISOString().slice(0, 10));
  const row = fc.record({ key: fc.constantFrom('A', 'B', 'C'), purchased: plain, agreed: fc.oneof(plain, fc.constant('0')), periodStart: day, periodEnd: day });

  it('gives exactly what decimal.js gave, figure by figure', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), day, fc.constantFrom(0.8, 0.95, 0.5, 1, 0.333, 0.87654321), (rows, date, threshold) => {
        expect(rollUpCompletion(rows, date, threshold)).toEqual(decimalRollUp(rows, date, threshold));
      }),
      { numRuns: 500 },
    );
  });

  it('rounds half up, away from zero, as decimal.js does', () => {
    const [x] = rollUpCompletion([{ key: 'X', purchased: '1', agreed: '128', periodStart: '2024-01-01', periodEnd: '2024-12-31' }], '2025-01-01');
    expect(x!.completion).toBe(0.007813); // 0.0078125
  });
});
