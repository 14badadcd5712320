/**
 * A table written as XLSX through exceljs's streaming writer: rows are committed as they come, so memory
 * stays bounded whatever the caller streams. Text cells are neutralised like the templates' (a leading
 * = + - @ tab or CR gets an apostrophe, so no spreadsheet runs it as a formula).
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutralizeCell } from './template';

export type XlsxValue = string | number | null;

export interface XlsxColumn {
  header: string;
  width?: number;
  /** Number format of the column's cells: integer, 3-decimal quantity, 2-decimal money, one-decimal percent. */
  format?: 'text' | 'integer' | 'quantity' | 'money' | 'percent';
}

export interface XlsxTable {
  sheetName: string;
  /** Lines above the header (title, scope, source), one cell each. */
  preamble?: readonly string[];
  columns: readonly XlsxColumn[];
  rows: Iterable<readonly XlsxValue[]> | AsyncIterable<readonly XlsxValue[]>;
  /** A second sheet of notes (definitions, rules), one line per row. */
  notes?: { sheetName: string; lines: readonly (readonly string[])[] };
}

const FORMATS: Record<NonNullable<XlsxColumn['format']>, string> = {
  text: '@',
  integer: '#,##0',
  quantity: '#,##0.###',
  money: '#,##0.00',
  percent: '0.0%',
};

function safe(value: XlsxValue): XlsxValue {
  return typeof value === 'string' ? (neutralizeCell(value) as string | number) : value;
}

/** The workbook as a byte stream; an error while writing destroys the stream with it. */
export function streamXlsxTable(table: XlsxTable): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = '集采看板 VBP Tracker';
  const preamble = table.preamble ?? [];
  void (async () => {
    const sheet = workbook.addWorksheet(table.sheetName, { views: [{ state: 'frozen', ySplit: preamble.length + 1 }] });
    sheet.columns = table.columns.map((c) => ({ width: c.width ?? Math.max(10, [...c.header].length * 2), style: c.format ? { numFmt: FORMATS[c.format] } : {} }));
    for (const line of preamble) sheet.addRow([safe(line)]).commit();
    const header = sheet.addRow(table.columns.map((c) => safe(c.header)));
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
    header.commit();
    for await (const row of table.rows) sheet.addRow(row.map(safe)).commit();
    await sheet.commit();
    if (table.notes) {
      const notes = workbook.addWorksheet(table.notes.sheetName);
      notes.columns = [{ width: 24 }, { width: 100 }];
      for (const line of table.notes.lines) notes.addRow(line.map(safe)).commit();
      await notes.commit();
    }
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
