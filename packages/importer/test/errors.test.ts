import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { crc32, createDeflateRaw } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { UploadKind } from '@vbp/contracts/uploads';
import { collectUpload } from '../src/parse';
import type { ParseOptions } from '../src/types';
import { checkXlsxArchive } from '../src/zip-check';
import { csvBytes, tempDir, xlsxBytes, zipBytes } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const PURCHASE_HEADER = ['医疗机构编码', '医疗机构名称', '采购月份', '国家医保代码', '采购数量', '采购金额'];
const purchase = (i: number) => [`H${String(i).padStart(11, '0')}`, '医院', '2024-03', 'XC10AAA000A001010100001', String(i), '1.00'];

function csv(rows: (string | number)[][], name = 'f.csv') {
  return { path: tmp.file(name, csvBytes(rows, 'utf-8')), fileName: name };
}

async function codes<K extends UploadKind = 'purchases'>(src: { path: string; fileName: string }, kind: K = 'purchases' as K, options: ParseOptions = {}) {
  const result = await collectUpload(src, kind, options);
  return { result, codes: result.errors.map((e) => e.code), fatal: result.summary.fatal?.code ?? null };
}

describe('refused files', () => {
  it('refuses .xls and .et with a "save as .xlsx" message', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    for (const name of ['old.xls', 'wps.et', 'renamed.xlsx', 'renamed.csv']) {
      const { result, fatal } = await codes({ path: tmp.file(name, ole), fileName: name });
      expect(fatal, name).toBe('LEGACY_EXCEL_FORMAT');
      expect(result.errors[0]!.messageZh).toContain('请另存为 .xlsx（Excel 工作簿）后再上传');
    }
  });

  it('refuses a CSV that is a zip, an XLSX that is not, an empty file, an unknown type', async () => {
    const xlsx = await xlsxBytes([{ name: 'S', rows: [PURCHASE_HEADER] }]);
    expect((await codes({ path: tmp.file('a.csv', xlsx), fileName: 'a.csv' })).fatal).toBe('CSV_IS_ZIP');
    expect((await codes({ path: tmp.file('b.xlsx', 'a,b\n1,2\n'), fileName: 'b.xlsx' })).fatal).toBe('NOT_XLSX');
    expect((await codes({ path: tmp.file('c.csv', ''), fileName: 'c.csv' })).fatal).toBe('EMPTY_FILE');
    expect((await codes({ path: tmp.file('d.csv', '\r\n  \r\n,,\r\n'), fileName: 'd.csv' })).fatal).toBe('EMPTY_FILE');
    expect((await codes({ path: tmp.file('e.pdf', '%PDF-1.4'), fileName: 'e.pdf' })).fatal).toBe('UNSUPPORTED_FILE_TYPE');
    const docx = zipBytes([{ name: '[Content_Types].xml', data: Buffer.from('<x/>') }, { name: 'word/document.xml', data: Buffer.from('<x/>') }]);
    expect((await codes({ path: tmp.file('f.xlsx', docx), fileName: 'f.xlsx' })).fatal).toBe('NOT_XLSX');
  });

  it('refuses a zip bomb before parsing: a 200 MB entry of zeros', async () => {
    // Deflate 200 MB of zeros in 1 MB steps (about 200 KB compressed), then wrap it in a zip by hand.
    const deflated: Buffer[] = [];
    const deflate = createDeflateRaw();
    deflate.on('data', (b: Buffer) => deflated.push(b));
    const zeros = Buffer.alloc(1024 * 1024);
    let crc = 0;
    for (let i = 0; i < 200; i++) {
      crc = crc32(zeros, crc);
      if (!deflate.write(zeros)) await once(deflate, 'drain');
    }
    deflate.end();
    await once(deflate, 'end');
    const body = Buffer.concat(deflated);
    const bomb = zipBytes([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: body, declaredSize: 200 * 1024 * 1024, deflated: { crc } },
    ]);
    const path = tmp.file('bomb.xlsx', bomb);
    const check = await checkXlsxArchive(bomb);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.issue.code).toBe('ZIP_RATIO_TOO_HIGH');
    const started = Date.now();
    expect((await codes({ path, fileName: 'bomb.xlsx' })).fatal).toBe('ZIP_RATIO_TOO_HIGH');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses workbooks too large in total, with too many entries, or with a lying local header', async () => {
    const big = zipBytes([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.alloc(3000, 32), deflate: true },
    ]);
    const tooLarge = await checkXlsxArchive(big, { maxUncompressedBytes: 1000 });
    expect(!tooLarge.ok && tooLarge.issue.code).toBe('ZIP_TOO_LARGE');
    const many = zipBytes(Array.from({ length: 10_001 }, (_, i) => ({ name: `x/${i}`, data: Buffer.alloc(0) })));
    const tooMany = await checkXlsxArchive(many);
    expect(!tooMany.ok && tooMany.issue.code).toBe('ZIP_TOO_MANY_ENTRIES');
    const lying = Buffer.from(zipBytes([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<w/>') }]));
    lying.writeUInt32LE(999_999_999, 22); // the first local header's uncompressed size
    const corrupt = await checkXlsxArchive(lying);
    expect(!corrupt.ok && corrupt.issue.code).toBe('ZIP_CORRUPT');
    const notZip = await checkXlsxArchive(Buffer.from('hello, this is not a zip at all'));
    expect(!notZip.ok && notZip.issue.code).toBe('NOT_XLSX');
    const ok = await checkXlsxArchive(await xlsxBytes([{ name: 'S', rows: [['a']] }]));
    expect(ok.ok).toBe(true);
  });
});

describe('header problems', () => {
  it('reports a missing required column with the accepted spellings', async () => {
    const { result, fatal } = await codes(csv([['医疗机构编码', '采购月份', '采购数量'], ['H1', '2024-03', '1']]));
    expect(fatal).toBe('REQUIRED_COLUMN_MISSING');
    expect(result.errors[0]).toMatchObject({ row: 1, column: '医保编码' });
    expect(result.errors[0]!.messageZh).toContain('国家医保代码');
    expect(result.rows).toEqual([]);
  });

  it('reports a duplicate header', async () => {
    const { result, fatal } = await codes(csv([[...PURCHASE_HEADER, '采购数量'], [...purchase(1), '2']]));
    expect(fatal).toBe('DUPLICATE_HEADER');
    expect(result.errors[0]).toMatchObject({ row: 1, column: '采购数量' });
  });

  it('prefers the better spelling when two headers name one column', async () => {
    const { result } = await codes(csv([['通用名', '药品名称', '规格', '企业', '中选价格'], ['甲', '乙', '1mg', '丙', '1']]), 'batch-results');
    expect(result.rows[0]!.values.genericName).toBe('甲');
    expect(result.summary.unmatchedHeaders).toEqual(['药品名称']);
  });

  it('reports no header, and a header without data', async () => {
    expect((await codes(csv([['甲', '乙'], ['1', '2']]))).fatal).toBe('HEADER_NOT_FOUND');
    const onlyHeader = await codes(csv([PURCHASE_HEADER]));
    expect(onlyHeader.fatal).toBe('NO_DATA_ROWS');
    expect(onlyHeader.result.summary.headerRow).toBe(1);
  });

  it('takes a mapping over detection, and refuses one naming unknown columns', async () => {
    const rows = [['A列', 'B列', 'C列', 'D列', 'E列'], ['H1', '2024-03', 'XC1', '5', '备注']];
    expect((await codes(csv(rows))).fatal).toBe('HEADER_NOT_FOUND');
    const mapping = { A列: 'institutionCode', B列: 'month', C列: 'nhsaCode', D列: 'quantity', E列: '' };
    const mapped = await codes(csv(rows), 'purchases', { mapping });
    expect(mapped.fatal).toBeNull();
    expect(mapped.result.rows[0]!.values).toMatchObject({ institutionCode: 'H1', month: '2024-03-01', nhsaCode: 'XC1', quantity: '5' });
    expect(mapped.result.summary.mapping).toEqual({ A列: 'institutionCode', B列: 'month', C列: 'nhsaCode', D列: 'quantity' });
    // A mapping also wins over a header that would have matched another column.
    const swapped = await codes(csv([PURCHASE_HEADER, purchase(1)]), 'purchases', { mapping: { 采购金额: 'quantity', 采购数量: '' } });
    expect(swapped.result.rows[0]!.values).toMatchObject({ quantity: '1.00', amount: null });
    expect((await codes(csv(rows), 'purchases', { mapping: { A列: 'hospital' } })).fatal).toBe('INVALID_MAPPING');
  });

  it('reads a two-level header and skips repeated header rows', async () => {
    const rows = [
      ['通用名', '规格', '企业', '价格（元）', ''],
      ['', '', '', '中选价格', '最高有效申报价'],
      ['甲片', '1mg', '丙', '1', '2'],
      ['通用名', '规格', '企业', '中选价格', '最高有效申报价'],
      ['乙片', '1mg', '丙', '1', '2'],
    ];
    const { result } = await codes(csv(rows), 'batch-results');
    expect(result.summary.headerRow).toBe(2);
    expect(result.rows.map((r) => [r.rowNumber, r.values.genericName, r.values.referencePrice])).toEqual([
      [3, '甲片', '2'],
      [5, '乙片', '2'],
    ]);
    expect(result.summary.counts.skipped).toBe(1);
  });
});

describe('row limits', () => {
  it('reports rows with too many cells and cells too long', async () => {
    const wide = [...purchase(2), ...Array.from({ length: 300 }, () => 'x')];
    const long = purchase(3);
    long[1] = '长'.repeat(10_001);
    const { result } = await codes(csv([PURCHASE_HEADER, purchase(1), wide, long]));
    expect(result.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'TOO_MANY_CELLS'],
      [4, 'CELL_TOO_LONG'],
    ]);
    expect(result.errors[1]!.value!.length).toBeLessThan(100);
    expect(result.summary.counts).toMatchObject({ valid: 1, invalid: 2 });
  });

  it('stops at the row cap', async () => {
    const rows = [PURCHASE_HEADER, ...Array.from({ length: 20 }, (_, i) => purchase(i))];
    expect((await codes(csv(rows), 'purchases', { limits: { maxRows: 10 } })).fatal).toBe('TOO_MANY_ROWS');
    const xlsx = await xlsxBytes([{ name: 'S', rows }]);
    expect((await codes({ path: tmp.file('r.xlsx', xlsx), fileName: 'r.xlsx' }, 'purchases', { limits: { maxRows: 10 } })).fatal).toBe('TOO_MANY_ROWS');
  });

  it('stops on a record that never ends (an unclosed quote)', async () => {
    const text = `${PURCHASE_HEADER.join(',')}\n"${'x'.repeat(3_000_000)}`;
    const { fatal } = await codes({ path: tmp.file('q.csv', text), fileName: 'q.csv' }, 'purchases', { limits: { maxCellsPerRow: 10, maxCellChars: 1000 } });
    expect(fatal).toBe('ROW_TOO_LONG');
  });
});

describe('encodings', () => {
  it('warns when the chosen encoding cannot decode the file', async () => {
    const gbk = csvBytes([PURCHASE_HEADER, purchase(1)], 'gb18030');
    const path = tmp.file('g.csv', gbk);
    const wrong = await collectUpload({ path, fileName: 'g.csv' }, 'purchases', { encoding: 'utf-8' });
    expect(wrong.summary.encoding).toBe('utf-8');
    expect(wrong.warnings.map((w) => w.code)).toContain('ENCODING_REPLACEMENT');
    const right = await collectUpload({ path, fileName: 'g.csv' }, 'purchases', { encoding: 'gbk' });
    expect(right.rows).toHaveLength(1);
  });

  it('reads tab-separated and semicolon-separated text', async () => {
    for (const sep of ['\t', ';']) {
      const text = [PURCHASE_HEADER, purchase(1)].map((r) => r.join(sep)).join('\n');
      const { result } = await codes({ path: tmp.file('t.csv', text), fileName: 't.csv' });
      expect(result.rows, JSON.stringify(sep)).toHaveLength(1);
    }
  });
});

describe('large CSV streams', () => {
  it('reads a file larger than one chunk with records split across chunks', async () => {
    const path = `${tmp.dir}/many.csv`;
    const out = createWriteStream(path);
    out.write(`${PURCHASE_HEADER.join(',')}\r\n`);
    for (let i = 0; i < 60_000; i++) out.write(`H${i},"医院\n""${i}""",2024-03,XC${i},${i},"1,234.5"\r\n`);
    out.end();
    await once(out, 'finish');
    let progress = 0;
    const result = await collectUpload({ path, fileName: 'many.csv' }, 'purchases', { onProgress: (n) => (progress = n) });
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(60_000);
    expect(result.rows[59_999]).toEqual({
      rowNumber: 60_001,
      values: { institutionCode: 'H59999', institutionName: '医院 "59999"', month: '2024-03-01', nhsaCode: 'XC59999', quantity: '59999', amount: '1234.5' },
    });
    expect(progress).toBe(60_001);
  });
});
