/**
 * Inputs the database can hold, decided once (issue 22). Every request schema (path, query, body and form
 * fields) builds its ids, integers, dates and texts from these, so a new route cannot forget a bound:
 * - ids and integers fit their int4 columns (1 … 2^31 − 1 for ids);
 * - dates are real calendar dates within the domain's range, 1990-01-01 … 2100-12-31 (the earliest real date
 *   in the reference data is the 4+7 pilot of 2018-12; targets run to 2035): every date arithmetic on an
 *   accepted date, a century's horizon included, stays well inside the years JavaScript and PostgreSQL share;
 * - text holds no NUL (PostgreSQL refuses it), no other control characters (C0, DEL, C1: terminal escapes)
 *   except tab and line breaks in multi-line text, no bidirectional overrides, embeddings or isolates (text
 *   that displays other than it reads), no lone surrogates (not storable as UTF-8), is trimmed, bounded, and
 *   when required is not empty once invisible characters (zero-width, BOM) are removed.
 * Response schemas keep plain types: what the database gives back was checked on the way in.
 */
import { z } from 'zod';
import { isIsoDate } from './dates';

/** The largest value of a PostgreSQL `integer` (int4, serial) column. */
export const INT4_MAX = 2_147_483_647;

/** The earliest and latest date any request may carry (see the file's comment). */
export const DATE_MIN = '1990-01-01';
export const DATE_MAX = '2100-12-31';

/** The farthest page of any list: (page − 1) × the largest page size (500) stays within int4. */
export const MAX_PAGE = 1_000_000;

// ---- numbers ----

const ID_MESSAGE = `expected an id, a whole number from 1 to ${INT4_MAX} / 编号应为 1 至 ${INT4_MAX} 之间的整数`;

/** A missing value keeps zod's own "required" issue (forms say 必填); anything else gets `message`. */
const unlessMissing = (message: string) => (issue: { input?: unknown; code?: string }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? undefined : message;

/** An integer in [min, max] within int4, in a JSON body. */
export function intInput(min: number, max: number) {
  assertInt4(min, max);
  return z.number().int().min(min).max(max);
}

/** An integer in [min, max] within int4, from a path or query string. */
export function intParam(min: number, max: number) {
  assertInt4(min, max);
  return z.coerce.number().int().min(min).max(max);
}

function assertInt4(min: number, max: number): void {
  if (!(Number.isInteger(min) && Number.isInteger(max) && -INT4_MAX - 1 <= min && min <= max && max <= INT4_MAX))
    throw new RangeError(`an integer input must lie within int4: [${min}, ${max}]`);
}

/** A row id (serial) in a JSON body. */
export const Id = z.number({ error: unlessMissing(ID_MESSAGE) }).int({ error: ID_MESSAGE }).min(1, { error: ID_MESSAGE }).max(INT4_MAX, { error: ID_MESSAGE }).meta({ example: 1 });

/** A row id from a path or query string. */
export const CoercedId = z.coerce.number({ error: unlessMissing(ID_MESSAGE) }).int({ error: ID_MESSAGE }).min(1, { error: ID_MESSAGE }).max(INT4_MAX, { error: ID_MESSAGE }).meta({ example: 1 });

/** `page` of a list. */
export const PageParam = intParam(1, MAX_PAGE).default(1);

/** `pageSize` of a list: at most `max` (never above 500), `fallback` when absent. */
export function pageSizeParam(max: number, fallback: number) {
  if (max > 500) throw new RangeError('a page holds at most 500 rows');
  return intParam(1, max).default(fallback);
}

/** A decimal string with at most `scale` decimals in [min, max] (a numeric(p, scale) column). */
export function decimalInput(options: { min: number; max: number; scale: number; exclusiveMin?: boolean }) {
  const { min, max, scale, exclusiveMin = false } = options;
  const message = `expected a number ${exclusiveMin ? 'above' : 'from'} ${min} ${exclusiveMin ? 'and at most' : 'to'} ${max} with at most ${scale} decimals / 应为${exclusiveMin ? '大于' : ''} ${min} ${exclusiveMin ? '且不超过' : '至'} ${max}${exclusiveMin ? '' : ' 之间'}、最多 ${scale} 位小数的数`;
  const shape = scale > 0 ? new RegExp(`^-?\\d{1,15}(\\.\\d{1,${scale}})?$`) : /^-?\d{1,15}$/;
  return z
    .string({ error: unlessMissing(message) })
    .regex(shape, { error: message })
    .refine((v) => {
      const n = Number(v);
      return (exclusiveMin ? n > min : n >= min) && n <= max;
    }, { error: message })
    .meta({ example: String(max) });
}

// ---- dates ----

export const DATE_MESSAGE = `expected a calendar date YYYY-MM-DD from ${DATE_MIN} to ${DATE_MAX} / 日期应为 ${DATE_MIN} 至 ${DATE_MAX} 之间的日期（YYYY-MM-DD）`;

export function isDateInRange(value: string): boolean {
  return isIsoDate(value) && value >= DATE_MIN && value <= DATE_MAX;
}

/** A calendar date a request may carry: YYYY-MM-DD, real, within [DATE_MIN, DATE_MAX]. */
export const DateInput = z
  .string({ error: unlessMissing(DATE_MESSAGE) })
  .refine(isDateInRange, { error: DATE_MESSAGE })
  .meta({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', example: '2024-06-30', description: `a calendar date from ${DATE_MIN} to ${DATE_MAX}` });

// ---- text ----

/** C0 controls, DEL and C1 controls (terminal escapes among them). */
const CONTROL = /\p{Cc}/u;
/** The same, less tab and line breaks: what multi-line text may hold. */
const CONTROL_BUT_LINES = /[^\P{Cc}\t\n\r]/u;
/** Line breaks, the Unicode line and paragraph separators among them: what a single line may not hold. */
const LINE_BREAKS = /[\n\r\u2028\u2029]/u;
/** Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** A lone surrogate: not a character, not storable as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Characters that show nothing: zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen, Mongolian vowel separator. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/gu;

export const TEXT_MESSAGES = {
  control: 'control characters (NUL, escapes) are not allowed / 不能包含控制字符',
  lineBreak: 'line breaks are not allowed here / 此处不能换行',
  bidi: 'bidirectional control characters (U+202A–U+202E, U+2066–U+2069) are not allowed / 不能包含双向控制字符',
  surrogate: 'malformed Unicode text (a lone surrogate) / 文本包含无效的 Unicode 字符',
  invisible: 'the text is empty once invisible characters are removed / 去掉不可见字符后内容为空',
} as const;

export type TextProblem = 'surrogate' | 'lineBreak' | 'control' | 'bidi';

/**
 * Why `value` is refused as text of that kind, or null when it is fine: the rules of the schemas below, for
 * text that arrives otherwise (the cells of an uploaded file).
 */
export function textProblem(value: string, multiLine: boolean): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  if (!multiLine && LINE_BREAKS.test(value)) return 'lineBreak';
  if ((multiLine ? CONTROL_BUT_LINES : CONTROL).test(value)) return 'control';
  if (BIDI_CONTROLS.test(value)) return 'bidi';
  return null;
}

/** Whether `value` shows nothing once invisible characters and white space are removed. */
export function isBlank(value: string): boolean {
  return value.replace(INVISIBLE, '').trim() === '';
}

export interface TextOptions {
  /** The most characters (UTF-16 code units, as zod and the browser's maxlength count). */
  max: number;
  /** May be empty ('' after trimming): search boxes, optional labels. Default false. */
  allowEmpty?: boolean;
  /** Messages of the field's own, "english / 中文". */
  messages?: { empty?: string; tooLong?: string };
}

function text(multiLine: boolean, { max, allowEmpty = false, messages = {} }: TextOptions) {
  let schema = z.string().trim();
  if (!allowEmpty) schema = schema.min(1, messages.empty ? { error: messages.empty } : undefined);
  return schema.max(max, messages.tooLong ? { error: messages.tooLong } : undefined).superRefine((value, ctx) => {
    const problem = textProblem(value, multiLine);
    if (problem) ctx.addIssue({ code: 'custom', message: TEXT_MESSAGES[problem], input: value });
    else if (!allowEmpty && value !== '' && isBlank(value)) ctx.addIssue({ code: 'custom', message: messages.empty ?? TEXT_MESSAGES.invisible, input: value });
  });
}

/** A name, label, code or search term: one line, trimmed, at most `max` characters. */
export function singleLineText(options: TextOptions) {
  return text(false, options);
}

/** A note: tab and line breaks allowed, trimmed, at most `max` characters. */
export function multiLineText(options: TextOptions) {
  return text(true, options);
}

/** A search box or filter term (may be empty: no filter). */
export function searchText(max: number) {
  return singleLineText({ max, allowEmpty: true });
}
