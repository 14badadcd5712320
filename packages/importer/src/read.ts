/**
 * Reading an uploaded file as raw rows: what kind of file it is (by extension and magic bytes), the safety
 * check for workbooks, the encoding for CSV, the sheet for XLSX, then rows streamed in batches.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { readCsvBatches, type CsvReadState } from './csv-reader';
import { detectEncoding, type DetectedEncoding, type EncodingOverride } from './encoding';
import { fail, ImportError } from './issues';
import { resolveLimits, type ImportLimits } from './limits';
import type { RawRow } from './rows';
import { listSheetInfo, type SheetInfo } from './workbook';
import { readXlsxBatches, type XlsxReadState } from './xlsx-reader';
import { checkXlsxArchive, isOle2, legacyExcelIssue, SAVE_AS_XLSX_ZH } from './zip-check';

export interface UploadSource {
  /** Where the upload was saved. */
  path: string;
  /** The name the clerk's file had (its extension says what it should be). */
  fileName: string;
}

export type FileType = 'csv' | 'xlsx';

export interface ReadOptions {
  /** XLSX: the sheet to read (default: the first). */
  sheet?: string;
  /** CSV: overrides detection. */
  encoding?: EncodingOverride;
  limits?: Partial<ImportLimits>;
}

const CSV_EXTENSIONS = new Set(['.csv', '.txt', '.tsv']);
const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);
const LEGACY_EXTENSIONS = new Set(['.xls', '.xlt', '.et', '.ett', '.xlsb']);

async function readHead(path: string): Promise<{ head: Buffer; size: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(8, size));
    if (head.length > 0) await handle.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await handle.close();
  }
}

/** The file's type, or an ImportError saying why it cannot be read. */
export async function detectFileType(source: UploadSource): Promise<FileType> {
  const ext = extname(source.fileName).toLowerCase();
  const { head, size } = await readHead(source.path);
  if (size === 0) fail('EMPTY_FILE', 'The file is empty', '文件是空的');
  if (LEGACY_EXTENSIONS.has(ext) || isOle2(head)) throw new ImportError(legacyExcelIssue());
  const isZip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
  if (XLSX_EXTENSIONS.has(ext)) {
    if (!isZip) {
      fail(
        'NOT_XLSX',
        `"${source.fileName}" is named .xlsx but is not an Excel workbook (perhaps a renamed CSV or web page)`,
        `“${source.fileName}”的扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的 CSV 或网页）；${SAVE_AS_XLSX_ZH}`,
      );
    }
    return 'xlsx';
  }
  if (CSV_EXTENSIONS.has(ext)) {
    if (isZip) {
      fail(
        'CSV_IS_ZIP',
        `"${source.fileName}" is named .csv but is a zip archive (perhaps an .xlsx renamed): upload it as .xlsx or save it as CSV`,
        `“${source.fileName}”的扩展名是 .csv，但内容是压缩包（可能是改了扩展名的 .xlsx）：请以 .xlsx 上传或另存为 CSV`,
      );
    }
    return 'csv';
  }
  fail(
    'UNSUPPORTED_FILE_TYPE',
    `"${source.fileName}" is not a supported file: upload an .xlsx workbook or a .csv file`,
    `不支持“${source.fileName}”的文件类型：请上传 .xlsx 工作簿或 .csv 文件`,
  );
}

/** The sheets of a workbook, in tab order (streamed: only the workbook's index is inflated). */
export async function listSheets(path: string): Promise<string[]> {
  return (await listSheetInfo(path)).map((s) => s.name);
}

/** An opened file: what was found, and its rows in batches (the batches can be iterated once). */
export interface RowSource {
  fileType: FileType;
  encoding: DetectedEncoding | EncodingOverride | null;
  sheet: string | null;
  sheets: SheetInfo[];
  batches: AsyncIterable<RawRow[]>;
  /** XLSX: serials count from 1904. Known once rows have been read. */
  date1904(): boolean;
  /** CSV: some bytes could not be decoded in the chosen encoding. */
  replacementSeen(): boolean;
}

/**
 * Opens a file for reading: refuses what cannot be read safely, then streams the rows. For XLSX, `sheet`
 * (or `chooseSheet`, given the sheet list, or the first sheet) says which sheet.
 */
export async function openRowSource(
  source: UploadSource,
  options: ReadOptions & { chooseSheet?: (sheets: SheetInfo[]) => Promise<string | null> } = {},
): Promise<RowSource> {
  const limits = resolveLimits(options.limits);
  const fileType = await detectFileType(source);
  if (fileType === 'csv') {
    const encoding = options.encoding ?? (await detectEncoding(source.path));
    const state: CsvReadState = { replacementSeen: false, delimiter: ',' };
    return {
      fileType,
      encoding,
      sheet: null,
      sheets: [],
      batches: readCsvBatches(source.path, encoding, limits, state),
      date1904: () => false,
      replacementSeen: () => state.replacementSeen,
    };
  }
  const check = await checkXlsxArchive(source.path, limits);
  if (!check.ok) throw new ImportError(check.issue);
  const sheets = await listSheetInfo(source.path);
  if (sheets.length === 0) fail('NO_SHEETS', 'The workbook has no worksheet', '工作簿中没有工作表');
  let sheet = options.sheet ?? null;
  if (sheet !== null && !sheets.some((s) => s.name === sheet)) {
    fail(
      'SHEET_NOT_FOUND',
      `The workbook has no sheet "${sheet}" (it has: ${sheets.map((s) => s.name).join(', ')})`,
      `工作簿中没有名为“${sheet}”的工作表（现有：${sheets.map((s) => s.name).join('、')}）`,
    );
  }
  sheet ??= (options.chooseSheet ? await options.chooseSheet(sheets) : null) ?? sheets[0]!.name;
  const state: XlsxReadState = { date1904: false };
  const chosen = sheet;
  return {
    fileType,
    encoding: null,
    sheet,
    sheets,
    batches: readXlsxBatches(source.path, sheets, chosen, limits, state),
    date1904: () => state.date1904,
    replacementSeen: () => false,
  };
}

/** Raw rows one at a time (convenient for previews; parseUpload reads batches). */
export async function* readRows(source: UploadSource, options: ReadOptions = {}): AsyncGenerator<RawRow> {
  const opened = await openRowSource(source, options);
  for await (const batch of opened.batches) yield* batch;
}
