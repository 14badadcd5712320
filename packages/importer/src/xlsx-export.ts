/**
 * A table written as XLSX through exceljs's streaming writer: rows are committed as they come, so memory
 * stays bounded whatever the caller streams. Text is written as typed text, as the templates write it
 * (textCell): `=1+1` stays the text `=1+1`, never a formula, and `-5` stays text, never a number.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { textCell } from './template';

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

/** The workbook as a byte stream; an error while writing destroys the stream with it. */
export function streamXlsxTable(table: XlsxTable): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = '集采看板 VBP Tracker';
  const preamble = table.preamble ?? [];
  void (async () => {
    const sheet = workbook.addWorksheet(table.sheetName, { views: [{ state: 'frozen', ySplit: preamble.length + 1 }] });
    sheet.columns = table.columns.map((c) => ({ width: c.width ?? Math.max(10, [...c.header].length * 2), style: c.format ? { numFmt: FORMATS[c.format] } : {} }));
    const addRow = (values: readonly XlsxValue[]) => {
      const row = sheet.addRow([...values]);
      row.eachCell(textCell);
      return row;
    };
    for (const line of preamble) addRow([line]).commit();
    const header = addRow(table.columns.map((c) => c.header));
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
    header.commit();
    for await (const row of table.rows) addRow(row).commit();
    await sheet.commit();
    if (table.notes) {
      const notes = workbook.addWorksheet(table.notes.sheetName);
      notes.columns = [{ width: 24 }, { width: 100 }];
      for (const line of table.notes.lines) {
        const row = notes.addRow([...line]);
        row.eachCell(textCell);
        row.commit();
      }
      await notes.commit();
    }
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
