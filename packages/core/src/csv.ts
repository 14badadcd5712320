/**
 * CSV for exports that people open in Excel/WPS: UTF-8 with a BOM (so Chinese is not garbled), CRLF
 * lines, RFC 4180 quoting, and formula injection neutralised — a cell that starts with = + - @ (or a tab
 * or carriage return) is prefixed with an apostrophe so the spreadsheet shows it as text, never runs it.
 */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
