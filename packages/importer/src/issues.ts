/**
 * Every problem the importer finds is an UploadIssue: where it is (the row as Excel numbers it, the header
 * as written in the file), the value, a SCREAMING_SNAKE code, and a message in English and in Chinese.
 */
import type { UploadIssue } from '@vbp/contracts/uploads';

/** What a cell parser says is wrong, before the importer knows the row and the column. */
export interface CellProblem {
  code: string;
  /** Completes "the value "x" …", e.g. "is not a valid number". */
  en: string;
  /** Completes 的值“x”…, e.g. 不是有效数字. */
  zh: string;
}

/** Values in messages are shortened so one 10,000-character cell does not flood the report. */
const SHOWN_CHARS = 80;

export function showValue(value: string): string {
  return value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
}

/** A problem with the whole file (not one row). */
export function fileIssue(code: string, message: string, messageZh: string): UploadIssue {
  return { row: null, column: null, value: null, code, message, messageZh };
}

/** A problem with one row as a whole. */
export function rowIssue(row: number, code: string, message: string, messageZh: string): UploadIssue {
  return { row, column: null, value: null, code, message: `Row ${row}: ${message}`, messageZh: `第 ${row} 行${messageZh}` };
}

/** 「第 12 行“中选价格”列的值“约5元”不是有效数字」 */
export function cellIssue(row: number, column: string, value: string, problem: CellProblem): UploadIssue {
  const shown = showValue(value);
  return {
    row,
    column,
    value: shown,
    code: problem.code,
    message: `Row ${row}, column "${column}": the value "${shown}" ${problem.en}`,
    messageZh: `第 ${row} 行“${column}”列的值“${shown}”${problem.zh}`,
  };
}

/** 「第 12 行“通用名”列不能为空」 */
export function missingValueIssue(row: number, column: string): UploadIssue {
  return {
    row,
    column,
    value: null,
    code: 'REQUIRED_VALUE_MISSING',
    message: `Row ${row}, column "${column}": a value is required`,
    messageZh: `第 ${row} 行“${column}”列不能为空`,
  };
}

/** Thrown by the readers for problems that stop the whole file; parseUpload turns it into an issue. */
export class ImportError extends Error {
  readonly issue: UploadIssue;
  constructor(issue: UploadIssue) {
    super(issue.message);
    this.name = 'ImportError';
    this.issue = issue;
  }
}

export function fail(code: string, message: string, messageZh: string): never {
  throw new ImportError(fileIssue(code, message, messageZh));
}

/** Bytes as the clerk reads them: 1.5 GiB, 12 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
