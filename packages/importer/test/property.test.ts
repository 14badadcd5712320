import fc from 'fast-check';
import { UploadIssue, UPLOAD_KINDS, type UploadKind } from '@vbp/contracts/uploads';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBoolean, parseDate, parseDecimal, parseInteger, parseMonth, parseRegionList, parseText, splitGenericAndForm } from '../src/cells';
import { DECIMAL_PATTERN, numberToDecimal, readDecimalText } from '../src/decimal';
import { detectBufferEncoding, detectEncoding, Utf8Validator } from '../src/encoding';
import { findHeaderRow, matchHeaders } from '../src/headers';
import { parseUpload } from '../src/parse';
import { csvText, encodeGb18030, tempDir, xlsxBytes } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Parses a file and checks the stream's contract: only UploadIssues, exactly one end, counts add up. */
async function parseSafely(data: Buffer | string, fileName: string, kind: UploadKind): Promise<void> {
  const path = tmp.file(fileName, data);
  let ends = 0;
  let rows = 0;
  for await (const event of parseUpload({ path, fileName }, kind)) {
    if (event.type === 'batch') {
      for (const issue of [...event.errors, ...event.warnings]) UploadIssue.parse(issue);
      rows += event.rows.length + event.notSelected.length;
      for (const r of [...event.rows, ...event.notSelected]) expect(Number.isInteger(r.rowNumber) && r.rowNumber > 0).toBe(true);
    } else if (event.type === 'end') {
      ends++;
      const c = event.summary.counts;
      expect(c.rows).toBe(c.valid + c.invalid + c.skipped + c.notSelected);
      expect(rows).toBe(c.valid + c.notSelected);
      if (event.summary.fatal) UploadIssue.parse(event.summary.fatal);
    }
  }
  expect(ends).toBe(1);
}

const kind = fc.constantFrom(...UPLOAD_KINDS);
const MESSY = ['"', ',', '\n', '\r\n', '，', '、', '１', 'Ａ', '（', '）', '(', ')', '元', '万', '%', '％', '-', '.', ' ', '\u3000', '流标', '阿', '片', 'e', '0', '9', '2024', '年', '月', '日', '/', '北京', '兵团', '√', '\t', '=', '\uFFFD'];
const messyText = fc.array(fc.constantFrom(...MESSY), { maxLength: 12 }).map((parts) => parts.join(''));
const anyText = fc.oneof(messyText, fc.string({ unit: 'binary', maxLength: 20 }));

describe('never crashes, only reports', () => {
  it('random bytes as CSV and as XLSX', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), kind, fc.boolean(), async (bytes, k, zipLike) => {
        const data = Buffer.from(bytes);
        await parseSafely(data, 'random.csv', k);
        await parseSafely(zipLike ? Buffer.concat([Buffer.from('PK\x03\x04'), data]) : data, 'random.xlsx', k);
      }),
      { numRuns: 60 },
    );
  });

  it('random cells with quotes, line breaks and full-width characters under a real header', async () => {
    const header = ['医疗机构编码', '医疗机构名称', '采购月份', '医保编码', '采购数量', '采购金额', '通用名', '规格', '企业', '中选价格', '批次', '省份', '执行日期'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(anyText, { maxLength: 15 }), { maxLength: 25 }), kind, fc.constantFrom('utf-8', 'gb18030'), async (rows, k, encoding) => {
        const text = csvText([header, ...rows]);
        let data: Buffer;
        try {
          data = encoding === 'gb18030' ? encodeGb18030(text) : Buffer.from(text, 'utf8');
        } catch {
          data = Buffer.from(text, 'utf8'); // a character the test encoder lacks
        }
        await parseSafely(data, 'cells.csv', k);
      }),
      { numRuns: 150 },
    );
  });

  it('damaged workbooks', async () => {
    const good = await xlsxBytes([{ name: 'S', rows: [['医疗机构编码', '采购月份', '医保编码', '采购数量'], ['H1', '2024-03', 'XC1', 5]] }]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
        const damaged = Buffer.from(good);
        for (const [at, byte] of flips) damaged[at] = byte;
        await parseSafely(damaged, 'damaged.xlsx', 'purchases');
      }),
      { numRuns: 60 },
    );
  });

  it('random header rows', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(anyText, fc.constant(null), fc.double(), fc.date())), { maxLength: 8 }), kind, (rows, k) => {
        const found = findHeaderRow(rows, k);
        const match = matchHeaders(rows[0] ?? [], k, { [String(rows[0]?.[0] ?? 'x')]: '' });
        const indexes = match.columns.map((c) => c.index);
        expect(new Set(indexes).size).toBe(indexes.length);
        expect(new Set(match.columns.map((c) => c.key)).size).toBe(match.columns.length);
        if (found) expect(found.index).toBeLessThan(rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it('every cell parser, on anything', () => {
    const cell = fc.oneof(anyText, fc.double(), fc.integer(), fc.boolean(), fc.date(), fc.constant(null), fc.record({ formula: fc.string() }), fc.record({ error: fc.string() }));
    fc.assert(
      fc.property(cell, (raw) => {
        for (const result of [parseDecimal(raw, { percent: true }), parseDecimal(raw, { emptyMarkers: ['-'] }), parseInteger(raw), parseDate(raw), parseMonth(raw), parseBoolean(raw), parseRegionList(raw), parseText(raw, 'name'), parseText(raw, 'code')]) {
          expect('value' in result || 'empty' in result || 'issue' in result).toBe(true);
        }
        const decimal = parseDecimal(raw);
        if ('value' in decimal) expect(decimal.value).toMatch(DECIMAL_PATTERN);
        const date = parseDate(raw);
        if ('value' in date) expect(date.value).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
        if (typeof raw === 'string') splitGenericAndForm(raw);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decimals stay exact', () => {
  const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
  const canonical = (negative: boolean, int: string, frac: string) => {
    const whole = int.replace(/^0+(?=\d)/u, '');
    const value = frac ? `${whole}.${frac}` : whole;
    return negative && /[1-9]/u.test(value) ? `-${value}` : value;
  };
  const group = (int: string) => int.replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
  const fullWidth = (s: string) => s.replace(/[0-9.,]/gu, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

  it('round-trips the digits as written, with or without separators and full-width digits', () => {
    fc.assert(
      fc.property(fc.boolean(), digits(1, 15), digits(0, 12), (negative, int, frac) => {
        const written = `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
        const expected = canonical(negative, int, frac);
        const whole = int.replace(/^0+(?=\d)/u, '');
        for (const text of [written, `${negative ? '-' : ''}${group(whole)}${frac ? `.${frac}` : ''}`, fullWidth(written), ` ${written} `]) {
          const parsed = parseDecimal(text);
          expect('value' in parsed && parsed.value, text).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('scales 万 and % by moving the point, never by multiplying floats', () => {
    fc.assert(
      fc.property(digits(1, 10), digits(0, 8), (int, frac) => {
        const digitsOnly = `${int}${frac}`.replace(/^0+/u, '') || '0';
        const wan = parseDecimal(`${int}.${frac || '0'}万`);
        const pct = parseDecimal(`${int}.${frac || '0'}%`, { percent: true });
        expect('value' in wan && wan.value).toMatch(DECIMAL_PATTERN);
        expect('value' in pct && pct.value).toMatch(DECIMAL_PATTERN);
        // the significant digits are unchanged, whatever the scale
        const strip = (v: string) => v.replace(/[-.]/gu, '').replace(/^0+/u, '').replace(/0+$/u, '') || '0';
        expect(strip(String('value' in wan && wan.value))).toBe(strip(digitsOnly));
        expect(strip(String('value' in pct && pct.value))).toBe(strip(digitsOnly));
        expect(BigInt(String('value' in wan && wan.value).split('.')[0]!)).toBe(BigInt(`${int}${(frac + '0000').slice(0, 4)}`));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes any double as a plain decimal close to it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }), (n) => {
        const text = numberToDecimal(n)!;
        expect(text).toMatch(DECIMAL_PATTERN);
        // integers exactly (codes stored as numbers); fractions as Excel's 15 significant digits
        const read = readDecimalText(n.toPrecision(15));
        const fifteen = read.ok ? read.value.replace(/(\.\d*?)0+$/u, '$1').replace(/\.$/u, '').replace(/^-0$/u, '0') : null;
        expect(text).toBe(Number.isInteger(n) ? String(n).replace(/^-0$/u, '0') : fifteen);
        expect(Math.abs(Number(text) - n)).toBeLessThanOrEqual(Math.abs(n) * 1e-14);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('encoding detection', () => {
  const utf8ish = fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 30 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    fc.string({ unit: 'binary', maxLength: 30 }).map((s) => {
      const b = Buffer.from(s, 'utf8');
      return new Uint8Array(b.subarray(0, Math.max(0, b.length - 1)));
    }),
  );

  it('validates chunked input exactly as a fatal streaming TextDecoder does', () => {
    fc.assert(
      fc.property(fc.array(utf8ish, { maxLength: 6 }), (chunks) => {
        const decoder = new TextDecoder('utf-8', { fatal: true });
        let expected = true;
        try {
          for (const c of chunks) decoder.decode(c, { stream: true });
          decoder.decode();
        } catch {
          expected = false;
        }
        const validator = new Utf8Validator();
        let valid = true;
        for (const c of chunks) if (valid && !validator.push(c)) valid = false;
        expect(valid && validator.end()).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds GB18030 files and UTF-8 files whatever their length', async () => {
    const text = '医疗机构编码,采购数量\r\n'.repeat(60_000);
    expect(await detectEncoding(tmp.file('u.csv', Buffer.from(text, 'utf8')))).toBe('utf-8');
    expect(await detectEncoding(tmp.file('g.csv', encodeGb18030(text)))).toBe('gb18030');
    expect(await detectEncoding(tmp.file('b.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))).toBe('utf-8-bom');
    expect(detectBufferEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]))).toBe('utf-16le');
  });
});
