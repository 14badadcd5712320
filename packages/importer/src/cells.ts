/**
 * Cell parsers: one raw cell (a CSV string, or what an XLSX cell holds: number, Date, boolean, string) to a
 * typed value, "empty", or a problem. They know nothing of rows or headers; parse.ts adds those.
 * Numbers stay decimal strings; dates are ISO (YYYY-MM-DD); months are the first day of the month.
 */
import { isIsoDate } from '@vbp/contracts/dates';
import { DATE_MAX, DATE_MIN, textProblem } from '@vbp/contracts/inputs';
import { DECIMAL_PATTERN, integerDigits, numberToDecimal, readDecimalText, scaleDecimal } from './decimal';
import { excelSerialToIso, readDateText, readMonthText } from './excel-dates';
import type { CellProblem } from './issues';
import { collapseSpace, joinChineseBreaks, toHalfWidth } from './normalize';
import { parseRegions, provinceByCode } from './regions';

export { splitGenericAndForm } from './dosage-forms';

/** A formula cell whose file holds no cached result (the importer never evaluates formulas). */
export interface FormulaWithoutResult {
  formula: string;
}
/** An Excel error value (#N/A, #DIV/0! …). */
export interface CellErrorValue {
  error: string;
}
export type RawCell = string | number | boolean | Date | null | undefined | FormulaWithoutResult | CellErrorValue;

/**
 * `joined`: the value was read only after removing whitespace that broke a name (text copied from a PDF:
 * 湖 北, 阿托伐他汀\n钙片); the report says how such cells were read, with what they held.
 */
export type CellResult<T> = { value: T; joined?: string } | { empty: true; marker?: string } | { issue: CellProblem };

export interface CellOptions {
  /** Text that means "no value" here (流标, -, /), compared half-width and case-insensitively. */
  emptyMarkers?: readonly string[];
  /** decimal: a percentage is expected (52% → 0.52; a plain number is taken as the fraction). */
  percent?: boolean;
  /**
   * decimal: powers of ten a plain number is multiplied by, from the unit in the header: 4 for
   * "金额（万元）", −2 for "降幅（%）". Numbers written with their own 万 or % are not scaled again.
   */
  scale?: number;
  /** date/month: the workbook counts serials from 1904 (old Mac Excel). */
  date1904?: boolean;
}

const EMPTY: { empty: true } = { empty: true };
const problem = (code: string, en: string, zh: string): { issue: CellProblem } => ({ issue: { code, en, zh } });

export const NOT_A_NUMBER = problem('NOT_A_NUMBER', 'is not a valid number', '不是有效数字');

/** The text of any raw cell, as the clerk would read it (for messages and text columns). */
export function cellToText(raw: RawCell): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return numberToDecimal(raw) ?? String(raw);
  if (typeof raw === 'boolean') return raw ? 'TRUE' : 'FALSE';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : raw.toISOString().slice(0, 10);
  if ('formula' in raw) return `=${raw.formula}`;
  return raw.error;
}

/** Problems every parser shares: formulas without a result and Excel error values. */
function special(raw: object): { issue: CellProblem } | null {
  if (raw instanceof Date) return null;
  if ('formula' in raw) {
    return problem(
      'FORMULA_WITHOUT_RESULT',
      'is a formula without a usable saved result (none was saved, or it is an error such as #DIV/0!); formulas are not calculated here: fix it in Excel, save and upload again',
      '是没有可用计算结果的公式（未保存结果，或结果为 #DIV/0! 等错误；系统不计算公式）：请在 Excel 中修正并保存后重新上传',
    );
  }
  return problem('CELL_ERROR_VALUE', 'is an Excel error value', '是 Excel 错误值');
}

function isMarker(text: string, markers: readonly string[] | undefined): boolean {
  if (!markers) return false;
  const t = toHalfWidth(text).trim().toLowerCase();
  return markers.some((m) => toHalfWidth(m).toLowerCase() === t);
}

/** Decimal text without spaces, half-width (１，２３４．５ → 1,234.5). */
function compactNumberText(text: string): string {
  return toHalfWidth(text).replace(/[\s\u00a0]+/gu, '');
}

/** Already canonical and within the size caps (the common case, answered without further work). */
const CANONICAL = /^(?:0|-?[1-9]\d{0,14})(?:\.\d{1,23})?$/;
const MAX_INTEGER_DIGITS = 15;
const MAX_DECIMAL_LENGTH = 40;

export function parseDecimal(raw: RawCell, options: CellOptions = {}): CellResult<string> {
  const scale = options.scale ?? 0;
  if (typeof raw === 'string') {
    if (scale === 0 && CANONICAL.test(raw)) return { value: raw };
    const text = raw.trim();
    if (text === '') return EMPTY;
    if (isMarker(text, options.emptyMarkers)) return { empty: true, marker: text };
    const read = readDecimalText(compactNumberText(text));
    if (!read.ok) {
      return read.reason === 'bad-grouping' ? problem('BAD_THOUSANDS_SEPARATOR', 'has misplaced thousands separators', '的千位分隔符位置不对') : NOT_A_NUMBER;
    }
    if (read.percent && !options.percent) {
      return problem('UNEXPECTED_PERCENT', 'is a percentage, but this column takes a plain number', '是百分数，但该列应填写数值');
    }
    return checkSize(read.scaled ? read.value : scaleDecimal(read.value, scale));
  }
  if (typeof raw === 'number') {
    const value = numberToDecimal(raw);
    return value === null ? NOT_A_NUMBER : checkSize(scaleDecimal(value, scale));
  }
  if (raw === null || raw === undefined) return EMPTY;
  if (typeof raw === 'boolean') return NOT_A_NUMBER;
  return special(raw) ?? NOT_A_NUMBER;
}

/** The scale a decimal column's header states: （万元）, （万）, 万元 at the end → 4; （%） on a percent column → −2. */
export function headerScale(header: string, percent: boolean): number {
  const h = toHalfWidth(header).replace(/\s+/gu, '');
  if (/\(万[^()/]{0,3}(?:\/万[^()/]{0,3})*\)|万元$|万元\/|\(亿[^()]{0,3}\)|亿元$/u.test(h)) return /亿/u.test(h) && !/万/u.test(h) ? 8 : 4;
  if (percent && /\(%\)|%$/u.test(h)) return -2;
  return 0;
}

function tooLarge(): { issue: CellProblem } {
  return problem('NUMBER_OUT_OF_RANGE', 'is too large or too long a number', '数值过大或位数过多');
}

function checkSize(value: string): CellResult<string> {
  return integerDigits(value) > MAX_INTEGER_DIGITS || value.length > MAX_DECIMAL_LENGTH ? tooLarge() : { value };
}

const CHINESE_DIGITS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 十: '10' };

/** Whole numbers, as decimal strings: 3, "3.0", "第3年", "第三年", "2024年", "2024年度". */
export function parseInteger(raw: RawCell, options: CellOptions = {}): CellResult<string> {
  let input = raw;
  if (typeof raw === 'string') {
    const m = /^\s*第?\s*([一二三四五六七八九十]|\d+)\s*(?:年度|年|期)?\s*$/u.exec(toHalfWidth(raw));
    if (m && (m[0].includes('第') || m[0].includes('年') || m[0].includes('期'))) input = CHINESE_DIGITS[m[1]!] ?? m[1]!;
  }
  const result = parseDecimal(input, options);
  if (!('value' in result)) return result;
  const [whole, fraction = ''] = result.value.split('.');
  if (/[1-9]/u.test(fraction) || result.value.includes('e')) return problem('NOT_AN_INTEGER', 'is not a whole number', '不是整数');
  return { value: whole === '-0' ? '0' : whole! };
}

const NOT_A_DATE = problem('NOT_A_DATE', 'is not a valid date (write it as 2024-03-01)', '不是有效日期（应写作 2024-03-01）');
const PHANTOM_DAY = problem(
  'EXCEL_PHANTOM_DATE',
  'is 1900-02-29, a day that does not exist (an old Excel quirk)',
  '是 1900-02-29，这一天并不存在（Excel 的历史遗留问题）',
);

function dateFromDate(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString().slice(0, 10);
  return isIsoDate(iso) ? iso : null;
}

/**
 * Dates and months outside the range the API takes (1990-01-01 … 2100-12-31) are refused: a year 0000 is
 * no PostgreSQL date, and a 9999 one runs every calculation from it past the calendar.
 */
const DATE_OUT_OF_RANGE = problem('DATE_OUT_OF_RANGE', `is outside ${DATE_MIN} … ${DATE_MAX}`, `不在 ${DATE_MIN} 至 ${DATE_MAX} 之间`);

function withinRange(result: CellResult<string>): CellResult<string> {
  return 'value' in result && (result.value < DATE_MIN || result.value > DATE_MAX) ? DATE_OUT_OF_RANGE : result;
}

export function parseDate(raw: RawCell, options: CellOptions = {}): CellResult<string> {
  return withinRange(readDate(raw, options));
}

function readDate(raw: RawCell, options: CellOptions): CellResult<string> {
  if (typeof raw === 'string') {
    if (raw.length === 10 && isIsoDate(raw)) return { value: raw };
    const text = raw.trim();
    if (text === '') return EMPTY;
    if (isMarker(text, options.emptyMarkers)) return { empty: true, marker: text };
    const read = readDateText(toHalfWidth(text), options.date1904 ?? false);
    if (read === 'phantom') return PHANTOM_DAY;
    return read ? { value: read } : NOT_A_DATE;
  }
  if (typeof raw === 'number') {
    const read = excelSerialToIso(raw, options.date1904 ?? false);
    if (read === 'phantom') return PHANTOM_DAY;
    return read ? { value: read } : NOT_A_DATE;
  }
  if (raw === null || raw === undefined) return EMPTY;
  if (raw instanceof Date) {
    const iso = dateFromDate(raw);
    return iso ? { value: iso } : NOT_A_DATE;
  }
  if (typeof raw === 'boolean') return NOT_A_DATE;
  return special(raw) ?? NOT_A_DATE;
}

const NOT_A_MONTH = problem('NOT_A_MONTH', 'is not a valid month (write it as 2024-03)', '不是有效月份（应写作 2024-03）');

const ISO_MONTH = /^(?:19|2[01])\d\d-(?:0[1-9]|1[0-2])$/;

/** Months as the first day of the month (2024-03-01), as the database stores them. */
export function parseMonth(raw: RawCell, options: CellOptions = {}): CellResult<string> {
  return withinRange(readMonth(raw, options));
}

function readMonth(raw: RawCell, options: CellOptions): CellResult<string> {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 190001 && raw <= 219912 && raw % 100 >= 1 && raw % 100 <= 12) {
    return { value: `${String(raw).slice(0, 4)}-${String(raw).slice(4)}-01` };
  }
  if (typeof raw === 'string') {
    if (raw.length === 7 && ISO_MONTH.test(raw)) return { value: `${raw}-01` };
    const text = raw.trim();
    if (text === '') return EMPTY;
    if (isMarker(text, options.emptyMarkers)) return { empty: true, marker: text };
    const month = readMonthText(toHalfWidth(text));
    if (month) return { value: month };
  }
  const date = parseDate(raw, options);
  if ('value' in date) return { value: `${date.value.slice(0, 7)}-01` };
  if ('issue' in date && date.issue.code === 'NOT_A_DATE') return NOT_A_MONTH;
  return date;
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '☑', '中选', '拟中选', '中标', '入围', '是(中选)']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '✘', 'x', '☐', '未中选', '未中标', '不中选', '落选', '流标', '未入围', '否(未中选)']);

export function parseBoolean(raw: RawCell, options: CellOptions = {}): CellResult<boolean> {
  if (typeof raw === 'boolean') return { value: raw };
  if (raw === null || raw === undefined) return EMPTY;
  if (raw instanceof Date) return problem('NOT_A_BOOLEAN', 'is not yes or no (是/否)', '不是“是”或“否”');
  if (typeof raw === 'object') return special(raw)!;
  const text = toHalfWidth(String(raw)).replace(/\s+/gu, '').toLowerCase();
  if (text === '') return EMPTY;
  if (TRUE_WORDS.has(text)) return { value: true };
  if (FALSE_WORDS.has(text)) return { value: false };
  if (isMarker(text, options.emptyMarkers)) return { empty: true, marker: text };
  return problem('NOT_A_BOOLEAN', 'is not yes or no (是/否)', '不是“是”或“否”');
}

export function parseRegionList(raw: RawCell, options: CellOptions = {}): CellResult<string[]> {
  if (raw !== null && typeof raw === 'object' && !(raw instanceof Date)) return special(raw)!;
  const text = cellToText(raw).trim();
  if (text === '') return EMPTY;
  if (isMarker(text, options.emptyMarkers)) return { empty: true, marker: text };
  const { codes, unknown, joined } = parseRegions(text);
  if (unknown.length > 0) {
    return problem('UNKNOWN_REGION', `names provinces that are not recognised: ${unknown.join(', ')}`, `中有无法识别的省份：${unknown.join('、')}`);
  }
  if (codes.length === 0) return EMPTY;
  return joined ? { value: codes, joined: codes.map((code) => provinceByCode(code)?.short ?? code).join('、') } : { value: codes };
}

/** How a text column is cleaned: names unify brackets to full width; codes lose all spaces. */
export type TextMode = 'plain' | 'name' | 'code';

const NEEDS_CLEANING = /[\s\uFF01-\uFF5E()=\u200b-\u200d\u2060]/;
/** Zero-width characters: invisible, copied along from web pages and PDFs, never part of a name or code. */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/gu;

/**
 * Text the database cannot hold, or that displays other than it reads, is refused as the API refuses it
 * (@vbp/contracts/inputs): NUL and other control characters (tab and line breaks aside), bidirectional
 * controls, lone surrogates.
 */
const UNSTORABLE_TEXT = problem(
  'INVALID_CHARACTERS',
  'holds control characters (NUL, escapes), bidirectional controls or broken Unicode',
  '含有控制字符、双向控制字符或无效的 Unicode 字符',
);

export function parseText(raw: RawCell, mode: TextMode = 'plain', options: CellOptions = {}): CellResult<string> {
  const result = readText(raw, mode, options);
  return 'value' in result && textProblem(result.value, true) ? UNSTORABLE_TEXT : result;
}

function readText(raw: RawCell, mode: TextMode, options: CellOptions): CellResult<string> {
  if (typeof raw === 'string' && raw !== '' && !NEEDS_CLEANING.test(raw) && (mode !== 'code' || !raw.includes('+'))) {
    return isMarker(raw, options.emptyMarkers) ? { empty: true, marker: raw } : { value: raw };
  }
  if (raw !== null && typeof raw === 'object' && !(raw instanceof Date)) return special(raw)!;
  if (mode === 'code' && typeof raw === 'number' && Number.isInteger(raw) && !Number.isSafeInteger(raw)) {
    return problem(
      'CODE_PRECISION_LOST',
      'was stored as a number and has lost digits: format the column as text and enter the codes again',
      '被存成了数字，已丢失位数：请将该列设为文本格式后重新填写',
    );
  }
  let text = collapseSpace(toHalfWidth(cellToText(raw)).replace(ZERO_WIDTH, ''));
  if (text === '') return EMPTY;
  if (isMarker(text, options.emptyMarkers)) return { empty: true, marker: text };
  if (mode === 'code') {
    // ="00123": how some systems export codes so that Excel keeps their leading zeros.
    text = text.replace(/\s+/gu, '').replace(/^="(.*)"$/u, '$1');
    if (/^\d(\.\d+)?e\+\d+$/iu.test(text)) {
      return problem(
        'CODE_SCIENTIFIC_NOTATION',
        'is a code Excel shortened to scientific notation: format the column as text and enter the codes again',
        '是被 Excel 显示成科学计数法的编码：请将该列设为文本格式后重新填写',
      );
    }
  } else if (mode === 'name') {
    const bracketed = text.replace(/\s*\(\s*/gu, '（').replace(/\s*\)/gu, '）');
    text = joinChineseBreaks(bracketed);
    if (text.length !== bracketed.length) return { value: text, joined: text };
  }
  return { value: text };
}

/** Re-exported for callers that validate decimals they built themselves. */
export { DECIMAL_PATTERN };
