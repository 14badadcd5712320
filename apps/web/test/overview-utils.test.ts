import { describe, expect, it } from 'vitest';
import type { Coverage, Overview, PublishedFigure, TargetView } from '@vbp/contracts/api';
import { groupEndingContracts } from '../src/features/overview/utils/contracts';
import { latestPublishedCut } from '../src/features/overview/utils/published-figures';
import { formatPublishedValue } from '../src/lib/published-figure';
import { coverageFor, pickHeadlineTarget, sortTargets } from '../src/features/overview/utils/targets';

type TargetLike = Pick<TargetView, 'productType' | 'scope' | 'dueOn' | 'count' | 'progress'> & { code: string };

const progress = { asOf: '2024-12-31', current: 1, fraction: 0.1, baseline: 0, expectedNow: 1, projectedAtDue: 2, projectedMetOn: null, status: 'behind', statusReason: '', statusReasonZh: '' } as const;

function target(code: string, overrides: Partial<TargetLike> = {}): TargetLike {
  return { code, productType: 'drug', scope: 'region', dueOn: '2025-12-31', count: 500, progress, ...overrides };
}

describe('pickHeadlineTarget', () => {
  it('picks the next target still due, own targets before national ones', () => {
    const targets = [
      target('cn-350', { scope: 'each_province', dueOn: '2022-12-31', count: 350 }),
      target('cn-500', { scope: 'each_province', dueOn: '2025-12-31', count: 500 }),
      target('js-550', { scope: 'region', dueOn: '2025-12-31', count: 550 }),
      target('consumable', { productType: 'consumable', count: 30 }),
    ];
    expect(pickHeadlineTarget(targets, 'drug', '2024-12-31')?.code).toBe('js-550');
    expect(pickHeadlineTarget(targets, 'drug', '2022-06-30')?.code).toBe('cn-350');
    expect(pickHeadlineTarget(targets, 'consumable', '2024-12-31')?.code).toBe('consumable');
  });
  it('falls back to the target due last once all are past due', () => {
    const targets = [target('a', { dueOn: '2022-12-31' }), target('b', { dueOn: '2025-12-31', scope: 'each_province' })];
    expect(pickHeadlineTarget(targets, 'drug', '2026-11-22')?.code).toBe('b');
  });
  it('prefers measured targets and uses unmeasured ones only when nothing else exists', () => {
    const targets = [target('nation', { scope: 'each_province', progress: null, dueOn: '2025-12-31' }), target('own', { dueOn: '2030-12-31' })];
    expect(pickHeadlineTarget(targets, 'drug', '2024-01-01')?.code).toBe('own');
    expect(pickHeadlineTarget([targets[0]!], 'drug', '2024-01-01')?.code).toBe('nation');
  });
  it('is null without a target of that type', () => {
    expect(pickHeadlineTarget([target('d')], 'consumable', '2024-01-01')).toBeNull();
  });
});

describe('sortTargets', () => {
  it('lists drugs first, then by due date, own targets first', () => {
    const sorted = sortTargets([
      target('c', { productType: 'consumable', dueOn: '2020-01-01' }),
      target('late', { dueOn: '2030-01-01' }),
      target('national', { scope: 'each_province' }),
      target('own'),
    ]);
    expect(sorted.map((t) => t.code)).toEqual(['own', 'national', 'late', 'c']);
  });
});

function coverage(overrides: Partial<Coverage> = {}): Coverage {
  return {
    region: '110000',
    type: 'drug',
    unit: 'variety',
    date: '2024-07-25',
    cumulative: 0,
    inForce: 0,
    inForceUnknownEnd: 0,
    byLevel: { national: 0, alliance: 0, provincial: 0 },
    placeholders: 0,
    batches: [],
    ...overrides,
  };
}

const cutStats = { productCount: 10, varietyCount: 5, plainMean: 0.523, volumeWeightedMean: null, spendWeightedMean: null, min: 0.1, median: 0.5, max: 0.9, syntheticProductCount: 0 };

function overviewAt(date: string): Pick<Overview, 'date' | 'coverage' | 'cuts'> {
  const batch = (code: string, level: 'national' | 'alliance' | 'provincial') => ({ code, level, startOn: '2020-01-01', estimated: false, count: 1 });
  return {
    date,
    coverage: {
      drug: coverage({ cumulative: 556, batches: [batch('D1', 'national'), batch('D2', 'national'), batch('BJ1', 'provincial')] }),
      consumableVarieties: coverage({ type: 'consumable', cumulative: 20, batches: [batch('C1', 'national')] }),
      consumableCategories: coverage({ type: 'consumable', unit: 'category', cumulative: 13 }),
    },
    cuts: { drug: cutStats, consumable: { ...cutStats, plainMean: null } },
  };
}

function figure(overrides: Partial<PublishedFigure>): PublishedFigure {
  return {
    code: 'f',
    regionCode: '110000',
    batchCode: null,
    metric: 'drug_varieties_cumulative',
    productType: 'drug',
    comparator: 'eq',
    value: '556',
    unit: 'variety',
    asOf: '2024-07-25',
    source: { documentCode: 'doc', titleZh: '报告', issuer: null, issuedOn: null, url: null, clause: '一(四)2' },
    sourceUrl: null,
    note: null,
    ...overrides,
  };
}

describe('formatPublishedValue', () => {
  it('states values as the documents do', () => {
    expect(formatPublishedValue(figure({}), 'zh')).toBe('556个品种');
    expect(formatPublishedValue(figure({ comparator: 'gt', value: '0.5', unit: 'fraction' }), 'zh')).toBe('超过50%');
    expect(formatPublishedValue(figure({ comparator: 'gt', value: '0.7000', unit: 'fraction' }), 'en')).toBe('more than 70%');
    expect(formatPublishedValue(figure({ value: '0.727', unit: 'fraction' }), 'zh')).toBe('72.7%');
    expect(formatPublishedValue(figure({ comparator: 'gte', value: '500', unit: 'variety' }), 'zh')).toBe('500个品种以上');
    expect(formatPublishedValue(figure({ value: '13', unit: 'category' }), 'en')).toBe('13 categories');
    expect(formatPublishedValue(figure({ value: '9', unit: 'batch' }), 'zh')).toBe('9批');
    expect(formatPublishedValue(figure({ value: '3', unit: 'rounds' }), 'en')).toBe('3 rounds');
  });
});

describe('latestPublishedCut', () => {
  const figures = [
    figure({ code: 'old', metric: 'avg_cut', value: '0.4', unit: 'fraction', asOf: '2020-12-31' }),
    figure({ code: 'new', metric: 'avg_cut', value: '0.5', unit: 'fraction', asOf: '2024-07-25' }),
    figure({ code: 'batch', metric: 'avg_cut', batchCode: 'X', asOf: '2025-01-01' }),
    figure({ code: 'count', asOf: null }),
  ];
  it('takes the latest region-wide cut of the type', () => {
    expect(latestPublishedCut(figures, '110000', 'drug')?.code).toBe('new');
    expect(latestPublishedCut(figures, '110000', 'consumable')).toBeNull();
    expect(latestPublishedCut(figures, '320000', 'drug')).toBeNull();
  });
});

describe('coverageFor', () => {
  it('reads the coverage in the target unit', () => {
    const o = overviewAt('2024-07-25');
    expect(coverageFor(o, 'drug', 'variety').cumulative).toBe(556);
    expect(coverageFor(o, 'consumable', 'variety').cumulative).toBe(20);
    expect(coverageFor(o, 'consumable', 'category').cumulative).toBe(13);
  });
});

describe('groupEndingContracts', () => {
  it('groups regions of one batch, soonest first, with renewals', () => {
    const rows = [
      { batchCode: 'D5', batchNameZh: '第五批', regionCode: '110000', contractEndOn: '2025-03-01', daysLeft: 60, renewedBy: 'D5-R' },
      { batchCode: 'D5', batchNameZh: '第五批', regionCode: '320000', contractEndOn: '2025-02-01', daysLeft: 31, renewedBy: null },
      { batchCode: 'D4', batchNameZh: '第四批', regionCode: '320000', contractEndOn: '2025-04-01', daysLeft: 91, renewedBy: null },
      { batchCode: 'D5', batchNameZh: '第五批', regionCode: '310000', contractEndOn: '2025-03-01', daysLeft: 60, renewedBy: 'D5-R' },
    ];
    expect(groupEndingContracts(rows)).toEqual([
      { batchCode: 'D5', batchNameZh: '第五批', contractEndOn: '2025-02-01', daysLeft: 31, regionCount: 3, renewedCount: 2, renewedBy: ['D5-R'] },
      { batchCode: 'D4', batchNameZh: '第四批', contractEndOn: '2025-04-01', daysLeft: 91, regionCount: 1, renewedCount: 0, renewedBy: [] },
    ]);
    expect(groupEndingContracts([])).toEqual([]);
  });
});

