import { describe, expect, it } from 'vitest';
import type { ProvinceVolumes } from '@vbp/contracts/api';
import type { ExecutionRow } from '@vbp/contracts/execution';
import { allocationFlag, buildProvinceCheck, completionAgainstOfficial } from '../src/features/execution/utils/province-check';
import { commonUnit, formatVolume, sumDecimals, unitLabel } from '../src/lib/province-volumes';

type ProvinceVolumeAllocation = ProvinceVolumes['allocation'][number];

function execRow(varietyId: number | string, purchased: string, timeProgress = 0.5): ExecutionRow {
  return {
    key: String(varietyId),
    name: `品种${varietyId}`,
    detail: null,
    regionCode: null,
    institutionId: null,
    level: null,
    purchased,
    agreed: '0',
    expected: '0',
    completion: null,
    timeProgress,
    behind: false,
    nonSelectedShare: null,
    items: 1,
  };
}

const alloc = (varietyId: number, quantity: string, allocated: string, ratio: number | null, purchased = '0'): ProvinceVolumeAllocation => ({
  varietyId,
  variety: `品种${varietyId}`,
  quantity,
  allocated,
  ratio,
  purchased,
  completion: Number(quantity) > 0 ? Number(purchased) / Number(quantity) : null,
});

describe('province volumes: formatting', () => {
  it('formats a volume in 万 / 亿 with its unit, and in minimum units when none is stated', () => {
    expect(formatVolume('125000', '片', 'zh')).toBe('12.5万片');
    expect(formatVolume('3000', '支', 'zh')).toBe('3,000支');
    expect(formatVolume('250000000', '袋', 'zh')).toBe('2.5亿袋');
    expect(formatVolume('125000', null, 'zh')).toBe('12.5万 最小制剂单位');
    expect(formatVolume('125000', '片', 'en')).toBe('125,000 tablets');
    expect(formatVolume('1250000', null, 'en')).toBe('1.25M minimum units');
    expect(formatVolume('12', '贴剂', 'en')).toBe('12 贴剂');
    expect(formatVolume('x', '片', 'zh')).toBe('—');
  });

  it('names units in the reader’s language', () => {
    expect(unitLabel('粒', 'zh')).toBe('粒');
    expect(unitLabel('粒', 'en')).toBe('capsules');
    expect(unitLabel(' ', 'zh')).toBe('最小制剂单位');
  });

  it('gives a total the items’ unit only when they all share it', () => {
    expect(commonUnit([{ unit: '片' }, { unit: '片' }])).toBe('片');
    expect(commonUnit([{ unit: '片' }, { unit: '支' }])).toBeNull();
    expect(commonUnit([{ unit: '片' }, { unit: null }])).toBeNull();
    expect(commonUnit([])).toBeNull();
  });

  it('sums decimal strings exactly', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['125000', '30001', '0.0001'])).toBe('155001.0001');
    expect(sumDecimals(['9007199254740993', '1'])).toBe('9007199254740994');
    expect(sumDecimals(['5', '-7.5'])).toBe('-2.5');
    expect(sumDecimals(['0.05'])).toBe('0.05');
    expect(sumDecimals([])).toBe('0');
    expect(sumDecimals(['abc', '2'])).toBe('2');
  });
});

describe('province volumes: the allocation check', () => {
  it('flags under below 99% and over above 101%, the bounds themselves added up', () => {
    expect(allocationFlag(1)).toBe('ok');
    expect(allocationFlag(0.99)).toBe('ok');
    expect(allocationFlag(1.01)).toBe('ok');
    expect(allocationFlag(0.9899)).toBe('under');
    expect(allocationFlag(0)).toBe('under');
    expect(allocationFlag(1.0101)).toBe('over');
    expect(allocationFlag(null)).toBe('none');
    expect(allocationFlag(0.95, 0.05)).toBe('ok');
  });

  it('measures completion against the province’s official volume', () => {
    expect(completionAgainstOfficial('50', '200')).toBe(0.25);
    expect(completionAgainstOfficial('250', '200')).toBe(1.25);
    expect(completionAgainstOfficial(null, '200')).toBeNull();
    expect(completionAgainstOfficial('5', null)).toBeNull();
    expect(completionAgainstOfficial('5', '0')).toBeNull();
  });

  it('joins the allocation with the execution rows by variety, lists unlisted varieties last, and totals exactly', () => {
    const check = buildProvinceCheck(
      [alloc(1, '1000', '1000', 1, '250'), alloc(2, '2000.5', '1000', 0.4999, '500.5'), alloc(3, '500', '600', 1.2), alloc(4, '0', '10', null)],
      // the rollup's purchases (every contract year in force) are not the year's: only time progress is taken
      [execRow(2, '900', 0.4), execRow(1, '300'), execRow(9, '70')],
    );
    expect(check.rows.map((r) => [r.varietyId, r.flag])).toEqual([
      [1, 'ok'],
      [2, 'under'],
      [3, 'over'],
      [4, 'none'],
      [9, 'missing'],
    ]);
    expect(check.rows[0]).toMatchObject({ official: '1000', purchased: '250', completion: 0.25, timeProgress: 0.5 });
    expect(check.rows[1]).toMatchObject({ purchased: '500.5', completion: 500.5 / 2000.5, timeProgress: 0.4 });
    // nothing bought in the year: 0%, and no time progress without a rollup row
    expect(check.rows[2]).toMatchObject({ purchased: '0', completion: 0, timeProgress: null });
    expect(check.rows[4]).toMatchObject({ official: null, allocated: null, purchased: '70', completion: null });
    expect(check.official).toBe('3500.5');
    expect(check.allocated).toBe('2610');
    // the unlisted variety's purchases do not count against the official total
    expect(check.purchased).toBe('750.5');
    expect(check.completion).toBeCloseTo(750.5 / 3500.5, 12);
    expect(check.ratio).toBeCloseTo(2610 / 3500.5, 12);
    expect(check.flag).toBe('under');
    expect(check.counts).toEqual({ ok: 1, under: 1, over: 1, none: 1, missing: 1 });
  });

  it('says 0% when nothing was bought in the year, and nothing at all without official volumes', () => {
    const idle = buildProvinceCheck([alloc(1, '100', '100', 1)], []);
    expect(idle.completion).toBe(0);
    expect(idle.flag).toBe('ok');
    const empty = buildProvinceCheck([], [execRow(1, '5')]);
    expect(empty.official).toBe('0');
    expect(empty.ratio).toBeNull();
    expect(empty.flag).toBe('none');
    expect(empty.completion).toBeNull();
    expect(empty.rows).toHaveLength(1);
  });
});
