/**
 * The importer's entry point: an uploaded file → typed rows, every problem as an UploadIssue, a summary.
 *
 * parseUpload streams: rows come out in batches as the file is read, so a 1,000,000-row CSV passes with
 * memory bounded by one batch (the caller consumes a batch before the next is read). A fatal problem
 * (zip bomb, too many rows, missing required column …) ends the stream with `summary.fatal` set; rows
 * already yielded must then be discarded by the caller. collectUpload gathers everything, for small files.
 */
import { UPLOAD_COLUMNS, type UploadIssue, type UploadKind } from '@vbp/contracts/uploads';
import { findHeaderRow, matchHeaders, type HeaderMatch } from './headers';
import { fileIssue, ImportError } from './issues';
import { resolveLimits, type ImportLimits } from './limits';
import { openRowSource, type UploadSource } from './read';
import { RowProcessor, type RowSink } from './row-processor';
import { isBlankRow, type RawRow } from './rows';
import type { HeaderInfo, NotSelectedRow, ParsedRow, ParseEvent, ParseOptions, ParseSummary, RowValues } from './types';
import type { SheetInfo } from './workbook';
import { peekXlsxSheets } from './xlsx-reader';

/** Header rows are looked for among the first rows holding anything. */
export const HEADER_SCAN_ROWS = 30;

async function chooseSheet(path: string, sheets: SheetInfo[], kind: UploadKind, mapping: Record<string, string> | undefined, limits: ImportLimits): Promise<string | null> {
  if (sheets.length === 1) return sheets[0]!.name;
  const peeked = await peekXlsxSheets(path, sheets, limits, HEADER_SCAN_ROWS);
  let best: { name: string; score: number; hidden: boolean } | null = null;
  for (const sheet of sheets) {
    const rows = peeked.get(sheet.name);
    const score = rows ? (findHeaderRow(rows.map((r) => r.cells), kind, mapping)?.score ?? 0) : 0;
    const better = !best || score > best.score || (score === best.score && best.hidden && !sheet.hidden);
    if (better) best = { name: sheet.name, score, hidden: sheet.hidden };
  }
  return best?.name ?? null;
}

function headerProblems(match: HeaderMatch, headerRow: number): UploadIssue[] {
  const issues: UploadIssue[] = [];
  for (const { headers } of match.duplicates) {
    issues.push({
      ...fileIssue('DUPLICATE_HEADER', `The header "${headers[0]}" appears ${headers.length} times: rename or delete the extra column`, `表头“${headers[0]}”出现了 ${headers.length} 次：请重命名或删除多余的列`),
      row: headerRow,
      column: headers[0] ?? null,
    });
  }
  for (const spec of match.missingRequired) {
    const accepted = spec.aliases.slice(0, 6).join('、');
    issues.push({
      ...fileIssue(
        'REQUIRED_COLUMN_MISSING',
        `The required column "${spec.labelZh}" (${spec.labelEn}) was not found in row ${headerRow}; accepted headers include ${spec.aliases.slice(0, 6).join(', ')}. Rename the column or map it by hand`,
        `第 ${headerRow} 行表头中没有必填列“${spec.labelZh}”（可用的表头写法：${accepted}）；请修改表头或手动指定对应关系`,
      ),
      row: headerRow,
      column: spec.labelZh,
    });
  }
  return issues;
}

function emptySummary(): ParseSummary {
  return {
    fileType: null,
    sheet: null,
    sheets: [],
    encoding: null,
    headerRow: null,
    mapping: {},
    unmatchedHeaders: [],
    counts: { rows: 0, valid: 0, invalid: 0, skipped: 0, notSelected: 0 },
    errorCount: 0,
    warningCount: 0,
    notices: [],
    moreNotices: 0,
    fatal: null,
  };
}

type Batch<K extends UploadKind> = Extract<ParseEvent<K>, { type: 'batch' }>;

export async function* parseUpload<K extends UploadKind>(source: UploadSource, kind: K, options: ParseOptions = {}): AsyncGenerator<ParseEvent<K>, void, undefined> {
  const limits = resolveLimits(options.limits);
  const summary = emptySummary();
  const { counts } = summary;
  let rowsRead = 0;
  let iterator: AsyncIterator<RawRow[]> | null = null;
  const emit = (sink: RowSink): Batch<K> => {
    summary.errorCount += sink.errors.length;
    summary.warningCount += sink.warnings.length;
    return {
      type: 'batch',
      rows: sink.rows as unknown as ParsedRow<RowValues<K>>[],
      notSelected: sink.notSelected as unknown as ParsedRow<NotSelectedRow<K>>[],
      errors: sink.errors,
      warnings: sink.warnings,
    };
  };
  const newSink = (): RowSink => ({ rows: [], notSelected: [], errors: [], warnings: [] });

  let opened: Awaited<ReturnType<typeof openRowSource>> | null = null;
  const encodingWarning = (): UploadIssue[] =>
    opened?.replacementSeen()
      ? [
          fileIssue(
            'ENCODING_REPLACEMENT',
            `Some characters could not be decoded as ${String(opened.encoding)}: choose the file's encoding (UTF-8 or GBK) and check the preview`,
            `部分字符无法按 ${String(opened.encoding)} 解码：请选择正确的文件编码（UTF-8 或 GBK）并检查预览`,
          ),
        ]
      : [];
  try {
    const invalidMapping = Object.entries(options.mapping ?? {}).filter(([, key]) => key !== '' && !UPLOAD_COLUMNS[kind].some((s) => s.key === key));
    if (invalidMapping.length > 0) {
      const [header, key] = invalidMapping[0]!;
      throw new ImportError(fileIssue('INVALID_MAPPING', `The mapping sends "${header}" to "${key}", which is not a column of this upload`, `列对应关系把“${header}”对应到了不存在的字段“${key}”`));
    }
    opened = await openRowSource(source, {
      ...options,
      limits,
      chooseSheet: (sheets) => chooseSheet(source.path, sheets, kind, options.mapping, limits),
    });
    summary.fileType = opened.fileType;
    summary.sheet = opened.sheet;
    summary.sheets = opened.sheets.map((s) => s.name);
    summary.encoding = opened.encoding;

    // The top of the file: enough rows to find the header in.
    iterator = opened.batches[Symbol.asyncIterator]();
    const head: RawRow[] = [];
    let leftover: RawRow[] = [];
    let nonBlank = 0;
    let exhausted = false;
    while (nonBlank < HEADER_SCAN_ROWS) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      rowsRead += next.value.length;
      let i = 0;
      for (; i < next.value.length && nonBlank < HEADER_SCAN_ROWS; i++) {
        head.push(next.value[i]!);
        if (!isBlankRow(next.value[i]!.cells)) nonBlank++;
      }
      leftover = next.value.slice(i);
    }
    if (nonBlank === 0) throw new ImportError(fileIssue('EMPTY_FILE', 'The file has no content', '文件中没有内容'));

    const found = findHeaderRow(head.map((r) => r.cells), kind, options.mapping);
    if (!found) {
      const expected = UPLOAD_COLUMNS[kind].filter((s) => s.required).map((s) => s.labelZh);
      throw new ImportError(
        fileIssue(
          'HEADER_NOT_FOUND',
          `No header row was found in the first ${HEADER_SCAN_ROWS} rows: expected columns such as ${expected.join(', ')}. Check the sheet and the upload type, or map the columns by hand`,
          `前 ${HEADER_SCAN_ROWS} 行中找不到表头：应包含“${expected.join('”“')}”等列。请检查工作表和上传类型，或手动指定列的对应关系`,
        ),
      );
    }
    const headerRow = head[found.index]!.rowNumber;
    summary.headerRow = headerRow;
    const match = matchHeaders(found.cells, kind, options.mapping);
    summary.mapping = Object.fromEntries(match.columns.map((c) => [c.header, c.key]));
    summary.unmatchedHeaders = match.unmatched;
    const problems = headerProblems(match, headerRow);
    if (problems.length > 0) {
      summary.fatal = problems[0]!;
      yield emit({ ...newSink(), errors: problems, warnings: encodingWarning() });
      yield { type: 'end', summary };
      return;
    }
    const header: HeaderInfo = {
      fileType: opened.fileType,
      sheet: opened.sheet,
      sheets: summary.sheets,
      encoding: opened.encoding,
      headerRow,
      mapping: summary.mapping,
      unmatchedHeaders: match.unmatched,
    };
    yield { type: 'header', header };

    const processor = new RowProcessor(kind, match.columns, limits);
    processor.setDate1904(opened.date1904());
    const run = (rows: readonly RawRow[], sink: RowSink) => {
      for (const row of rows) {
        counts.rows++;
        counts[processor.process(row, sink)]++;
      }
    };
    let sink = newSink();
    run(head.slice(found.index + 1), sink);
    run(leftover, sink);
    head.length = 0;
    leftover = [];
    if (!exhausted) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        rowsRead += next.value.length;
        run(next.value, sink);
        yield emit(sink);
        options.onProgress?.(rowsRead);
        sink = newSink();
      }
    }
    sink.warnings.push(...processor.finish(), ...encodingWarning());
    summary.notices = processor.notices;
    summary.moreNotices = processor.moreNotices;
    if (counts.rows - counts.skipped === 0) {
      const issue = fileIssue('NO_DATA_ROWS', `The file has a header row (row ${headerRow}) but no data rows`, `文件只有表头（第 ${headerRow} 行），没有数据行`);
      summary.fatal = issue;
      sink.errors.push(issue);
    }
    yield emit(sink);
    options.onProgress?.(rowsRead);
  } catch (error) {
    const issue =
      error instanceof ImportError
        ? error.issue
        : fileIssue('FILE_UNREADABLE', `The file could not be read (${error instanceof Error ? error.message : String(error)})`, `文件无法读取（${error instanceof Error ? error.message : String(error)}）`);
    summary.fatal = issue;
    yield emit({ ...newSink(), errors: [issue], warnings: encodingWarning() });
  } finally {
    // Closes the file when the stream stopped early (a fatal header problem, or the caller broke off).
    await iterator?.return?.();
  }
  yield { type: 'end', summary };
}

export interface CollectedUpload<K extends UploadKind> {
  header: HeaderInfo | null;
  rows: ParsedRow<RowValues<K>>[];
  notSelected: ParsedRow<NotSelectedRow<K>>[];
  errors: UploadIssue[];
  warnings: UploadIssue[];
  summary: ParseSummary;
}

/** parseUpload gathered into arrays: for small files (templates, previews, tests). */
export async function collectUpload<K extends UploadKind>(source: UploadSource, kind: K, options: ParseOptions = {}): Promise<CollectedUpload<K>> {
  const out: CollectedUpload<K> = { header: null, rows: [], notSelected: [], errors: [], warnings: [], summary: emptySummary() };
  for await (const event of parseUpload(source, kind, options)) {
    if (event.type === 'header') out.header = event.header;
    else if (event.type === 'end') out.summary = event.summary;
    else {
      for (const r of event.rows) out.rows.push(r);
      for (const r of event.notSelected) out.notSelected.push(r);
      for (const e of event.errors) out.errors.push(e);
      for (const w of event.warnings) out.warnings.push(w);
    }
  }
  return out;
}
