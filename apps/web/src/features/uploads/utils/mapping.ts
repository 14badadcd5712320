/**
 * The mapping editor's state: one row per header of the file, each set to a column of the upload's kind
 * or to "ignore". The API takes the result as `mapping` (file header → column key) on reprocess and
 * upload; an ignored header is sent with an empty key, so it is ignored explicitly rather than matched
 * again by its name.
 */
import type { ColumnSpec } from '@vbp/contracts/uploads';
import type { Lang } from '../../../lib/i18n/types';

/** The column key of an ignored header in the mapping sent to the API. */
export const IGNORE = '';

export interface MappingRow {
  header: string;
  /** A column key of the kind, or IGNORE. */
  key: string;
}

type Column = Pick<ColumnSpec, 'key' | 'required'>;

/** A column's name in the reader's language. */
export function columnLabel(column: Pick<ColumnSpec, 'labelZh' | 'labelEn'>, lang: Lang): string {
  return lang === 'zh' ? column.labelZh : column.labelEn;
}

/** Names run together as each language writes a list: 通用名、规格 / generic name, strength. */
export function joinNames(names: readonly string[], lang: Lang): string {
  return names.join(lang === 'zh' ? '、' : ', ');
}

/**
 * Rows for the editor from the upload's mapping, in the file's order (the API keeps it). A key the kind
 * does not have (an unmatched header, however the API marks it) becomes IGNORE.
 */
export function mappingRows(mapping: Record<string, string> | null | undefined, columns: readonly Column[]): MappingRow[] {
  const known = new Set(columns.map((c) => c.key));
  return Object.entries(mapping ?? {}).map(([header, key]) => ({ header, key: known.has(key) ? key : IGNORE }));
}

/** The mapping JSON for the API: every header, ignored ones with an empty key. */
export function rowsToMapping(rows: readonly MappingRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) out[row.header] = row.key;
  return out;
}

export function setRowKey(rows: readonly MappingRow[], header: string, key: string): MappingRow[] {
  return rows.map((r) => (r.header === header ? { ...r, key } : r));
}

/** Required columns no header is mapped to. */
export function missingRequired<C extends Column>(rows: readonly MappingRow[], columns: readonly C[]): C[] {
  const used = new Set(rows.map((r) => r.key));
  return columns.filter((c) => c.required && !used.has(c.key));
}

/** Columns chosen for more than one header: column key → the headers, in the file's order. */
export function duplicateColumns(rows: readonly MappingRow[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const r of rows) {
    if (r.key === IGNORE) continue;
    byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.header]);
  }
  return new Map([...byKey].filter(([, headers]) => headers.length > 1));
}

/** The rows differ from what the upload was last read with. */
export function isMappingChanged(rows: readonly MappingRow[], original: readonly MappingRow[]): boolean {
  if (rows.length !== original.length) return true;
  const before = new Map(original.map((r) => [r.header, r.key]));
  return rows.some((r) => before.get(r.header) !== r.key);
}

/** May the clerk send these rows to be checked again? Not while a column is chosen twice. */
export function canSubmitMapping(rows: readonly MappingRow[]): boolean {
  return duplicateColumns(rows).size === 0;
}

/** The form headers are compared in here: trimmed, inner whitespace collapsed (the API also ignores case and width). */
function sameHeader(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/gu, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

export function hasHeader(rows: readonly MappingRow[], header: string): boolean {
  return rows.some((r) => sameHeader(r.header, header));
}

/**
 * Adds a header the clerk typed (one the report did not list) with its column; the rows unchanged when
 * it is blank or listed already.
 */
export function addHeader(rows: readonly MappingRow[], header: string, key: string): MappingRow[] {
  const h = header.replace(/\s+/gu, ' ').trim();
  if (!h || hasHeader(rows, h)) return [...rows];
  return [...rows, { header: h, key }];
}
