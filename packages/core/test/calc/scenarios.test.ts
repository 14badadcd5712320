import { describe, expect, it } from 'vitest';
import { addDays } from '@vbp/contracts/dates';
import { coveredIndex, matchPlannedBatches, netNewOfCount, projectionPath, projectWithSteps, type PlannedBatchSpec } from '../../src/calc/scenarios';
import { evaluateTarget, fitTrend, type SeriesPoint } from '../../src/calc/targets';

const AS_OF = '2025-06-30';
/** One variety a month for the last year: 1 on 2024-07-31 … 12 on 2025-06-30. */
const monthly: SeriesPoint[] = ['2024-07-31', '2024-08-31', '2024-09-30', '2024-10-31', '2024-11-30', '2024-12-31', '2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30'].map(
  (date, i) => ({ date, value: i + 1 }),
);

const batch = (over: Partial<PlannedBatchSpec>): PlannedBatchSpec => ({
  position: 0,
  name: 'b',
  productType: 'drug',
  implementationDate: '2026-01-01',
  varieties: null,
  varietyCount: null,
  coveredShare: null,
  ...over,
});

describe('matching planned batches', () => {
  const covered = coveredIndex([
    { id: 2, nameZh: '阿托伐他汀', key: '阿托伐他汀|口服常释剂型' },
    { id: 1, nameZh: '二甲双胍', key: '二甲双胍|口服常释剂型' },
  ]);

  it('counts names the province covers as overlap, with the matched variety, and a name planned twice once', () => {
    const [first, second] = matchPlannedBatches(
      [
        batch({ position: 0, implementationDate: '2026-06-01', varieties: ['新药甲', '阿托伐他汀钙片'] }),
        batch({ position: 1, implementationDate: '2026-01-01', varieties: ['新药甲', '新药乙', '新药乙', '盐酸二甲双胍缓释片'] }),
      ],
      (type) => (type === 'drug' ? covered : new Map()),
    );
    // the earlier batch (by implementation date) takes 新药甲
    expect(second).toMatchObject({ basis: 'list', planned: 4, netNewVarieties: 2, repeated: ['新药乙'] });
    expect(second!.overlap).toEqual([{ name: '盐酸二甲双胍缓释片', variety: { id: 1, nameZh: '二甲双胍', key: '二甲双胍|口服常释剂型' } }]);
    expect(first).toMatchObject({ netNewVarieties: 0, repeated: ['新药甲'], overlap: [{ name: '阿托伐他汀钙片', variety: { id: 2 } }] });
  });

  it('matches against the covered varieties of the batch’s own product type', () => {
    const [m] = matchPlannedBatches([batch({ productType: 'consumable', varieties: ['阿托伐他汀'] })], (type) => (type === 'drug' ? covered : new Map()));
    expect(m!.netNewVarieties).toBe(1);
  });

  it('takes round(count × (1 − share)) for a counted batch, half up, in exact decimals', () => {
    expect(netNewOfCount(15, '0.3')).toBe(11);
    expect(netNewOfCount(10, '0.3')).toBe(7);
    expect(netNewOfCount(10, null)).toBe(10);
    expect(netNewOfCount(10, '1')).toBe(0);
    expect(netNewOfCount(3, '0.5')).toBe(2);
    expect(matchPlannedBatches([batch({ varietyCount: 20, coveredShare: '0.25' })], () => new Map())[0]).toMatchObject({ basis: 'count', planned: 20, netNewVarieties: 15 });
  });
});

describe('projecting with planned steps', () => {
  const trend = fitTrend(monthly, AS_OF)!;
  const target = { count: 30, setOn: '2024-01-01', dueOn: '2026-06-30', baseline: 0 };

  it('equals the targets’ own projection without steps', () => {
    const own = evaluateTarget({ target, current: 12, series: monthly, asOf: AS_OF });
    const p = projectWithSteps({ trend, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [], metOnIfMet: null });
    expect(p).toEqual({ projectedAtDue: own.projectedAtDue, metOn: own.projectedMetOn, addedByDue: 0 });
  });

  it('adds each step from its date: the met date moves earlier, to the first day trend plus steps reach the count', () => {
    const base = projectWithSteps({ trend, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [], metOnIfMet: null });
    const steps = [{ date: '2026-01-01', add: 5 }];
    const p = projectWithSteps({ trend, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps, metOnIfMet: null });
    expect(p.addedByDue).toBe(5);
    expect(p.projectedAtDue).toBeCloseTo(base.projectedAtDue! + 5, 6);
    expect(p.metOn! < base.metOn!).toBe(true);
    // the first day that reaches it: the day before does not
    expect(trend.valueAt(p.metOn!) + 5).toBeGreaterThanOrEqual(30);
    expect(trend.valueAt(addDays(p.metOn!, -1)) + 5).toBeLessThan(30);
  });

  it('meets the target on the implementation date when the step alone gets there', () => {
    const p = projectWithSteps({ trend, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [{ date: '2025-09-01', add: 20 }], metOnIfMet: null });
    expect(p.metOn).toBe('2025-09-01');
    // a date already past counts from today
    expect(projectWithSteps({ trend, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [{ date: '2024-01-01', add: 20 }], metOnIfMet: null }).metOn).toBe(AS_OF);
  });

  it('never meets a target without a rising trend unless the steps reach it, and keeps a met target’s date', () => {
    const flat = fitTrend(monthly.map((p) => ({ ...p, value: 12 })), AS_OF);
    expect(projectWithSteps({ trend: flat, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [{ date: '2026-01-01', add: 10 }], metOnIfMet: null }).metOn).toBeNull();
    expect(projectWithSteps({ trend: flat, current: 12, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [{ date: '2026-01-01', add: 10 }, { date: '2026-03-01', add: 8 }], metOnIfMet: null }).metOn).toBe('2026-03-01');
    expect(projectWithSteps({ trend: null, current: 40, count: 30, asOf: AS_OF, dueOn: target.dueOn, steps: [], metOnIfMet: '2025-01-31' }).metOn).toBe('2025-01-31');
    // once the due date has passed nothing is projected at it
    expect(projectWithSteps({ trend, current: 12, count: 30, asOf: AS_OF, dueOn: '2025-01-01', steps: [], metOnIfMet: null }).projectedAtDue).toBeNull();
  });

  it('draws the step on its date for the chart, from today to the due date', () => {
    const path = projectionPath({ trend, current: 12, asOf: AS_OF, dueOn: target.dueOn, steps: [{ date: '2026-01-15', add: 5 }] });
    expect(path[0]).toMatchObject({ date: AS_OF, baseline: 12, scenario: 12 });
    expect(path.at(-1)!.date).toBe(target.dueOn);
    const before = path.find((p) => p.date === '2026-01-14')!;
    const on = path.find((p) => p.date === '2026-01-15')!;
    expect(before.scenario).toBe(before.baseline);
    expect(on.scenario - on.baseline).toBeCloseTo(5, 6);
    expect(path.map((p) => p.date)).toEqual([...path.map((p) => p.date)].sort());
  });

  it('runs past the due date to where it is met, and is drawn for a due date that has passed unmet', () => {
    const trend = fitTrend(monthly, AS_OF);
    // met after the due date: the lines reach the met date
    const late = projectionPath({ trend, current: 12, asOf: AS_OF, dueOn: '2025-12-31', steps: [], until: '2026-08-15' });
    expect(late.at(-1)!.date).toBe('2026-08-15');
    expect(late.some((p) => p.date === '2025-12-31')).toBe(true);
    // `until` before the due date changes nothing
    expect(projectionPath({ trend, current: 12, asOf: AS_OF, dueOn: '2025-12-31', steps: [], until: '2025-09-30' }).at(-1)!.date).toBe('2025-12-31');
    // the due date passed: drawn from today to `until`, no longer empty
    const overdue = projectionPath({ trend, current: 12, asOf: AS_OF, dueOn: '2024-12-31', steps: [{ date: '2025-09-01', add: 3 }], until: '2026-06-30' });
    expect(overdue[0]).toMatchObject({ date: AS_OF, baseline: 12, scenario: 12 });
    expect(overdue.at(-1)!.date).toBe('2026-06-30');
    expect(overdue.find((p) => p.date === '2025-09-01')!.scenario - overdue.find((p) => p.date === '2025-09-01')!.baseline).toBeCloseTo(3, 6);
    expect(projectionPath({ trend, current: 12, asOf: AS_OF, dueOn: '2024-12-31', steps: [] })).toEqual([]);
  });
});
