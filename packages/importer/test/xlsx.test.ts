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
    const row = (cells: string[], r = '') => `<row${r}>${cells.map(cell).join('')}</row>`;
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row(['月度采购'])}${row(['医疗机构编码', '采购月份', '医保编码', '采购数量'])}${row(['H1', '2024-03', 'XC1', '5'])}${row(['H2', '2024-04', 'XC2', '约6'], ' r="7"')}</sheetData></worksheet>`;
    const data = zipBytes([
      { name: '[Content_Types].xml', data: Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
      {
        name: 'xl/workbook.xml',
        data: Buffer.from('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
      },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet), deflate: true },
    ]);
    const result = await collectUpload({ path: tmp.file('norefs.xlsx', data), fileName: 'norefs.xlsx' }, 'purchases');
    expect(result.summary.headerRow).toBe(2);
    expect(result.rows.map((r) => [r.rowNumber, r.values.institutionCode, r.values.quantity])).toEqual([[3, 'H1', '5']]);
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([[7, '采购数量', 'NOT_A_NUMBER']]);
  });
});
