import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { collectUpload } from '../src/parse';
import { listSheets, readRows } from '../src/read';
import { tempDir, xlsxBytes, zipBytes } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const HEADER = ['医疗机构编码', '采购月份', '医保编码', '采购数量', '采购金额'];

async function file(workbook: ExcelJS.Workbook, name = 'w.xlsx') {
  return { path: tmp.file(name, Buffer.from(await workbook.xlsx.writeBuffer())), fileName: name };
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook of one sheet, written by hand; cell style 1 is a date format (built-in format 14). */
function handWrittenXlsx(name: string, sheetData: string): { path: string; fileName: string } {
  const part = (path: string, xml: string) => ({ name: path, data: Buffer.from(xml), deflate: true });
  const data = zipBytes([
    part('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    part('xl/workbook.xml', `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    part(
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ),
    part(
      'xl/styles.xml',
      `<styleSheet xmlns="${MAIN_NS}"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ),
    part('xl/worksheets/sheet1.xml', `<worksheet xmlns="${MAIN_NS}"><sheetData>${sheetData}</sheetData></worksheet>`),
  ]);
  return { path: tmp.file(name, data), fileName: name };
}

/** Cells written by hand: `is(…)` an inline string of one run, `runs(…)` one of several, `date(…)` ISO 8601. */
const is = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const runs = (ref: string, ...texts: string[]) =>
  `<c r="${ref}" t="inlineStr"><is>${texts.map((t, i) => (i % 2 ? `<r><rPr><b val="1"/><sz val="11"/><rFont val="宋体"/></rPr><t>${t}</t></r>` : `<r><t>${t}</t></r>`)).join('')}</is></c>`;
const date = (ref: string, iso: string) => `<c r="${ref}" s="1" t="d"><v>${iso}</v></c>`;
const num = (ref: string, n: number) => `<c r="${ref}"><v>${n}</v></c>`;
const row = (r: number, ...cells: string[]) => `<row r="${r}">${cells.join('')}</row>`;

async function rawRows(source: { path: string; fileName: string }): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const r of readRows(source)) rows.push(r.cells);
  return rows;
}

describe('workbooks', () => {
  it('reads formulas as their saved results and reports formulas without a usable one', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.addRow(HEADER);
    ws.addRow(['H1', '2024-03', 'XC1', 10, { formula: 'D2*1.2', result: 12 }]);
    ws.addRow(['H1', { formula: 'TEXT(DATE(2024,4,1),"yyyy-mm")', result: '2024-04' }, 'XC1', { formula: '0.1+0.2', result: 0.1 + 0.2 }, 1]);
    ws.addRow(['H1', '2024-05', 'XC1', { formula: 'D2*3' } as ExcelJS.CellFormulaValue, 1]);
    ws.addRow(['H1', '2024-06', 'XC1', { formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue, 1]);
    const result = await collectUpload(await file(wb), 'purchases');
    expect(result.rows.map((r) => [r.rowNumber, r.values.month, r.values.quantity, r.values.amount])).toEqual([
      [2, '2024-03-01', '10', '12'],
      [3, '2024-04-01', '0.3', '1'],
    ]);
    expect(result.errors.map((e) => [e.row, e.code, e.value])).toEqual([
      [4, 'FORMULA_WITHOUT_RESULT', '=D2*3'],
      // exceljs's streaming reader drops an error result, so this reads as a formula without a result.
      [5, 'FORMULA_WITHOUT_RESULT', '=1/0'],
    ]);
  });

  it('reads Date cells, serial numbers, rich text and numbers stored as codes', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('落地');
    ws.addRow(['批次', '省份', '执行日期', '协议期满日期']);
    const row = ws.addRow([{ richText: [{ text: 'D' }, { text: '9', font: { bold: true } }] }, '北京', new Date(Date.UTC(2024, 2, 1)), 46387]);
    row.getCell(3).numFmt = 'yyyy/m/d';
    const result = await collectUpload(await file(wb), 'implementations');
    expect(result.errors).toEqual([]);
    expect(result.rows[0]!.values).toEqual({ batchCode: 'D9', region: ['110000'], startOn: '2024-03-01', contractEndOn: '2026-12-31', note: null });
  });

  it('reads past rows that hold only a height or a style, as Excel writes them between a title and the data', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    ws.getRow(1).values = ['2024年度采购数据'];
    ws.getRow(2).height = 30; // a <row> element without cells
    ws.getRow(3).values = HEADER;
    ws.getRow(4).height = 18;
    ws.getRow(5).values = ['H1', '2024-03', 'XC1', 10, 12];
    ws.getRow(6).height = 24;
    ws.getRow(7).values = ['H1', '2024-04', 'XC1', 20, 24];
    // (before issue 12 such a row ended the file: "The file could not be read (Invalid array length)")
    const result = await collectUpload(await file(wb, 'styled-empty-rows.xlsx'), 'purchases');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.rowNumber, r.values.month, r.values.quantity])).toEqual([
      [5, '2024-03-01', '10'],
      [7, '2024-04-01', '20'],
    ]);
  });

  it('continues real merged cells into the rows below', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('结果');
    ws.addRow(['通用名', '剂型', '规格', '生产企业', '中选价格', '供应省份']);
    ws.addRow(['甲片', '口服常释剂型', '1mg', '某药业', 1, '河北']);
    ws.addRow([null, null, '2mg', null, 1.8, null]);
    ws.addRow([null, null, '5mg', '另一药业', 4, '山西']);
    ws.mergeCells('A2:A4');
    ws.mergeCells('B2:B4');
    ws.mergeCells('D2:D3');
    ws.mergeCells('F2:F3');
    const result = await collectUpload(await file(wb), 'batch-results');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.values.genericName, r.values.dosageForm, r.values.spec, r.values.company, r.values.supplyRegions])).toEqual([
      ['甲片', '口服常释剂型', '1mg', '某药业', ['130000']],
      ['甲片', '口服常释剂型', '2mg', '某药业', ['130000']],
      ['甲片', '口服常释剂型', '5mg', '另一药业', ['140000']],
    ]);
  });

  it('lists sheets and picks the one whose header matches best, unless told', async () => {
    const data = await xlsxBytes([
      { name: '封面', rows: [['2024年3月采购数据'], ['填报单位：某某']] },
      { name: '汇总', rows: [['医疗机构编码', '合计金额'], ['H1', 100]] },
      { name: '明细', rows: [['报表'], HEADER, ['H1', '2024-03', 'XC1', 5, 6]] },
    ]);
    const path = tmp.file('sheets.xlsx', data);
    expect(await listSheets(path)).toEqual(['封面', '汇总', '明细']);
    const chosen = await collectUpload({ path, fileName: 'sheets.xlsx' }, 'purchases');
    expect(chosen.summary.sheet).toBe('明细');
    expect(chosen.summary.sheets).toEqual(['封面', '汇总', '明细']);
    expect(chosen.summary.headerRow).toBe(2);
    expect(chosen.rows).toHaveLength(1);
    const told = await collectUpload({ path, fileName: 'sheets.xlsx' }, 'purchases', { sheet: '汇总' });
    expect(told.summary.fatal?.code).toBe('REQUIRED_COLUMN_MISSING');
    const missing = await collectUpload({ path, fileName: 'sheets.xlsx' }, 'purchases', { sheet: '不存在' });
    expect(missing.summary.fatal?.code).toBe('SHEET_NOT_FOUND');
    const raw: unknown[][] = [];
    for await (const r of readRows({ path, fileName: 'sheets.xlsx' }, { sheet: '明细' })) raw.push([r.rowNumber, ...r.cells]);
    expect(raw).toEqual([[1, '报表'], [2, ...HEADER], [3, 'H1', '2024-03', 'XC1', 5, 6]]);
  });

  it('numbers rows as Excel does when rows are missing from the file', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getRow(3).values = HEADER;
    ws.getRow(7).values = ['H1', '2024-03', 'XC1', '约5', 1];
    const result = await collectUpload(await file(wb), 'purchases');
    expect(result.summary.headerRow).toBe(3);
    expect(result.errors[0]).toMatchObject({ row: 7, column: '采购数量', code: 'NOT_A_NUMBER' });
  });

  it('keeps Chinese text whole where a character falls across two chunks of the zip stream', async () => {
    const names = Array.from({ length: 6000 }, (_, i) => `第${i}人民医院（${'东西南北中'[i % 5]}院区）`);
    const data = await xlsxBytes([{ name: 'S', rows: [['医疗机构编码', '医疗机构名称', '采购月份', '医保编码', '采购数量'], ...names.map((n, i) => [`H${i}`, n, '2024-03', 'XC1', 1])] }]);
    const result = await collectUpload({ path: tmp.file('cjk.xlsx', data), fileName: 'cjk.xlsx' }, 'purchases');
    expect(result.rows.map((r) => r.values.institutionName)).toEqual(names);
  });

  it('reads sheets whose rows and cells were written without references', async () => {
    const cell = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`;
    const row = (cells: string[], r = '') => `<row${r}>${cells.map(cell).join('')}</row>`; // (without r)
    const sheetData = `${row(['月度采购'])}${row(['医疗机构编码', '采购月份', '医保编码', '采购数量'])}${row(['H1', '2024-03', 'XC1', '5'])}${row(['H2', '2024-04', 'XC2', '约6'], ' r="7"')}`;
    const result = await collectUpload(handWrittenXlsx('norefs.xlsx', sheetData), 'purchases');
    expect(result.summary.headerRow).toBe(2);
    expect(result.rows.map((r) => [r.rowNumber, r.values.institutionCode, r.values.quantity])).toEqual([[3, 'H1', '5']]);
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([[7, '采购数量', 'NOT_A_NUMBER']]);
  });

  it('reads an inline string written as several runs whole, without its phonetic runs', async () => {
    const source = handWrittenXlsx(
      'inline-runs.xlsx',
      row(1, is('A1', '医疗机构编码'), is('B1', '医疗机构名称'), is('C1', '采购月份'), is('D1', '医保编码'), is('E1', '采购数量')) +
        row(2, runs('A2', 'H', '001'), runs('B2', '北京嘉林', '药业股份有限公司', '附属医院'), is('C2', '2024-03'), is('D2', 'XC1'), num('E2', 5)) +
        row(3, is('A3', 'H002'), '<c r="B3" t="inlineStr"><is><t>協和</t><rPh sb="0" eb="2"><t>キョウワ</t></rPh><phoneticPr fontId="1"/></is></c>', is('C3', '2024-03'), is('D3', 'XC1'), num('E3', 6)) +
        row(4, is('A4', 'H003'), runs('B4', 'A&amp;', 'B &lt;东院&gt;'), is('C4', '2024-03'), is('D4', 'XC1'), num('E4', 7)),
    );
    const result = await collectUpload(source, 'purchases');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.values.institutionCode, r.values.institutionName])).toEqual([
      ['H001', '北京嘉林药业股份有限公司附属医院'],
      ['H002', '協和'],
      ['H003', 'A&B <东院>'],
    ]);
  });

  it('reads ISO 8601 date cells (t="d") as their dates in date and month columns, and as the date text in a text column', async () => {
    const implementations = handWrittenXlsx(
      'iso-dates.xlsx',
      row(1, is('A1', '批次'), is('B1', '省份'), is('C1', '执行日期'), is('D1', '协议期满日期'), is('E1', '备注')) +
        row(2, is('A2', 'D9'), is('B2', '北京'), date('C2', '2022-11-01'), date('D2', '2025-10-31T00:00:00Z'), date('E2', '2022-11-01')) +
        row(3, is('A3', 'D9'), is('B3', '天津'), date('C3', '2022-11-01T13:45:00'), date('D3', '2025-10-31T00:00:00.000+08:00'), date('E3', '2022-11-01T13:45:00')) +
        row(4, is('A4', 'D9'), is('B4', '河北'), date('C4', '2022-13-01'), '<c r="D4" s="1" t="d"><f>DATE(2025,10,31)</f><v>2025-10-31</v></c>'),
    );
    expect(await rawRows(implementations)).toEqual([
      ['批次', '省份', '执行日期', '协议期满日期', '备注'],
      ['D9', '北京', '2022-11-01', '2025-10-31', '2022-11-01'],
      ['D9', '天津', '2022-11-01 13:45:00', '2025-10-31', '2022-11-01 13:45:00'],
      ['D9', '河北', '2022-13-01', '2025-10-31'],
    ]);
    const result = await collectUpload(implementations, 'implementations');
    expect(result.rows.map((r) => [r.rowNumber, r.values.startOn, r.values.contractEndOn, r.values.note])).toEqual([
      [2, '2022-11-01', '2025-10-31', '2022-11-01'],
      [3, '2022-11-01', '2025-10-31', '2022-11-01 13:45:00'],
    ]);
    expect(result.errors.map((e) => [e.row, e.column, e.code, e.value])).toEqual([[4, '执行日期', 'NOT_A_DATE', '2022-13-01']]);

    const purchases = handWrittenXlsx(
      'iso-months.xlsx',
      row(1, is('A1', '医疗机构编码'), is('B1', '采购月份'), is('C1', '医保编码'), is('D1', '采购数量')) +
        row(2, is('A2', 'H1'), date('B2', '2024-03-01'), is('C2', 'XC1'), num('D2', 5)) +
        row(3, is('A3', 'H1'), date('B3', '2024-04-15T08:00:00'), is('C3', 'XC1'), num('D3', 6)),
    );
    const months = await collectUpload(purchases, 'purchases');
    expect(months.errors).toEqual([]);
    expect(months.rows.map((r) => r.values.month)).toEqual(['2024-03-01', '2024-04-01']);
  });

  it('rewrites such cells wherever the zip stream cuts the sheet into chunks', async () => {
    const names = Array.from({ length: 5000 }, (_, i) => [`第${i}人民医院`, `（${'东西南北中'[i % 5]}院区）`] as const);
    const months = names.map((_, i) => `2024-${String((i % 12) + 1).padStart(2, '0')}`);
    const rows = names.map(([a, b], i) => row(i + 2, is(`A${i + 2}`, `H${i}`), runs(`B${i + 2}`, a, b), date(`C${i + 2}`, `${months[i]}-01T00:00:00`), is(`D${i + 2}`, 'XC1'), num(`E${i + 2}`, 1)));
    const source = handWrittenXlsx('many.xlsx', row(1, is('A1', '医疗机构编码'), is('B1', '医疗机构名称'), is('C1', '采购月份'), is('D1', '医保编码'), is('E1', '采购数量')) + rows.join(''));
    const result = await collectUpload(source, 'purchases');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.values.institutionName)).toEqual(names.map(([a, b]) => a + b));
    expect(result.rows.map((r) => r.values.month)).toEqual(months.map((m) => `${m}-01`));
  });
});

/**
 * exceljs 4.4.0 misreads these cells, which is why src/xlsx-sheet-xml.ts rewrites them first. This test
 * reads them with exceljs's own streaming reader and fails once exceljs reads them right.
 */
describe('exceljs quirks worked around in xlsx-sheet-xml.ts', () => {
  it('still misreads inline strings of several runs and ISO 8601 date cells', async () => {
    const { path } = handWrittenXlsx(
      'exceljs-quirks.xlsx',
      row(
        1,
        runs('A1', '北京嘉林', '药业股份有限公司'),
        '<c r="B1" t="inlineStr"><is><t>協和</t><rPh sb="0" eb="2"><t>キョウワ</t></rPh></is></c>',
        date('C1', '2022-11-01'),
        '<c r="D1" t="d"><v>2022-11-01</v></c>',
      ),
    );
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore' });
    const values: unknown[] = [];
    for await (const worksheet of reader) for await (const r of worksheet) values.push(...(r.values as unknown[]).slice(1));
    const [multiRun, phonetic, styledDate, plainDate] = values;
    expect(multiRun, 'exceljs now reads multi-run inline strings: remove the workaround in xlsx-sheet-xml.ts').toBe('药业股份有限公司');
    expect(phonetic, 'exceljs now reads inline strings with phonetic runs differently: see whether xlsx-sheet-xml.ts still needs to join runs').toBe('キョウワ');
    const misread = 'exceljs now reads ISO 8601 date cells (t="d"): remove that part of the workaround in xlsx-sheet-xml.ts';
    expect(styledDate instanceof Date ? styledDate.toISOString().slice(0, 10) : styledDate, misread).toBe('1905-07-14');
    expect(plainDate, misread).toBe(2022);
  });
});
