/**
 * Typed access to the rows of one reference CSV. Every failure names the file, the row (the header is
 * row 1, as a spreadsheet numbers it), the column and the value, so a bad edit is found at once.
 */
import { isIsoDate } from '@vbp/contracts/dates';
import type { DatePrecision } from '@vbp/contracts/enums';
import { CsvSyntaxError, parseCsv } from './csv';

export class ReferenceDataError extends Error {
  constructor(
    readonly file: string,
    readonly row: number | undefined,
    readonly column: string | undefined,
    readonly value: string | undefined,
    problem: string,
  ) {
    const where = [file, row === undefined ? undefined : `row ${row}`, column === undefined ? undefined : `column ${column}`]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${problem}${value === undefined ? '' : ` (value ${JSON.stringify(value)})`}`);
    this.name = 'ReferenceDataError';
  }
}

/** A date as published: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, stored as its first day with the precision. */
export interface PartialDate {
  on: string;
  precision: DatePrecision;
}

export class Row {
  constructor(
    readonly file: string,
    /** Spreadsheet row number: the header is row 1. */
    readonly row: number,
    private readonly values: ReadonlyMap<string, string>,
  ) {}

  fail(column: string | undefined, problem: string, value?: string): never {
    throw new ReferenceDataError(this.file, this.row, column, value, problem);
  }

  /** The trimmed cell; '' when empty. */
  raw(column: string): string {
    const v = this.values.get(column);
    if (v === undefined) throw new ReferenceDataError(this.file, this.row, column, undefined, 'no such column');
    return v.trim();
  }

  text(column: string): string {
    const v = this.raw(column);
    if (v === '') this.fail(column, 'a value is required', v);
    return v;
  }

  optionalText(column: string): string | null {
    const v = this.raw(column);
    return v === '' ? null : v;
  }

  oneOf<T extends string>(column: string, allowed: readonly T[]): T {
    const v = this.raw(column);
    if (!(allowed as readonly string[]).includes(v)) this.fail(column, `must be one of ${allowed.join(' / ')}`, v);
    return v as T;
  }

  optionalOneOf<T extends string>(column: string, allowed: readonly T[]): T | null {
    return this.raw(column) === '' ? null : this.oneOf(column, allowed);
  }

  integer(column: string, min = 0): number {
    const v = this.raw(column);
    if (!/^-?\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      this.fail(column, `must be a whole number ≥ ${min}`, v);
    }
    return Number(v);
  }

  optionalInteger(column: string, min = 0): number | null {
    return this.raw(column) === '' ? null : this.integer(column, min);
  }

  /** A plain decimal, returned as written (numeric columns take strings, so nothing is lost to floats). */
  decimal(column: string): string {
    const v = this.raw(column);
    if (!/^-?\d+(\.\d+)?$/.test(v)) this.fail(column, 'must be a decimal number such as 0.383', v);
    return v;
  }

  optionalDecimal(column: string): string | null {
    return this.raw(column) === '' ? null : this.decimal(column);
  }

  boolean(column: string): boolean {
    const v = this.raw(column);
    if (v === 'true') return true;
    if (v === 'false') return false;
    return this.fail(column, 'must be true or false', v);
  }

  optionalBoolean(column: string): boolean | null {
    return this.raw(column) === '' ? null : this.boolean(column);
  }

  date(column: string): string {
    const v = this.raw(column);
    if (!isIsoDate(v)) this.fail(column, 'must be a calendar date YYYY-MM-DD', v);
    return v;
  }

  optionalDate(column: string): string | null {
    return this.raw(column) === '' ? null : this.date(column);
  }

  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY` → the first day and the precision; '' → null. */
  partialDate(column: string): PartialDate | null {
    const v = this.raw(column);
    if (v === '') return null;
    const parsed = parsePartialDate(v);
    if (!parsed) this.fail(column, 'must be a date YYYY-MM-DD, YYYY-MM or YYYY', v);
    return parsed;
  }

  /** A `;`-separated list; empty items are refused. */
  list(column: string): string[] {
    const v = this.raw(column);
    if (v === '') return [];
    const items = v.split(';').map((s) => s.trim());
    if (items.some((s) => s === '')) this.fail(column, 'an empty item in a ;-separated list', v);
    return items;
  }
}

export function parsePartialDate(value: string): PartialDate | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isIsoDate(value) ? { on: value, precision: 'day' } : null;
  if (/^\d{4}-\d{2}$/.test(value)) {
    const on = `${value}-01`;
    return isIsoDate(on) ? { on, precision: 'month' } : null;
  }
  if (/^\d{4}$/.test(value)) return { on: `${value}-01-01`, precision: 'year' };
  return null;
}

export interface Table {
  file: string;
  columns: readonly string[];
  rows: Row[];
}

/** Parses a file and checks that its header holds exactly the expected columns (in any order). */
export function readTable(file: string, text: string, expectedColumns: readonly string[]): Table {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new ReferenceDataError(file, undefined, undefined, undefined, `malformed CSV at ${error.message}`);
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new ReferenceDataError(file, undefined, undefined, undefined, 'the file is empty (no header)');
  const columns = header.fields.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new ReferenceDataError(file, 1, c, c, 'a column appears twice in the header');
    seen.add(c);
  }
  const missing = expectedColumns.filter((c) => !seen.has(c));
  const unexpected = columns.filter((c) => !expectedColumns.includes(c));
  if (missing.length || unexpected.length) {
    throw new ReferenceDataError(
      file,
      1,
      undefined,
      columns.join(','),
      `the header does not match: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
    );
  }
  const rows = body.map((record, index) => {
    const rowNumber = index + 2;
    if (record.fields.length !== columns.length) {
      throw new ReferenceDataError(
        file,
        rowNumber,
        undefined,
        record.fields.join(','),
        `has ${record.fields.length} fields where the header has ${columns.length}`,
      );
    }
    return new Row(file, rowNumber, new Map(columns.map((c, i) => [c, record.fields[i] ?? ''])));
  });
  return { file, columns, rows };
}
