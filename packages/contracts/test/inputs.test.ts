import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CoercedId,
  DATE_MESSAGE,
  DateInput,
  decimalInput,
  Id,
  INT4_MAX,
  intInput,
  intParam,
  multiLineText,
  PageParam,
  searchText,
  singleLineText,
  TEXT_MESSAGES,
} from '../src/inputs';

const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('ids and integers', () => {
  it('takes ids from 1 to the largest int4, in a body and from a path', () => {
    expect(Id.parse(1)).toBe(1);
    expect(Id.parse(INT4_MAX)).toBe(INT4_MAX);
    for (const bad of [0, -1, 1.5, 2 ** 31, 2 ** 53, Number.NaN, Infinity, '1', null, true])
      expect(Id.safeParse(bad).success, `Id ${String(bad)}`).toBe(false);
    expect(CoercedId.parse('42')).toBe(42);
    expect(CoercedId.parse(String(INT4_MAX))).toBe(INT4_MAX);
    for (const bad of ['0', '-1', '1.5', '2147483648', '9007199254740993', 'abc', '', 'Infinity'])
      expect(CoercedId.safeParse(bad).success, `CoercedId ${bad}`).toBe(false);
    expect(messages(Id, 2 ** 31)[0]).toMatch(/^expected an id.* \/ 编号/);
  });

  it('keeps a missing id zod’s own required issue', () => {
    const issue = z.object({ id: Id }).safeParse({}).error!.issues[0]!;
    expect(issue.code).toBe('invalid_type');
    expect(issue.message).not.toMatch(/编号/);
  });

  it('bounds integers and pages within int4', () => {
    expect(intInput(1, 10).safeParse(11).success).toBe(false);
    expect(intParam(1, 10).parse('10')).toBe(10);
    expect(() => intInput(0, 2 ** 31)).toThrow(RangeError);
    expect(PageParam.parse(undefined)).toBe(1);
    expect(PageParam.safeParse('2147483648').success).toBe(false);
  });

  it('reads decimals within a numeric column’s range and scale', () => {
    const years = decimalInput({ min: 0, max: 10, scale: 1, exclusiveMin: true });
    expect(years.parse('2')).toBe('2');
    expect(years.parse('0.5')).toBe('0.5');
    for (const bad of ['0', '-1', '10.5', '1.25', '254624997487', '1e3', ' 2', ''])
      expect(years.safeParse(bad).success, `years ${bad}`).toBe(false);
  });
});

describe('dates', () => {
  it('accepts real calendar dates from 1990 to 2100 only, with one bilingual message', () => {
    for (const ok of ['1990-01-01', '2024-02-29', '2100-12-31']) expect(DateInput.parse(ok)).toBe(ok);
    for (const bad of ['0000-01-01', '0001-01-01', '0100-01-01', '1989-12-31', '2101-01-01', '9999-12-31', '2023-02-29', '2024-13-01', '2024-6-30', '+275760-09-13', '2024-06-30T00:00:00Z', '2024-06-30\u0000'])
      expect(messages(DateInput, bad), bad).toEqual([DATE_MESSAGE]);
    expect(DATE_MESSAGE).toMatch(/^expected a calendar date YYYY-MM-DD from 1990-01-01 to 2100-12-31 \/ 日期应为/);
  });

  it('keeps a missing date zod’s own required issue', () => {
    expect(z.object({ on: DateInput }).safeParse({}).error!.issues[0]!.message).not.toBe(DATE_MESSAGE);
  });
});

describe('text', () => {
  const name = singleLineText({ max: 10 });
  const note = multiLineText({ max: 100 });

  it('trims, and refuses empty and over-long text', () => {
    expect(name.parse('  阿托伐他汀  ')).toBe('阿托伐他汀');
    expect(name.safeParse('   ').success).toBe(false);
    expect(name.safeParse('x'.repeat(11)).success).toBe(false);
    expect(name.parse('x'.repeat(10))).toBe('x'.repeat(10));
  });

  it('refuses NUL, C0 and C1 controls and terminal escapes', () => {
    for (const bad of ['a\u0000b', '\u0000', 'a\u0001', 'a\u001b[31mb', 'a\u007f', 'a\u0085b', 'a\u009bb', 'a\tb'])
      expect(messages(name, bad), JSON.stringify(bad)).toEqual([TEXT_MESSAGES.control]);
    expect(messages(note, 'a\u0000b')).toEqual([TEXT_MESSAGES.control]);
    expect(messages(note, 'x\u001b]0;t\u0007')).toEqual([TEXT_MESSAGES.control]);
  });

  it('lets notes hold tabs and line breaks, and names one line', () => {
    expect(note.parse('第一行\n第二行\r\n\t缩进')).toBe('第一行\n第二行\r\n\t缩进');
    for (const bad of ['a\nb', 'a\rb', 'a\u2028b', 'a\u2029b']) expect(messages(name, bad), JSON.stringify(bad)).toEqual([TEXT_MESSAGES.lineBreak]);
  });

  it('refuses bidirectional overrides, embeddings and isolates', () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])
      expect(messages(name, `a${String.fromCodePoint(cp)}b`), cp.toString(16)).toEqual([TEXT_MESSAGES.bidi]);
    // marks that only steer neutral characters stay
    expect(name.parse('a\u200eb')).toBe('a\u200eb');
  });

  it('refuses lone surrogates and keeps real astral characters', () => {
    expect(messages(name, 'a\ud800')).toEqual([TEXT_MESSAGES.surrogate]);
    expect(messages(name, '\udfffb')).toEqual([TEXT_MESSAGES.surrogate]);
    expect(name.parse('𠀀😀')).toBe('𠀀😀');
  });

  it('refuses text made only of invisible characters when it is required', () => {
    for (const bad of ['\u200b', '\u200b\u200c\u200d', '\u2060\ufeff', '\u00ad', ' \u200b '])
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(messages(name, '\u200b\u200c')).toEqual([TEXT_MESSAGES.invisible]);
    expect(messages(singleLineText({ max: 10, messages: { empty: 'needs a name / 名称不能为空' } }), '\u200b')).toEqual(['needs a name / 名称不能为空']);
    // joiners inside real text are part of it (emoji sequences)
    expect(name.parse('👩\u200d💻')).toBe('👩\u200d💻');
  });

  it('lets a search box be empty and nothing more', () => {
    const q = searchText(100);
    expect(q.parse('')).toBe('');
    expect(q.parse(' 阿托 ')).toBe('阿托');
    expect(q.safeParse('\u0000').success).toBe(false);
    expect(q.safeParse('%\u202e').success).toBe(false);
  });

  it('keeps the string type for nullable and optional use', () => {
    const s = z.object({ note: note.nullable().optional() });
    expect(s.parse({ note: null })).toEqual({ note: null });
    expect(s.parse({})).toEqual({});
  });
});
