import type { UploadIssue } from '@vbp/contracts/uploads';

/** A problem with one cell found while resolving references (unknown institution, product, batch …). */
export function referenceIssue(row: number, column: string, value: unknown, code: string, en: string, zh: string): UploadIssue {
  const shown = value === null || value === undefined ? '' : String(value).slice(0, 80);
  return {
    row,
    column,
    value: shown,
    code,
    message: `Row ${row}, column "${column}": "${shown}" ${en}`,
    messageZh: `第 ${row} 行“${column}”列的值“${shown}”${zh}`,
  };
}

export function rowProblem(row: number, code: string, en: string, zh: string): UploadIssue {
  return { row, column: null, value: null, code, message: `Row ${row}: ${en}`, messageZh: `第 ${row} 行${zh}` };
}

export const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
