import { describe, expect, it } from 'vitest';
import {
  cellToText,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseInteger,
  parseMonth,
  parseRegionList,
  parseText,
  splitGenericAndForm,
} from '../src/cells';
import { numberToDecimal } from '../src/decimal';
import { excelSerialToIso } from '../src/excel-dates';

const value = <T>(r: { value: T } | object) => ('value' in r ? r.value : r);
const code = (r: object) => ('issue' in r ? (r as { issue: { code: string } }).issue.code : 'no issue');

describe('decimal cells', () => {
  it('keeps numbers as decimal strings', () => {
    expect(value(parseDecimal('1,234.50'))).toBe('1234.50');
    expect(value(parseDecimal('１，２３４．５'))).toBe('1234.5');
    expect(value(parseDecimal('1.2万'))).toBe('12000');
    expect(value(parseDecimal('3万元'))).toBe('30000');
    expect(value(parseDecimal('0.35亿'))).toBe('35000000');
    expect(value(parseDecimal('52%', { percent: true }))).toBe('0.52');
    expect(value(parseDecimal('５２％', { percent: true }))).toBe('0.52');
    expect(value(parseDecimal('0.5%', { percent: true }))).toBe('0.005');
    expect(value(parseDecimal(' 12.5 元 '))).toBe('12.5');
    expect(value(parseDecimal('￥8.80'))).toBe('8.80');
    expect(value(parseDecimal('-3'))).toBe('-3');
    expect(value(parseDecimal('007'))).toBe('7');
    expect(value(parseDecimal('.5'))).toBe('0.5');
    expect(value(parseDecimal('1.23457E+11'))).toBe('123457000000');
    expect(value(parseDecimal(12.34))).toBe('12.34');
    expect(value(parseDecimal(0.1 + 0.2))).toBe('0.3');
    expect(value(parseDecimal(1e-7))).toBe('0.0000001');
  });

  it('treats the column’s markers as empty and reports other text', () => {
    expect(parseDecimal('流标', { emptyMarkers: ['流标', '-'] })).toEqual({ empty: true, marker: '流标' });
    expect(parseDecimal(' - ', { emptyMarkers: ['流标', '-'] })).toEqual({ empty: true, marker: '-' });
    expect(code(parseDecimal('-'))).toBe('NOT_A_NUMBER');
    expect(code(parseDecimal('约5元'))).toBe('NOT_A_NUMBER');
    expect(code(parseDecimal('1,23'))).toBe('BAD_THOUSANDS_SEPARATOR');
    expect(code(parseDecimal('52%'))).toBe('UNEXPECTED_PERCENT');
    expect(code(parseDecimal('1'.repeat(20)))).toBe('NUMBER_OUT_OF_RANGE');
    expect(code(parseDecimal({ formula: 'A1*2' }))).toBe('FORMULA_WITHOUT_RESULT');
    expect(code(parseDecimal({ error: '#DIV/0!' }))).toBe('CELL_ERROR_VALUE');
    expect(parseDecimal('')).toEqual({ empty: true });
    expect(parseDecimal(null)).toEqual({ empty: true });
  });

  it('writes doubles as Excel shows them', () => {
    expect(numberToDecimal(-0)).toBe('0');
    expect(numberToDecimal(1234.5)).toBe('1234.5');
    expect(numberToDecimal(-0.5)).toBe('-0.5');
    expect(numberToDecimal(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimal(Number.NaN)).toBeNull();
  });
});

describe('integers', () => {
  it('reads whole numbers and contract-year spellings', () => {
    expect(value(parseInteger('3'))).toBe('3');
    expect(value(parseInteger(2.0))).toBe('2');
    expect(value(parseInteger('第二年'))).toBe('2');
    expect(value(parseInteger('第1年'))).toBe('1');
    expect(value(parseInteger('2024年度'))).toBe('2024');
    expect(code(parseInteger('2.5'))).toBe('NOT_AN_INTEGER');
  });
});

describe('dates', () => {
  it('reads the ways tables write dates', () => {
    for (const text of ['2024-03-01', '2024/3/1', '2024.3.1', '2024年3月1日', '20240301', '2024-03-01 00:00:00', '２０２４年３月１日', '45352']) {
      expect(value(parseDate(text)), text).toBe('2024-03-01');
    }
    expect(value(parseDate(45352))).toBe('2024-03-01');
    expect(value(parseDate(45352.75))).toBe('2024-03-01');
    expect(value(parseDate(new Date(Date.UTC(2024, 2, 1))))).toBe('2024-03-01');
    expect(value(parseDate(43890, { date1904: true }))).toBe('2024-03-01');
  });

  it('handles the 1900 leap-year bug', () => {
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(60)).toBe('phantom');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(code(parseDate(60))).toBe('EXCEL_PHANTOM_DATE');
  });

  it('reports what is not a date', () => {
    for (const text of ['2024-02-30', '2024-13-01', '3/1/2024', '明年', '-']) expect(code(parseDate(text)), text).toBe('NOT_A_DATE');
    expect(code(parseDate(true))).toBe('NOT_A_DATE');
  });
});

describe('months', () => {
  it('reads months as their first day', () => {
    for (const input of ['2024-03', '2024/3', '2024年3月', '2024年03月份', '202403', '2024-03-15', '2024年3月31日', 202403, 45352]) {
      expect(value(parseMonth(input)), String(input)).toBe('2024-03-01');
    }
    expect(value(parseMonth(new Date(Date.UTC(2024, 2, 31))))).toBe('2024-03-01');
    expect(code(parseMonth('2024-13'))).toBe('NOT_A_MONTH');
    expect(code(parseMonth('三月'))).toBe('NOT_A_MONTH');
  });
});

describe('booleans', () => {
  it('reads yes/no in their many forms', () => {
    for (const t of ['是', 'Y', 'yes', '中选', '√', '拟中选', true, 1]) expect(value(parseBoolean(t as string)), String(t)).toBe(true);
    for (const t of ['否', 'N', '未中选', '×', '流标', false, 0]) expect(value(parseBoolean(t as string)), String(t)).toBe(false);
    expect(parseBoolean('')).toEqual({ empty: true });
    expect(code(parseBoolean('也许'))).toBe('NOT_A_BOOLEAN');
  });
});

describe('regions', () => {
  it('splits lists and maps name variants to GB/T 2260 codes', () => {
    expect(value(parseRegionList('北京、天津，河北省;内蒙古自治区；广西壮族自治区 新疆（含兵团）'))).toEqual([
      '110000', '120000', '130000', '150000', '450000', '650000', '660000',
    ]);
    expect(value(parseRegionList('兵团'))).toEqual(['660000']);
    expect(value(parseRegionList('京津冀、沪苏浙皖'))).toEqual(['110000', '120000', '130000', '310000', '320000', '330000', '340000']);
    expect(value(parseRegionList('新疆生产建设兵团,新疆维吾尔自治区'))).toEqual(['660000', '650000']);
    expect(value(parseRegionList('北京市（含在京中央单位）'))).toEqual(['110000']);
    expect((value(parseRegionList('全国')) as string[]).length).toBe(32);
    // spaces separate names (北京 天津) or break one (湖 北, as text copied from a PDF does): both are read
    expect(value(parseRegionList('北京 天津 河北'))).toEqual(['110000', '120000', '130000']);
    expect(parseRegionList('北京 天津')).not.toHaveProperty('joined');
    expect(parseRegionList('湖 北')).toEqual({ value: ['420000'], joined: '湖北' });
    expect(parseRegionList('云 南')).toEqual({ value: ['530000'], joined: '云南' });
    expect(parseRegionList('新疆\n（含兵团）')).toEqual({ value: ['650000', '660000'], joined: '新疆、兵团' });
    expect(value(parseRegionList('湖 北 湖 南、广\n西'))).toEqual(['420000', '430000', '450000']);
    expect(value(parseRegionList('内 蒙 古 黑龙江'))).toEqual(['150000', '230000']);
    expect(code(parseRegionList('湖 北 火 星'))).toBe('UNKNOWN_REGION');
    const unknown = parseRegionList('北京、火星');
    expect(code(unknown)).toBe('UNKNOWN_REGION');
    expect('issue' in unknown && unknown.issue.zh).toContain('火星');
  });
});

describe('text', () => {
  it('unifies brackets in names, spaces in codes', () => {
    expect(value(parseText('齐鲁制药(海南)有限公司', 'name'))).toBe('齐鲁制药（海南）有限公司');
    expect(value(parseText(' 齐鲁制药 （海南） 有限公司\n', 'name'))).toBe('齐鲁制药（海南）有限公司');
    // names broken by a PDF copy are joined between Chinese characters (and say so); Latin words keep their spaces
    expect(parseText('阿托伐他汀\n钙片', 'name')).toEqual({ value: '阿托伐他汀钙片', joined: '阿托伐他汀钙片' });
    expect(parseText('口服常释 剂型', 'name')).toEqual({ value: '口服常释剂型', joined: '口服常释剂型' });
    expect(parseText('浙江华海药业 股份有限公司', 'name')).toEqual({ value: '浙江华海药业股份有限公司', joined: '浙江华海药业股份有限公司' });
    expect(parseText('Bayer Pharma AG', 'name')).toEqual({ value: 'Bayer Pharma AG' });
    expect(value(parseText('阿托伐他汀\u200b钙片', 'name'))).toBe('阿托伐他汀钙片');
    expect(value(parseText('XC10\u200bAAA', 'code'))).toBe('XC10AAA');
    expect(value(parseText('阿斯利康 AB', 'name'))).toBe('阿斯利康 AB');
    expect(parseText('阿托伐他汀 钙片')).toEqual({ value: '阿托伐他汀 钙片' }); // plain text (a spec, a note) is left as written
    expect(value(parseText('ＸＣ１０ ＡＡＡ', 'code'))).toBe('XC10AAA');
    expect(value(parseText(12345678901, 'code'))).toBe('12345678901');
    expect(code(parseText(1.2345678901234567e20, 'code'))).toBe('CODE_PRECISION_LOST');
    expect(code(parseText('1.23457E+17', 'code'))).toBe('CODE_SCIENTIFIC_NOTATION');
    expect(value(parseText('20mg×7片'))).toBe('20mg×7片');
    expect(cellToText(new Date(Date.UTC(2024, 2, 1)))).toBe('2024-03-01');
  });

  it('splits a generic name from its dosage form', () => {
    expect(splitGenericAndForm('阿托伐他汀钙片口服常释剂型')).toEqual({ generic: '阿托伐他汀钙片', form: '口服常释剂型' });
    expect(splitGenericAndForm('阿托伐他汀钙片（口服常释剂型）')).toEqual({ generic: '阿托伐他汀钙片', form: '口服常释剂型' });
    expect(splitGenericAndForm('注射用头孢曲松钠 注射剂')).toEqual({ generic: '注射用头孢曲松钠', form: '注射剂' });
    expect(splitGenericAndForm('硝苯地平缓释控释剂型')).toEqual({ generic: '硝苯地平', form: '缓释控释剂型' });
    expect(splitGenericAndForm('芬太尼透皮贴剂贴剂')).toEqual({ generic: '芬太尼透皮贴剂', form: '贴剂' });
    expect(splitGenericAndForm('芬太尼透皮贴剂')).toEqual({ generic: '芬太尼透皮贴剂', form: null });
    expect(splitGenericAndForm('噻托溴铵吸入粉雾剂')).toEqual({ generic: '噻托溴铵吸入粉雾剂', form: null });
    expect(splitGenericAndForm('阿托伐他汀钙片口服常释剂型', '口服常释剂型')).toEqual({ generic: '阿托伐他汀钙片', form: '口服常释剂型' });
    expect(splitGenericAndForm('阿托伐他汀钙片', '口服常释剂型')).toEqual({ generic: '阿托伐他汀钙片', form: '口服常释剂型' });
    expect(splitGenericAndForm('注射剂')).toEqual({ generic: '注射剂', form: null });
  });
});
