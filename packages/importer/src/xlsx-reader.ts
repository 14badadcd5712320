/**
 * XLSX rows, streamed. exceljs's streaming WorkbookReader does the XML (shared strings, styles, the SAX
 * walk over a worksheet, one row at a time); the zip entries are fed to it from our own zip reader rather
 * than from its sequential unzip, because:
 * - a sheet can be read, or peeked at, without inflating the sheets before it;
 * - exceljs spills worksheets to temporary files when they come before the shared strings (as in the
 *   files exceljs itself writes), and skipping such a sheet crashes the process (its temp file is deleted
 *   before the stream it opened on it reads it: an unhandled ENOENT);
 * - each entry is cut off once it inflates beyond the size the central directory declared.
 * Formulas are read as the result the file saved, never evaluated. Styles are cached so date-formatted
 * cells arrive as Dates. The shared-strings table is held in memory (its size is capped by the zip check).
 * Two kinds of cell exceljs 4.4.0 misreads (inline rich text, ISO 8601 dates) are rewritten in the sheet's
 * XML before it parses it: see xlsx-sheet-xml.ts.
 */
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RawCell } from './cells';
import { tooManyRows } from './csv-reader';
import { fail, fileIssue, ImportError } from './issues';
import type { ImportLimits } from './limits';
import type { RawRow } from './rows';
import type { SheetInfo } from './workbook';
import { withCellRefs } from './xlsx-refs';
import { rewriteMisreadCells } from './xlsx-sheet-xml';
import { SAVE_AS_XLSX_ZH } from './zip-check';
import { entryDataOffset, openByteSource, readZipDirectory, streamZipEntry, type ZipEntry } from './zip';

export interface XlsxReadState {
  date1904: boolean;
}

const BATCH_ROWS = 2_000;

/** The parts of exceljs's WorkbookReader used here (its per-part parsers, fed one entry stream each). */
interface WorkbookInternals {
  properties?: { model?: { date1904?: boolean } };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

/** A workbook with its shared strings and styles loaded, whose sheets can be streamed one by one. */
export class XlsxWorkbook {
  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, { entry: ZipEntry; offset: number }>,
    private readonly reader: WorkbookInternals,
  ) {}

  static async open(path: string): Promise<XlsxWorkbook> {
    const source = await openByteSource(path);
    const entries = new Map<string, { entry: ZipEntry; offset: number }>();
    try {
      const { entries: list } = await readZipDirectory(source, Number.MAX_SAFE_INTEGER);
      for (const entry of list) entries.set(entry.name, { entry, offset: await entryDataOffset(source, entry) });
    } finally {
      await source.close();
    }
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as WorkbookInternals;
    const book = new XlsxWorkbook(path, entries, reader);
    const rels = book.stream('xl/_rels/workbook.xml.rels');
    if (rels) await reader._parseRels(rels);
    const workbook = book.stream('xl/workbook.xml');
    if (!workbook) fail('NOT_XLSX', 'The file is not an Excel workbook', `文件不是 Excel 工作簿；${SAVE_AS_XLSX_ZH}`);
    await reader._parseWorkbook(workbook);
    const strings = book.stream('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
    const styles = book.stream('xl/styles.xml');
    if (styles) await reader._parseStyles(styles);
    return book;
  }

  get date1904(): boolean {
    return this.reader.properties?.model?.date1904 === true;
  }

  private stream(name: string): Readable | null {
    const found = this.entries.get(name);
    if (!found) return null;
    return streamZipEntry(this.path, found.entry, found.offset, () =>
      new ImportError(fileIssue('ZIP_CORRUPT', `The workbook part ${name} is larger than its zip directory says`, `工作簿内部文件 ${name} 的实际大小与目录不符，疑似被篡改；${SAVE_AS_XLSX_ZH}`)),
    );
  }

  /** The rows of one sheet; stopping early (break) stops reading the file. */
  async *rows(sheet: SheetInfo, index: number, limits: ImportLimits): AsyncGenerator<ExcelJS.Row> {
    const part = sheet.part || `xl/worksheets/sheet${index + 1}.xml`;
    const stream = this.stream(part);
    if (!stream) sheetUnreadable(sheet.name);
    try {
      const sheetNo = /(\d+)\.xml$/u.exec(part)?.[1] ?? String(index + 1);
      // workaround for exceljs 4.4.0 (multi-run inline strings, t="d" cells): remove with xlsx-sheet-xml.ts
      const xml = withCellRefs(rewriteMisreadCells(stream, limits.maxCellChars));
      const event = [...this.reader._parseWorksheet(xml, sheetNo)][0];
      if (!event) sheetUnreadable(sheet.name);
      yield* event.value;
    } finally {
      stream.destroy();
    }
  }
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

/** `fallbackNumber`: for rows written without their `r` attribute (allowed; some generators omit it). */
function toRawRow(row: ExcelJS.Row, limits: ImportLimits, fallbackNumber: number): RawRow {
  const rowNumber = Number.isInteger(row.number) && row.number > 0 ? row.number : fallbackNumber;
  // a row element without cells (Excel writes one for a row with only a height or a style) has no values
  const values = (row.values ?? []) as unknown[];
  let count = Math.max(0, values.length - 1);
  while (count > 0 && (values[count] === null || values[count] === undefined || values[count] === '')) count--;
  const kept = Math.min(count, limits.maxCellsPerRow);
  const cells: RawCell[] = new Array(kept);
  for (let c = 0; c < kept; c++) cells[c] = toRawCell(values[c + 1]);
  return count > limits.maxCellsPerRow ? { rowNumber, cells, cellCount: count } : { rowNumber, cells };
}

/** The rows of one sheet, in batches. */
export async function* readXlsxBatches(path: string, sheets: SheetInfo[], sheet: string, limits: ImportLimits, state: XlsxReadState): AsyncGenerator<RawRow[]> {
  const index = sheets.findIndex((s) => s.name === sheet);
  if (index < 0) sheetUnreadable(sheet);
  const workbook = await XlsxWorkbook.open(path);
  state.date1904 = workbook.date1904;
  let batch: RawRow[] = [];
  let read = 0;
  let last = 0;
  for await (const row of workbook.rows(sheets[index]!, index, limits)) {
    if (++read > limits.maxRows) tooManyRows(limits.maxRows);
    const raw = toRawRow(row, limits, last + 1);
    last = raw.rowNumber;
    batch.push(raw);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The first `rowsPerSheet` rows of every worksheet (to choose the sheet whose header matches best). */
export async function peekXlsxSheets(path: string, sheets: SheetInfo[], limits: ImportLimits, rowsPerSheet: number): Promise<Map<string, RawRow[]>> {
  const workbook = await XlsxWorkbook.open(path);
  const peeked = new Map<string, RawRow[]>();
  for (const [index, sheet] of sheets.entries()) {
    const rows: RawRow[] = [];
    for await (const row of workbook.rows(sheet, index, limits)) {
      rows.push(toRawRow(row, limits, (rows.at(-1)?.rowNumber ?? 0) + 1));
      if (rows.length >= rowsPerSheet) break;
    }
    peeked.set(sheet.name, rows);
  }
  return peeked;
}

export function sheetUnreadable(sheet: string): never {
  fail('SHEET_UNREADABLE', `The sheet "${sheet}" could not be read`, `无法读取工作表“${sheet}”`);
}
