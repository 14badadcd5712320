import { describe, expect, it } from 'vitest';
import {
  buildCoverageChartData,
  interpolateAt,
  niceCeiling,
  summaryRows,
  type ChartTarget,
  type SeriesPoint,
} from '../src/features/overview/utils/coverage-chart-data';

function point(date: string, national: number, alliance = 0, provincial = 0): SeriesPoint {
  const cumulative = national + alliance + provincial;
  return { date, cumulative, inForce: cumulative, byLevel: { national, alliance, provincial } };
}

function target(overrides: Partial<ChartTarget> = {}): ChartTarget {
  return {
    count: 100,
    dueOn: '2025-12-31',
    dueAssumed: false,
    expectedPath: [
      { date: '2024-06-30', value: 40 },
      { date: '2025-12-31', value: 100 },
    ],
    progress: { current: 60, projectedAtDue: 90, projectedMetOn: null, status: 'at_risk' },
    ...overrides,
  };
}

describe('niceCeiling', () => {
  it('rounds up to a round axis maximum', () => {
    expect(niceCeiling(587)).toBe(600);
    expect(niceCeiling(31)).toBe(40);
    expect(niceCeiling(100)).toBe(100);
    expect(niceCeiling(101)).toBe(120);
    expect(niceCeiling(551)).toBe(600);
    expect(niceCeiling(2.1)).toBe(2.5);
  });
  it('gives a usable axis for zero', () => {
    expect(niceCeiling(0)).toBe(10);
    expect(niceCeiling(-3)).toBe(10);
  });
});

describe('interpolateAt', () => {
  const path = [
    { date: '2024-01-01', value: 0 },
    { date: '2024-01-11', value: 10 },
    { date: '2024-01-21', value: 30 },
  ];
  it('is linear between points and clamped outside', () => {
    expect(interpolateAt(path, '2024-01-06')).toBe(5);
    expect(interpolateAt(path, '2024-01-16')).toBe(20);
    expect(interpolateAt(path, '2023-12-01')).toBe(0);
    expect(interpolateAt(path, '2024-02-01')).toBe(30);
  });
  it('is null for an empty path', () => {
    expect(interpolateAt([], '2024-01-01')).toBeNull();
  });
});

describe('buildCoverageChartData', () => {
  it('makes one row per month, fills gaps with the last value and stops actuals at the as-of date', () => {
    const data = buildCoverageChartData({
      points: [point('2024-01-31', 5), point('2024-03-31', 8, 2), point('2024-04-15', 8, 2, 1)],
      target: null,
      asOf: '2024-04-15',
    });
    expect(data.rows.map((r) => r.month)).toEqual(['2023-12', '2024-01', '2024-02', '2024-03', '2024-04']);
    expect(data.rows.map((r) => r.actual)).toEqual([0, 5, 5, 10, 11]);
    // The gap month carries the split by level too.
    expect(data.rows[2]).toMatchObject({ national: 5, alliance: 0, provincial: 0 });
    expect(data.rows[4]).toMatchObject({ date: '2024-04-15', national: 8, alliance: 2, provincial: 1 });
    expect(data.latest?.actual).toBe(11);
    expect(data.hasCoverage).toBe(true);
    expect(data.target).toBeNull();
  });

  it('trims leading zero months to one zero baseline month', () => {
    const data = buildCoverageChartData({
      points: [point('2018-12-31', 0), point('2019-01-31', 0), point('2019-02-28', 0), point('2019-03-31', 25), point('2019-04-30', 25)],
      target: null,
      asOf: '2019-04-30',
    });
    expect(data.rows.map((r) => r.month)).toEqual(['2019-02', '2019-03', '2019-04']);
    expect(data.rows[0]?.actual).toBe(0);
  });

  it('adds a zero month when the series starts with coverage (the API starts at the first implementation)', () => {
    const data = buildCoverageChartData({ points: [point('2019-03-31', 25)], target: null, asOf: '2019-03-31' });
    expect(data.rows.map((r) => [r.month, r.actual])).toEqual([
      ['2019-02', 0],
      ['2019-03', 25],
    ]);
    expect(data.rows[0]).toMatchObject({ national: 0, alliance: 0, provincial: 0 });
  });

  it('ignores points after the as-of date', () => {
    const data = buildCoverageChartData({ points: [point('2024-01-31', 5), point('2024-02-29', 9)], target: null, asOf: '2024-01-31' });
    expect(data.rows.map((r) => r.actual)).toEqual([0, 5]);
  });

  it('extends to the due date with the goal line and a projection from the current count', () => {
    const data = buildCoverageChartData({
      points: [point('2024-05-31', 40), point('2024-06-30', 45), point('2024-12-31', 60)],
      target: target(),
      asOf: '2024-12-31',
    });
    const first = data.rows[0]!;
    const last = data.rows.at(-1)!;
    expect(first.month).toBe('2024-04');
    expect(last.month).toBe('2025-12');
    // Actuals stop at the as-of month; the future has no data.
    expect(data.rows.find((r) => r.month === '2024-12')?.actual).toBe(60);
    expect(data.rows.find((r) => r.month === '2025-01')?.actual).toBeNull();
    expect(data.rows.find((r) => r.month === '2025-01')?.national).toBeNull();
    // The goal line starts where the path starts and rises to the count at the due date.
    expect(data.rows.find((r) => r.month === '2024-05')?.expected).toBeNull();
    expect(data.rows.find((r) => r.month === '2024-06')?.expected).toBe(40);
    expect(last.expected).toBe(100);
    const expected = data.rows.map((r) => r.expected).filter((v): v is number => v !== null);
    expect([...expected].sort((a, b) => a - b)).toEqual(expected);
    // The projection starts at the current count in the as-of month and ends at projectedAtDue.
    expect(data.rows.find((r) => r.month === '2024-11')?.projected).toBeNull();
    expect(data.rows.find((r) => r.month === '2024-12')?.projected).toBe(60);
    expect(last.projected).toBe(90);
    const mid = data.rows.find((r) => r.month === '2025-06')!;
    expect(mid.projected).toBeGreaterThan(60);
    expect(mid.projected).toBeLessThan(90);
    expect(data.target).toEqual({ count: 100, dueOn: '2025-12-31', dueAssumed: false });
    expect(data.yMax).toBe(120);
  });

  it('reaches the target on the goal line and the projection in a due month that ends mid-month', () => {
    const data = buildCoverageChartData({
      points: [point('2024-06-30', 40), point('2024-12-31', 60)],
      target: target({ dueOn: '2025-06-15', expectedPath: [{ date: '2024-06-30', value: 40 }, { date: '2025-06-15', value: 100 }] }),
      asOf: '2024-12-31',
    });
    const due = data.rows.at(-1)!;
    expect(due.month).toBe('2025-06');
    expect(due.expected).toBe(100);
    expect(due.projected).toBe(90);
    // the goal line rises every month from the baseline (never flat, never falling)
    const expected = data.rows.map((r) => r.expected).filter((v): v is number => v !== null);
    expected.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(expected[i]!));
    // gaps between points are filled with the last value, by level too
    expect(data.rows.find((r) => r.month === '2024-09')).toMatchObject({ actual: 40, national: 40 });
  });

  it('draws no goal line for a target already met on the day it was set', () => {
    const data = buildCoverageChartData({
      points: [point('2024-06-30', 556)],
      target: target({ count: 500, expectedPath: [{ date: '2024-07-25', value: 556 }, { date: '2025-12-31', value: 500 }] }),
      asOf: '2024-12-31',
    });
    expect(data.rows.every((r) => r.expected === null)).toBe(true);
    expect(data.target?.count).toBe(500);
  });

  it('keeps the target line in view when coverage is far below it', () => {
    const data = buildCoverageChartData({ points: [point('2024-12-31', 3)], target: target({ count: 550 }), asOf: '2024-12-31' });
    expect(data.yMax).toBeGreaterThanOrEqual(550);
  });

  it('draws no projection once the due date has passed or without a projected value', () => {
    const past = buildCoverageChartData({ points: [point('2025-12-31', 80), point('2026-06-30', 85)], target: target(), asOf: '2026-06-30' });
    expect(past.rows.every((r) => r.projected === null)).toBe(true);
    expect(past.rows.at(-1)?.month).toBe('2026-06');
    // The goal line holds its count after the due date within the due month only.
    expect(past.rows.find((r) => r.month === '2025-12')?.expected).toBe(100);
    expect(past.rows.find((r) => r.month === '2026-01')?.expected).toBeNull();

    const none = buildCoverageChartData({
      points: [point('2024-12-31', 60)],
      target: target({ progress: { current: 60, projectedAtDue: null, projectedMetOn: null, status: 'behind' } }),
      asOf: '2024-12-31',
    });
    expect(none.rows.every((r) => r.projected === null)).toBe(true);
  });

  it('handles a region with no coverage: zero baseline, empty flag', () => {
    const data = buildCoverageChartData({ points: [], target: null, asOf: '2024-06-15' });
    expect(data.hasCoverage).toBe(false);
    expect(data.rows.length).toBe(13);
    expect(data.rows.every((r) => r.actual === 0)).toBe(true);
    expect(data.yMax).toBe(10);
  });

  it('reads the series at month-ends and at the as-of date in the as-of month', () => {
    const data = buildCoverageChartData({
      points: [point('2024-01-31', 5), point('2024-02-29', 6), point('2024-03-10', 7)],
      target: null,
      asOf: '2024-03-10',
    });
    expect(data.rows.map((r) => r.date)).toEqual(['2023-12-31', '2024-01-31', '2024-02-29', '2024-03-10']);
  });
});

describe('summaryRows', () => {
  it('keeps the first row, each year-end, the as-of month and the due month', () => {
    const points: SeriesPoint[] = [];
    for (const [d, n] of [
      ['2022-06-30', 10],
      ['2022-12-31', 12],
      ['2023-06-30', 20],
      ['2023-12-31', 30],
      ['2024-03-31', 40],
    ] as const) {
      points.push(point(d, n));
    }
    const data = buildCoverageChartData({ points, target: target({ expectedPath: [{ date: '2024-03-31', value: 40 }, { date: '2025-12-31', value: 100 }] }), asOf: '2024-03-31' });
    expect(summaryRows(data).map((r) => r.month)).toEqual(['2022-05', '2022-12', '2023-12', '2024-03', '2024-12', '2025-12']);
  });
});
