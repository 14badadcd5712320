/**
 * A small, strict RFC 4180 CSV reader for the reference data files (no dependency needed for ~20 small
 * files). Fields are separated by commas and records by CRLF or LF; a field that starts with a double
 * quote runs to the next lone double quote, may hold commas and line breaks, and writes a quote as `""`.
 * Being strict is the point: a quote inside an unquoted field or text after a closing quote is an error,
 * never silently repaired. A UTF-8 byte-order mark is dropped; blank lines are skipped.
 */

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvRecord {
  fields: string[];
  /** The line the record starts on (1-based). */
  line: number;
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // true once the current field has been started by a quote and closed again
  let closedQuote = false;
  let fieldStarted = false;

  const endField = () => {
    fields.push(field);
    field = '';
    closedQuote = false;
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    // a blank line reads as one empty field: skip it
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
  };

  while (i < input.length) {
    const c = input[i];
    if (c === '"') {
      if (fieldStarted || closedQuote) throw new CsvSyntaxError('a double quote inside an unquoted field (quote the whole field and write the quote as "")', line);
      // quoted field: read to the closing quote
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= input.length) throw new CsvSyntaxError('a quoted field opened here is not closed', openedOn);
        const q = input[i];
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      closedQuote = true;
      continue;
    }
    if (c === ',') {
      endField();
      i++;
      fieldStarted = false;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (closedQuote) throw new CsvSyntaxError(`text after a closing quote (${JSON.stringify(c)})`, line);
    field += c;
    fieldStarted = true;
    i++;
  }
  // the last record, when the file does not end with a line break
  if (field !== '' || fields.length > 0 || closedQuote) endRecord();
  return records;
}
