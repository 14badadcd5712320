import { describe, expect, it } from 'vitest';
import { addDays, monthEnds } from '@vbp/contracts/dates';
import { leastSquares } from '../../src/calc/linear';
import {
  evaluateTarget,
  expectedAt,
  expectedPath,
  fitTrend,
  type SeriesPoint,
  type TargetSpec,
} from '../../src/calc/targets';

// 江苏: ≥ 550 drug varieties; a 2024-10-28 notice, due (assumed) at the end of 2025
const jiangsu: TargetSpec = { count: 550, setOn: '2024-10-28', dueOn: '2025-12-31', baseline: 480 };

/** Month-end points on a straight line: value = start + perMonth × months since the first. */
function linearSeries(from: string, to: string, start: number, perMonth: number): SeriesPoint[] {
  return monthEnds(from, to).map((date, i) => ({ date, value: start + perMonth * i }));
}

describe('leastSquares', () => {
  it('fits a line exactly and refuses a vertical one', () => {
    expect(leastSquares([{ x: 0, y: 1 }, { x: 2, y: 5 }, { x: 4, y: 9 }])).toEqual({ slope: 2, intercept: 1 });
    expect(leastSquares([{ x: 3, y: 1 }, { x: 3, y: 5 }])).toBeNull();
    expect(leastSquares([{ x: 3, y: 1 }])).toBeNull();
  });

  it('fits the least-squares line through scattered points', () => {
    // x 0..3, y 1, 3, 2, 4: slope = 5/5 · ... = 0.8, intercept = 2.5 − 0.8 × 1.5 = 1.3
    const line = leastSquares([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: 4 }]);
    expect(line?.slope).toBeCloseTo(0.8, 12);
    expect(line?.intercept).toBeCloseTo(1.3, 12);
  });
});

describe('expectedAt / expectedPath', () => {
  const t: TargetSpec = { count: 500, setOn: '2021-01-01', dueOn: '2021-12-31', baseline: 135 };

  it('is the baseline before the target was set and the count from the due date on', () => {
    expect(expectedAt(t, '2020-06-30')).toBe(135);
    expect(expectedAt(t, '2021-01-01')).toBe(135);
    expect(expectedAt(t, '2021-12-31')).toBe(500);
    expect(expectedAt(t, '2030-01-01')).toBe(500);
  });

  it('rises on a straight line between', () => {
    // 2021-01-01 → 2021-12-31 is 364 days; 2021-07-02 is day 182, halfway
    expect(expectedAt(t, '2021-07-02')).toBe(317.5);
    expect(expectedAt({ ...t, baseline: 0 }, '2021-07-02')).toBe(250);
  });

  it('rises from a zero baseline', () => {
    const zero: TargetSpec = { count: 5, setOn: '2021-01-01', dueOn: '2025-12-31', baseline: 0 };
    const path = expectedPath(zero);
    expect(path[0]).toEqual({ date: '2021-01-01', value: 0 });
    expect(path.at(-1)).toEqual({ date: '2025-12-31', value: 5 });
    expect(path.every((p, i) => i === 0 || p.value > (path[i - 1] as SeriesPoint).value)).toBe(true);
  });

  it('is setOn, each month-end between and dueOn, rising, never flat', () => {
    const path = expectedPath(jiangsu);
    expect(path[0]).toEqual({ date: '2024-10-28', value: 480 });
    expect(path[1]?.date).toBe('2024-10-31');
    expect(path.at(-2)?.date).toBe('2025-11-30');
    expect(path.at(-1)).toEqual({ date: '2025-12-31', value: 550 });
    expect(path).toHaveLength(1 + 14 + 1); // 2024-10-31 … 2025-11-30 between
    for (let i = 1; i < path.length; i += 1) {
      expect((path[i] as SeriesPoint).value).toBeGreaterThan((path[i - 1] as SeriesPoint).value);
      expect((path[i] as SeriesPoint).date > (path[i - 1] as SeriesPoint).date).toBe(true);
    }
  });

  it('does not repeat setOn when it is a month-end', () => {
    const path = expectedPath({ count: 12, setOn: '2024-01-31', dueOn: '2024-04-30', baseline: 0 });
    expect(path.map((p) => p.date)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
  });

  it('is a single point for a target due when set', () => {
    const same = { count: 350, setOn: '2022-12-31', dueOn: '2022-12-31', baseline: 300 };
    expect(expectedPath(same)).toEqual([{ date: '2022-12-31', value: 350 }]);
    expect(expectedAt(same, '2022-12-30')).toBe(300);
  });
});

describe('fitTrend', () => {
  it('fits the points in the last 24 months, not earlier ones or later ones', () => {
    const series = [
      ...linearSeries('2015-01-31', '2019-12-31', 0, 100), // wild early points, outside the window
      ...linearSeries('2020-01-31', '2024-06-30', 100, 2),
      { date: '2024-12-31', value: 10_000 }, // after asOf
    ];
    const trend = fitTrend(series, '2024-06-30');
    expect(trend).not.toBeNull();
    expect(trend?.points).toBe(24);
    expect(trend?.from).toBe('2022-07-31');
    expect(trend?.to).toBe('2024-06-30');
    // 2 per month ≈ 2 / 30.4 per day
    expect((trend?.slopePerDay ?? 0) * 365.25).toBeCloseTo(24, 0);
    expect(trend?.valueAt('2024-06-30')).toBeCloseTo(100 + 2 * 53, 0);
  });

  it('honours the window length', () => {
    const series = linearSeries('2020-01-31', '2024-06-30', 0, 1);
    expect(fitTrend(series, '2024-06-30', 6)?.points).toBe(6); // 2024-01-31 … 2024-06-30, not 2023-12-31
    expect(fitTrend(series, '2024-06-30', 6)?.from).toBe('2024-01-31');
    expect(fitTrend(series, '2024-06-15', 6)?.from).toBe('2023-12-31'); // (2023-12-15, 2024-06-15]
  });

  it('is null with fewer than two points or all on one date', () => {
    expect(fitTrend([], '2024-06-30')).toBeNull();
    expect(fitTrend([{ date: '2024-06-30', value: 5 }], '2024-06-30')).toBeNull();
    expect(
      fitTrend(
        [
          { date: '2024-06-30', value: 5 },
          { date: '2024-06-30', value: 7 },
        ],
        '2024-06-30',
      ),
    ).toBeNull();
  });

  it('has slope 0 on a flat series', () => {
    const trend = fitTrend(linearSeries('2023-01-31', '2024-06-30', 300, 0), '2024-06-30');
    expect(trend?.slopePerDay).toBe(0);
    expect(trend?.valueAt('2030-01-01')).toBe(300);
  });
});

describe('evaluateTarget', () => {
  const asOf = '2024-06-30';

  it('met: current ≥ count, dated by the first series point that reached it', () => {
    const series = linearSeries('2022-01-31', asOf, 330, 2); // reaches 350 at month 10 (2022-11-30)
    const e = evaluateTarget({
      target: { count: 350, setOn: '2022-01-10', dueOn: '2022-12-31', baseline: 234 },
      current: 374,
      series,
      asOf,
    });
    expect(e.status).toBe('met');
    expect(e.projectedMetOn).toBe('2022-11-30');
    expect(e.fraction).toBe(1.068571);
    expect(e.projectedAtDue).toBeNull(); // due date passed
    expect(e.statusReason).toContain('374');
    expect(e.statusReason).toContain('350');
    expect(e.statusReasonZh).toContain('已完成');
  });

  it('met without a series point that shows it: dated asOf', () => {
    const e = evaluateTarget({ target: jiangsu, current: 556, series: [], asOf });
    expect(e.status).toBe('met');
    expect(e.projectedMetOn).toBe(asOf);
    expect(e.projectedAtDue).toBe(556);
  });

  it('met for a zero target (fraction 1, no division by zero)', () => {
    const e = evaluateTarget({ target: { count: 0, setOn: '2024-01-01', dueOn: '2025-12-31', baseline: 0 }, current: 0, series: [], asOf });
    expect(e.status).toBe('met');
    expect(e.fraction).toBe(1);
  });

  it('behind: the due date has passed without meeting it', () => {
    const e = evaluateTarget({
      target: { count: 350, setOn: '2022-01-10', dueOn: '2022-12-31', baseline: 234 },
      current: 340,
      series: linearSeries('2022-01-31', '2023-03-31', 300, 3),
      asOf: '2023-03-31',
    });
    expect(e.status).toBe('behind');
    expect(e.projectedAtDue).toBeNull();
    expect(e.statusReason).toContain('2022-12-31');
    expect(e.statusReasonZh).toContain('截止日期 2022-12-31 已过');
    // the trend still says when it would be met
    expect(e.projectedMetOn).not.toBeNull();
  });

  it('on_track: the trend reaches the count by the due date', () => {
    // 5 a month, 500 at asOf; 18 months to the due date → ≈ 590
    const e = evaluateTarget({
      target: { count: 550, setOn: '2024-01-01', dueOn: '2025-12-31', baseline: 470 },
      current: 500,
      series: linearSeries('2022-07-31', asOf, 385, 5),
      asOf,
    });
    expect(e.status).toBe('on_track');
    expect(e.projectedAtDue).toBeGreaterThan(585);
    expect(e.projectedAtDue).toBeLessThan(595);
    // 50 more at 5 a month: about 10 months after asOf
    expect(e.projectedMetOn! > '2025-04-15' && e.projectedMetOn! < '2025-05-15').toBe(true);
    expect(e.statusReason).toMatch(/^On track/);
    expect(e.statusReasonZh).toMatch(/^进度正常/);
  });

  it('at_risk: the projection reaches 90% of the count but not all of it', () => {
    // 1 a month, 480 now, 18 months left → ≈ 498 of 530 (94%)
    const e = evaluateTarget({
      target: { count: 530, setOn: '2024-06-30', dueOn: '2025-12-31', baseline: 480 },
      current: 480,
      series: linearSeries('2022-07-31', asOf, 457, 1),
      asOf,
    });
    expect(e.status).toBe('at_risk');
    expect(e.projectedAtDue! / 530).toBeGreaterThan(0.9);
    expect(e.statusReason).toContain('90.0%');
    expect(e.statusReasonZh).toMatch(/^有风险/);
  });

  it('at_risk: on the goal line today although the projection is short', () => {
    // nothing new for two years (flat), but the target was only just set: current = expected now
    const e = evaluateTarget({
      target: { count: 500, setOn: '2024-06-01', dueOn: '2025-12-31', baseline: 300 },
      current: 300,
      series: linearSeries('2022-07-31', asOf, 300, 0),
      asOf: '2024-06-01',
    });
    expect(e.expectedNow).toBe(300);
    expect(e.projectedAtDue).toBe(300);
    expect(e.status).toBe('at_risk');
    expect(e.statusReason).toContain('on schedule');
    expect(e.statusReasonZh).toContain('符合序时进度');
  });

  it('behind: below the goal line and projected under 90%', () => {
    const e = evaluateTarget({
      target: { count: 500, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 300 },
      current: 320,
      series: linearSeries('2022-07-31', asOf, 300, 1),
      asOf,
    });
    expect(e.expectedNow).toBeGreaterThan(380);
    expect(e.projectedAtDue! / 500).toBeLessThan(0.9);
    expect(e.status).toBe('behind');
    expect(e.statusReason).toMatch(/^Behind/);
    expect(e.statusReasonZh).toMatch(/^落后/);
  });

  it('a flat series projects the current value and no date it would be met', () => {
    const e = evaluateTarget({
      target: { count: 500, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 300 },
      current: 300,
      series: linearSeries('2022-07-31', asOf, 300, 0),
      asOf,
    });
    expect(e.projectedAtDue).toBe(300);
    expect(e.projectedMetOn).toBeNull();
    expect(e.status).toBe('behind');
    expect(e.statusReason).toContain('(flat)');
    expect(e.statusReasonZh).toContain('持平');
  });

  it('without enough points for a trend the projection is the current value', () => {
    const e = evaluateTarget({
      target: { count: 500, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 0 },
      current: 460,
      series: [{ date: asOf, value: 460 }],
      asOf,
    });
    expect(e.projectedAtDue).toBe(460);
    expect(e.projectedMetOn).toBeNull();
    expect(e.status).toBe('at_risk'); // 460 ≥ 0.9 × 500
    expect(e.statusReason).toContain('no trend');
  });

  it('never projects below the current value (coverage does not fall)', () => {
    // a falling series (e.g. corrected data) still projects at least the current value
    const e = evaluateTarget({
      target: { count: 500, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 0 },
      current: 470,
      series: linearSeries('2022-07-31', asOf, 500, -1),
      asOf,
    });
    expect(e.projectedAtDue).toBe(470);
    expect(e.projectedMetOn).toBeNull();
  });

  it('projects the met date from the current value at the trend’s pace, never today', () => {
    // the trend line already passed the count, the current value has not (a late correction): 10 short at
    // 10 a month is about a month away, not today
    const series = linearSeries('2022-07-31', '2024-05-31', 400, 10);
    const e = evaluateTarget({
      target: { count: 600, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 0 },
      current: 590,
      series: [...series, { date: asOf, value: 590 }],
      asOf,
    });
    expect(e.projectedMetOn! > addDays(asOf, 20)).toBe(true);
    expect(e.projectedMetOn! < addDays(asOf, 45)).toBe(true);
    // the count at the due date too: today's 590 carried forward at the trend's pace, not the fitted line's level
    const trend = fitTrend([...series, { date: asOf, value: 590 }], asOf)!;
    expect(trend.valueAt(asOf)).toBeGreaterThan(590);
    expect(e.projectedAtDue).toBeCloseTo(590 + trend.valueAt('2025-12-31') - trend.valueAt(asOf), 4);
    // one short at a pace of 10 a month: still not today
    const close = evaluateTarget({ target: { count: 600, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 0 }, current: 599.99, series: [...series, { date: asOf, value: 599.99 }], asOf });
    expect(close.projectedMetOn).toBe(addDays(asOf, 1));
  });

  it('uses a custom at-risk ratio', () => {
    const input = {
      target: { count: 500, setOn: '2023-01-01', dueOn: '2025-12-31', baseline: 400 },
      current: 420,
      series: [] as SeriesPoint[],
      asOf,
    };
    expect(evaluateTarget(input).status).toBe('behind'); // 420 < 450 and below the goal line
    expect(evaluateTarget({ ...input, atRiskRatio: 0.8 }).status).toBe('at_risk');
  });
});
