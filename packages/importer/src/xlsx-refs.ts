/**
 * Worksheets whose rows and cells carry no `r` reference (the format allows it; some generators on data
 * platforms write them that way). exceljs needs the references, so they are filled in as the XML streams
 * by: a row without `r` is the one after the previous row, a cell without `r` the one after the previous
 * cell. Whether a sheet needs this is decided by its first row; sheets that have references pass through
 * untouched.
 */
import { columnLetter } from './rows';

const REF = /\sr\s*=\s*["']([A-Za-z]*)(\d*)["']/u;
const ROW_OR_CELL = /<(row|c)(?=[\s/>])([^>]*)>/gu;
const FIRST_ROW = /<row(?=[\s/>])[^>]*>/u;
/** A sheet whose first MiB holds no row tag is passed through as it is. */
const DETECT_CHARS = 1024 * 1024;

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export async function* withCellRefs(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let mode: 'detect' | 'pass' | 'fix' = 'detect';
  let pending = '';
  let row = 0;
  let col = -1;
  const fix = (text: string) =>
    text.replace(ROW_OR_CELL, (tag, name: string, attrs: string) => {
      const ref = REF.exec(attrs);
      if (name === 'row') {
        row = ref?.[2] ? Number(ref[2]) : row + 1;
        col = -1;
        return ref ? tag : `<row r="${row}"${attrs}>`;
      }
      col = ref?.[1] ? columnIndex(ref[1]) : col + 1;
      return ref ? tag : `<c r="${columnLetter(col)}${row}"${attrs}>`;
    });
  for await (const chunk of chunks) {
    if (mode === 'pass') {
      yield chunk;
      continue;
    }
    pending += chunk;
    if (mode === 'detect') {
      const first = FIRST_ROW.exec(pending);
      if (!first && pending.length < DETECT_CHARS) continue;
      mode = !first || REF.test(first[0]) ? 'pass' : 'fix';
      if (mode === 'pass') {
        yield pending;
        pending = '';
        continue;
      }
    }
    const cut = pending.lastIndexOf('>') + 1;
    if (cut > 0) {
      yield fix(pending.slice(0, cut));
      pending = pending.slice(cut);
    }
  }
  if (pending) yield mode === 'fix' ? fix(pending) : pending;
}
