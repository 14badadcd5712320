import { describe, expect, it } from 'vitest';
import type { ScenarioTargetProjection, ScenarioView } from '@vbp/contracts/scenarios';
import { buildScenarioChartData, niceMax } from '../src/features/scenarios/utils/scenario-chart-data';
import { draftFromView, emptyScenario, issueAt, parseVarietyLines, validateScenarioDraft } from '../src/features/scenarios/utils/scenario-form';
import { knownSelection, readScenarioSelection, toggleScenario, writeScenarioSelection } from '../src/features/scenarios/utils/scenario-selection';

function target(over: Partial<ScenarioTargetProjection> & Pick<ScenarioTargetProjection, 'path'>): ScenarioTargetProjection {
  return {
    targetId: 7,
    code: 'T7',
    ownerRegionCode: '320000',
    scope: 'region',
    productType: 'drug',
    unit: 'variety',
    count: 20,
    dueOn: '2026-12-31',
    current: 10,
    baseline: { projectedAtDue: 14, metOn: '2028-01-01' },
    scenario: { projectedAtDue: 22, metOn: '2026-03-01', addedByDue: 8 },
    applies: true,
    ...over,
  };
}

describe('the scenario chart data', () => {
  const actual = [
    { date: '2025-04-30', cumulative: 9 },
    { date: '2025-05-31', cumulative: 10 },
    { date: '2025-06-30', cumulative: 10 },
  ];
  const one = target({
    path: [
      { date: '2025-06-30', baseline: 10, scenario: 10 },
      { date: '2025-12-31', baseline: 12, scenario: 12 },
      { date: '2026-01-01', baseline: 12, scenario: 20 },
      { date: '2026-12-31', baseline: 14, scenario: 22 },
    ],
  });
  const two = target({
    path: [
      { date: '2025-06-30', baseline: 10, scenario: 10 },
      { date: '2026-06-30', baseline: 13, scenario: 16 },
      { date: '2026-12-31', baseline: 14, scenario: 17 },
    ],
  });

  it('joins actual coverage up to today with the baseline and one line per scenario after it', () => {
    const data = buildScenarioChartData({ actual, asOf: '2025-06-30', scenarios: [{ id: 3, name: '甲', target: one }, { id: 5, name: '乙', target: two }] })!;
    expect(data.series).toEqual([{ key: 's3', id: 3, name: '甲' }, { key: 's5', id: 5, name: '乙' }]);
    expect(data.rows.map((r) => r.date)).toEqual(['2025-04-30', '2025-05-31', '2025-06-30', '2025-12-31', '2026-01-01', '2026-06-30', '2026-12-31']);
    // today carries all lines, so they join
    expect(data.rows[2]).toEqual({ date: '2025-06-30', actual: 10, baseline: 10, s3: 10, s5: 10 });
    // before today: actual only
    expect(data.rows[0]).toEqual({ date: '2025-04-30', actual: 9, baseline: null, s3: null, s5: null });
    // a date only one scenario has: the other's line is a gap there (connected across by the chart)
    expect(data.rows[4]).toEqual({ date: '2026-01-01', actual: null, baseline: 12, s3: 20, s5: null });
    expect(data.rows[6]).toMatchObject({ s3: 22, s5: 17, baseline: 14 });
    expect(data).toMatchObject({ count: 20, dueOn: '2026-12-31', yMax: 25 });
  });

  it('leaves out a scenario without the target, and draws nothing when none has it', () => {
    const data = buildScenarioChartData({ actual, asOf: '2025-06-30', scenarios: [{ id: 3, name: '甲', target: undefined }, { id: 5, name: '乙', target: two }] })!;
    expect(data.series.map((s) => s.id)).toEqual([5]);
    expect(data.rows.every((r) => !('s3' in r))).toBe(true);
    expect(buildScenarioChartData({ actual, asOf: '2025-06-30', scenarios: [{ id: 3, name: '甲', target: undefined }] })).toBeNull();
  });

  it('rounds the y axis up above the highest value and the target', () => {
    expect(niceMax(20)).toBe(25);
    expect(niceMax(48)).toBe(55);
    expect(niceMax(550)).toBe(580);
    expect(niceMax(0)).toBe(5);
  });
});

describe('the scenario selection in the URL', () => {
  it('reads one scenario or up to three compared, ignoring junk and repeats', () => {
    expect(readScenarioSelection(new URLSearchParams('scenario=3'))).toEqual([3]);
    expect(readScenarioSelection(new URLSearchParams('compare=3,5,x,3,9,11'))).toEqual([3, 5, 9]);
    expect(readScenarioSelection(new URLSearchParams('compare=&scenario=4'))).toEqual([]);
    expect(readScenarioSelection(new URLSearchParams('type=drug'))).toEqual([]);
  });

  it('writes one as scenario and more as compare, keeping the page’s other parameters', () => {
    const base = new URLSearchParams('type=drug&compare=1,2');
    expect(writeScenarioSelection(base, [3]).toString()).toBe('type=drug&scenario=3');
    expect(writeScenarioSelection(base, [3, 5]).toString()).toBe('type=drug&compare=3%2C5');
    expect(writeScenarioSelection(base, []).toString()).toBe('type=drug');
    expect(readScenarioSelection(writeScenarioSelection(base, [3, 5]))).toEqual([3, 5]);
    expect(base.toString()).toBe('type=drug&compare=1%2C2');
  });

  it('toggles a scenario, a fourth dropping the oldest, and forgets deleted ones', () => {
    expect(toggleScenario([3, 5], 5)).toEqual([3]);
    expect(toggleScenario([3, 5, 7], 9)).toEqual([5, 7, 9]);
    expect(knownSelection([3, 5], [{ id: 5 }, { id: 8 }])).toEqual([5]);
  });
});

describe('the scenario form', () => {
  it('takes a pasted column of names, one per line, blank lines dropped', () => {
    expect(parseVarietyLines(' 阿托伐他汀钙片 \r\n\n盐酸二甲双胍片\n  \n')).toEqual(['阿托伐他汀钙片', '盐酸二甲双胍片']);
  });

  it('builds the API input from a list batch and a count batch', () => {
    const draft = emptyScenario();
    draft.name = '十四五规划';
    draft.batches = [
      { ...draft.batches[0]!, name: '省级第九批', implementationDate: '2026-03-01', varietiesText: '甲药\n乙药' },
      { ...draft.batches[0]!, name: '联盟', level: 'alliance', implementationDate: '2026-06-01', mode: 'count', varietyCount: '12', coveredShare: '0.25', varietiesText: 'ignored' },
    ];
    const checked = validateScenarioDraft(draft, '320000', 'zh', '无效');
    expect(checked).toEqual({
      ok: true,
      input: {
        name: '十四五规划',
        regionCode: '320000',
        note: null,
        batches: [
          { name: '省级第九批', level: 'provincial', productType: 'drug', announcementDate: null, implementationDate: '2026-03-01', varieties: ['甲药', '乙药'], varietyCount: null, coveredShare: null },
          { name: '联盟', level: 'alliance', productType: 'drug', announcementDate: null, implementationDate: '2026-06-01', varieties: null, varietyCount: 12, coveredShare: '0.25' },
        ],
      },
    });
  });

  it('says what is missing, in the reader’s language, at the batch’s field', () => {
    const draft = emptyScenario();
    draft.name = '空';
    draft.batches[0] = { ...draft.batches[0]!, name: 'b', implementationDate: '2026-01-01', varietiesText: '  \n' };
    const zh = validateScenarioDraft(draft, '320000', 'zh', '无效');
    expect(zh.ok).toBe(false);
    if (zh.ok) return;
    expect(issueAt(zh.issues, 'batches.0.varieties')).toBe('品种清单为空');
    draft.batches[0] = { ...draft.batches[0]!, mode: 'count', varietyCount: '' };
    const en = validateScenarioDraft(draft, '320000', 'en', 'invalid');
    if (en.ok) throw new Error('expected issues');
    expect(issueAt(en.issues, 'batches.0.varieties')).toBe('give a list of variety names or a variety count');
  });

  it('turns a saved scenario back into form values', () => {
    const view: ScenarioView = {
      id: 1,
      regionCode: '320000',
      name: 'x',
      note: null,
      createdBy: 'u',
      createdAt: '',
      updatedAt: '',
      batches: [{ position: 0, name: 'b', level: 'alliance', productType: 'drug', announcementDate: null, implementationDate: '2026-01-01', varieties: null, varietyCount: 10, coveredShare: '0.300' }],
    };
    expect(draftFromView(view).batches[0]).toMatchObject({ mode: 'count', varietyCount: '10', coveredShare: '0.3', announcementDate: '' });
  });
});
