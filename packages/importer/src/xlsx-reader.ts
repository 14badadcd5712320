/**
 * XLSX rows, streamed with exceljs's WorkbookReader (SAX over the zip, one row at a time). Formulas are
 * read as the result the file saved, never evaluated. Styles are cached so date-formatted cells arrive as
 * Dates. The shared-strings table is held in memory (its size is capped by the zip check); rows are not.
 */
import ExcelJS from 'exceljs';
import type { RawCell } from './cells';
import { tooManyRows } from './csv-reader';
import { fail } from './issues';
import type { ImportLimits } from './limits';
import type { RawRow } from './rows';

export interface XlsxReadState {
  date1904: boolean;
}

const BATCH_ROWS = 2_000;

interface StreamedWorksheet extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

interface StreamedWorkbook extends AsyncIterable<StreamedWorksheet> {
  properties?: { model?: { date1904?: boolean } };
  stream?: { destroy(): void };
}

function openWorkbook(path: string): StreamedWorkbook {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  return reader as unknown as StreamedWorkbook;
}

/** What an exceljs cell value becomes: the cached result of a formula, the text of rich text and links. */
export function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? { error: '#VALUE!' } : value;
  if (typeof value !== 'object' || value instanceof Date) return value as RawCell;
  const v = value as Record<string, unknown>;
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) return { formula: String(v.formula ?? v.sharedFormula ?? '') };
    return toRawCell(result);
  }
  if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => String(r.text ?? '')).join('');
  if ('error' in v) return { error: String(v.error) };
  if ('text' in v) return toRawCell(v.text);
  return null;
}

function toRawRow(row: ExcelJS.Row, limits: ImportLimits): RawRow {
  const values = row.values as unknown[];
  let count = values.length - 1;
  while (count > 0 && (values[count] === null || values[count] === undefined || values[count] === '')) count--;
  const kept = Math.min(count, limits.maxCellsPerRow);
  const cells: RawCell[] = new Array(kept);
  for (let c = 0; c < kept; c++) cells[c] = toRawCell(values[c + 1]);
  return count > limits.maxCellsPerRow ? { rowNumber: row.number, cells, cellCount: count } : { rowNumber: row.number, cells };
}

/** The rows of one sheet, in batches; `maxRows` stops early (for a preview of the top of each sheet). */
export async function* readXlsxBatches(path: string, sheet: string, limits: ImportLimits, state: XlsxReadState): AsyncGenerator<RawRow[]> {
  const workbook = openWorkbook(path);
  let found = false;
  try {
    for await (const worksheet of workbook) {
      if (worksheet.name !== sheet) continue;
      found = true;
      state.date1904 = workbook.properties?.model?.date1904 === true;
      let batch: RawRow[] = [];
      let read = 0;
      for await (const row of worksheet) {
        if (++read > limits.maxRows) tooManyRows(limits.maxRows);
        batch.push(toRawRow(row, limits));
        if (batch.length >= BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break;
    }
  } finally {
    workbook.stream?.destroy();
  }
  if (!found) sheetUnreadable(sheet);
}

/** The first `rowsPerSheet` rows of every worksheet (to choose the sheet whose header matches best). */
export async function peekXlsxSheets(path: string, limits: ImportLimits, rowsPerSheet: number): Promise<Map<string, RawRow[]>> {
  const workbook = openWorkbook(path);
  const peeked = new Map<string, RawRow[]>();
  try {
    for await (const worksheet of workbook) {
      const rows: RawRow[] = [];
      for await (const row of worksheet) {
        rows.push(toRawRow(row, limits));
        if (rows.length >= rowsPerSheet) break;
      }
      peeked.set(worksheet.name, rows);
    }
  } finally {
    workbook.stream?.destroy();
  }
  return peeked;
}

export function sheetUnreadable(sheet: string): never {
  fail('SHEET_UNREADABLE', `The sheet "${sheet}" could not be read`, `无法读取工作表“${sheet}”`);
}
