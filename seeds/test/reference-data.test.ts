/** The reference data files and the rules that read them, without a database. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/reference/csv';
import { hashReferenceFiles, readReferenceFiles, REFERENCE_FILES, type ReferenceFiles } from '../src/reference/files';
import { buildReferencePlan, percentToFraction } from '../src/reference/plan';
import type { ReferencePlan } from '../src/reference/types';

describe('parseCsv (RFC 4180)', () => {
  const fields = (text: string) => parseCsv(text).map((r) => r.fields);

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(fields('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
  });

  it('drops a byte-order mark, skips blank lines and reads a last line without a break', () => {
    expect(fields('\uFEFFa,b\n\n1,""')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('reports the line a record starts on', () => {
    expect(parseCsv('a\n"1\n2"\n3\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('refuses malformed quoting instead of guessing', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/line 1: a quoted field opened here is not closed/);
    expect(() => parseCsv('a\nx"y\n')).toThrow(/line 2: a double quote inside an unquoted field/);
    expect(() => parseCsv('"a"b\n')).toThrow(/line 1: text after a closing quote/);
  });
});

describe('percentToFraction', () => {
  it('moves the decimal point exactly', () => {
    expect(['52', '42.3', '50.77', '6', '100', '0.5'].map(percentToFraction)).toEqual(['0.52', '0.423', '0.5077', '0.06', '1.00', '0.005']);
  });
});

describe('the reference plan', () => {
  let files: ReferenceFiles;
  let plan: ReferencePlan;
  beforeAll(async () => {
    files = await readReferenceFiles();
    plan = buildReferencePlan(files);
  });
  const edit = (name: keyof ReferenceFiles, from: string, to: string): ReferenceFiles => {
    expect(files[name]).toContain(from);
    return { ...files, [name]: files[name].replace(from, to) };
  };

  it('commits no machine paths', () => {
    for (const name of REFERENCE_FILES) {
      expect(files[name], name).not.toMatch(/(^|[\s,"])(\/(work|home|tmp|root|Users)\/|[A-Za-z]:\\)/m);
    }
  });

  it('hashes the files and the loader version', () => {
    expect(hashReferenceFiles(files)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashReferenceFiles(edit('targets.csv', '550', '551'))).not.toBe(hashReferenceFiles(files));
  });

  it('derives the 4-month lag from the batches that publish both dates', () => {
    expect(plan.announcementLag.months).toBe(4);
    expect(plan.announcementLag.sample.map((s) => s.batchCode)).toEqual(['D2', 'D4', 'D6-insulin', 'D7', 'D9', 'D11', 'C1', 'C2']);
  });

  it('sums the national drug batches to 374 and Beijing’s provincial ones to 182', () => {
    const count = (codes: string[]) =>
      codes.reduce((n, code) => n + (plan.placeholders.get(code)?.length ?? plan.batchVarieties.filter((l) => l.batchCode === code).length), 0);
    expect(count(['D1-pilot', 'D2', 'D3', 'D4', 'D5', 'D6-insulin', 'D7', 'D8', 'D9'])).toBe(374);
    expect(count(['BJ-D-P1', 'BJ-D-P2', 'BJ-D-P3', 'BJ-D-P4', 'BJ-D-P5', 'BJ-D-P6'])).toBe(182);
  });

  it('names placeholders after their batch and marks them', () => {
    const d6 = plan.placeholders.get('D6-insulin')!;
    expect(d6).toHaveLength(16);
    expect(d6[0]).toMatchObject({ key: 'D6-insulin#01', nameZh: '第六批（胰岛素专项） 品种01（名单未载入）', drugClass: 'biological', isPlaceholder: true });
    expect(plan.placeholders.get('SD-TCMgranule-2021')!.at(-1)).toMatchObject({ key: 'SD-TCMgranule-2021#200', drugClass: 'tcm' });
    expect(plan.placeholders.get('C6')!.map((v) => v.categoryCode)).toEqual([...Array(6).fill('drug_coated_balloon'), ...Array(6).fill('urology_interventional')]);
    expect(plan.placeholders.get('C5')!.map((v) => v.categoryCode)).toEqual(['cochlear_implant', 'peripheral_vascular_stent']);
    expect(plan.placeholders.has('HB-TCM-2021')).toBe(false);
    expect(plan.batches.filter((b) => b.varietyPolicy === 'placeholders').map((b) => b.code).sort()).toEqual([...plan.placeholders.keys()].sort());
  });

  it('places the 4+7 pilot, its expansion and the alliance batches only where sources put them', () => {
    const regionsOf = (code: string) => plan.implementations.filter((i) => i.batchCode === code).map((i) => i.regionCode).sort();
    expect(regionsOf('D1-pilot')).toEqual(['110000', '120000', '130000', '210000', '310000', '350000', '440000', '500000', '510000', '610000']);
    expect(regionsOf('D1-expansion')).toHaveLength(26);
    expect(regionsOf('D1-expansion')).toContain('660000');
    expect(regionsOf('D1-expansion')).not.toContain('130000');
    expect(regionsOf('D2')).toHaveLength(32);
    expect(regionsOf('D2')).not.toContain('100000');
    expect(regionsOf('HB-TCM-2021')).toEqual(['420000']);
    expect(regionsOf('GD-2021-12-usknife')).toEqual(['440000']);
    expect(regionsOf('TCM-national-1')).toEqual([]);
    expect(regionsOf('BJ-C-P10')).toEqual(['110000']);
    expect(plan.implementations.every((i) => i.source.startsWith('seed:reference'))).toBe(true);
    expect(plan.implementations.find((i) => i.batchCode === 'C6')).toMatchObject({ startOn: '2026-05-01', contractEndOn: '2029-04-30', estimated: true });
    expect(plan.implementations.find((i) => i.batchCode === 'HB-TCM-2021')).toMatchObject({ startOn: '2022-05-01', estimated: true });
  });

  it('writes the texts users see in Chinese (English only in *_en columns and the verbatim vbp_batches.csv)', () => {
    const english = /\b(the|of|and|not|is|by|as|from|only|our|per|see)\b/i;
    const texts: [string, string | null][] = [
      ...plan.documents.map((d) => [`document ${d.code}`, d.note] as [string, string | null]),
      ...plan.categories.map((c) => [`category ${c.code}`, c.note] as [string, string | null]),
      ...plan.alliances.map((a) => [`alliance ${a.code}`, a.note] as [string, string | null]),
      ...plan.allianceMembers.map((m) => [`member ${m.allianceCode} ${m.regionCode}`, m.source] as [string, string | null]),
      ...plan.batches.flatMap((b) => [
        [`batch ${b.code} note`, b.note],
        [`batch ${b.code} cut note`, b.publishedCutNote],
      ] as [string, string | null][]),
      ...plan.varieties.map((v) => [`variety ${v.key}`, v.note] as [string, string | null]),
      ...[...plan.placeholders.values()].flat().map((v) => [`placeholder ${v.key}`, v.note] as [string, string | null]),
      ...plan.implementations.map((i) => [`implementation ${i.batchCode} ${i.regionCode}`, i.note] as [string, string | null]),
      ...plan.targets.flatMap((t) => [
        [`target ${t.code} clause`, t.clause],
        [`target ${t.code} due note`, t.dueNote],
        [`target ${t.code} note`, t.note],
      ] as [string, string | null][]),
      ...plan.figures.map((f) => [`figure ${f.code}`, f.note] as [string, string | null]),
    ];
    for (const [what, text] of texts) {
      if (text === null) continue;
      expect(text, what).toMatch(/\p{Script=Han}/u);
      expect(text, what).not.toMatch(english);
    }
    const rule = plan.implementations.find((i) => i.batchCode === 'D3' && i.regionCode === '320000')!;
    expect(rule.note).toBe(
      '实施日期为推定：按公布日期（2020-08-20）所在月份后推4个月，取当月1日；4个月为公布日期与实施日期均已公布的8个批次从公布到实施间隔的中位数' +
        '（D2 3个月、D4 3个月、D6-insulin 6个月、D7 4个月、D9 4个月、D11 4个月、C1 2个月、C2 7个月）。',
    );
    expect(plan.targets.find((t) => t.code === 'CN-14FYP-drug-varieties-500')!.clause).toBe('主要指标（规划原文未收入本项目资料）');
  });

  it('explains why the national 374 of 2023-11-25 is reached only when the 9th batch is implemented', () => {
    const d9 = plan.batches.find((b) => b.code === 'D9')!;
    expect(d9).toMatchObject({ implementedOn: '2024-03-01', implementedPrecision: 'month' });
    const note = plan.figures.find((f) => f.code === 'CN-2023-11-25-drug-varieties')!.note!;
    expect(note).toContain('2024-03-01');
    expect(note).toContain('2023-11');
  });

  describe('names the file, row, column and value of a bad row', () => {
    it.each([
      ['regions.csv', ',Shanxi,province,4', ',Shanxi,state,4', /regions\.csv, row 6, column kind: must be one of .* \(value "state"\)/],
      ['vbp_batches.csv', ',2020-08-20,,,55,191,53,', ',2020-08-32,,,55,191,53,', /vbp_batches\.csv, row 5, column announced_on: .*"2020-08-32"/],
      ['varieties.csv', 'D1-pilot;D1-expansion', 'D1-pilot;D1-expanse', /varieties\.csv, row 2, column batch_codes: unknown batch code \(value "D1-expanse"\)/],
      ['placeholders.csv', 'D3,55,', 'D3,54,', /placeholders\.csv, row 3, column count: .*add up to 54.*\(value "54"\)/],
      ['documents.csv', ',policy/004_72c7c74315446376.txt,', ',/srv/shared/policy/004.txt,', /documents\.csv, row 6, column local_file: .*"\/srv\/shared\/policy\/004.txt"/],
      ['implementations.csv', 'C4-IOL,110000,override', 'C4-IOL,100000,override', /implementations\.csv, row 5, column region_codes: .*nation.*"100000"/],
      ['published-figures.csv', ',0.383,fraction,', ',38.3,fraction,', /published-figures\.csv, row 10, column value: .*"38.3"/],
    ] as const)('%s', (name, from, to, message) => {
      expect(() => buildReferencePlan(edit(name, from, to))).toThrow(message);
    });

    it('and a batch of the public CSV without an annotation', () => {
      expect(() => buildReferencePlan(edit('batch-annotations.csv', '\nD5,', '\nD5x,'))).toThrow(/vbp_batches\.csv, row 7, column batch_code: has no row in batch-annotations\.csv \(value "D5"\)/);
    });
  });
});
