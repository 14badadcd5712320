/**
 * CSV rows, streamed: the file is read in 1 MiB chunks, decoded by a streaming TextDecoder (so a GB18030
 * character split across chunks is joined), and parsed by papaparse's low-level Parser, which returns the
 * complete records of a chunk and where the unfinished last one starts. Memory holds one chunk plus one
 * unfinished record (capped), whatever the file's size.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { decoderLabel, type DetectedEncoding, type EncodingOverride } from './encoding';
import { fail, formatBytes } from './issues';
import type { ImportLimits } from './limits';
import type { RawRow } from './rows';

const CHUNK_BYTES = 256 * 1024;
/** Text read before the delimiter and line break are guessed. */
const SAMPLE_CHARS = 64 * 1024;

export interface CsvReadState {
  /** The decoder met bytes it could not decode (U+FFFD was substituted): the encoding is probably wrong. */
  replacementSeen: boolean;
  delimiter: string;
}

function guessFormat(sample: string): { delimiter: string; newline: '\r\n' | '\n' | '\r' } {
  const guessed = Papa.parse<string[]>(sample, { preview: 30, delimitersToGuess: [',', '\t', ';', '|'] });
  const delimiter = typeof guessed.meta.delimiter === 'string' && guessed.meta.delimiter ? guessed.meta.delimiter : ',';
  const lf = sample.indexOf('\n');
  const cr = sample.indexOf('\r');
  const newline = cr >= 0 && (lf < 0 || cr < lf) ? (sample[cr + 1] === '\n' ? '\r\n' : '\r') : '\n';
  return { delimiter, newline };
}

function isBlankRecord(record: string[]): boolean {
  return record.length === 1 && record[0] === '';
}

/** Record `record` (0-based) is row record+1, as Excel numbers the rows of an opened CSV. */
export async function* readCsvBatches(
  path: string,
  encoding: DetectedEncoding | EncodingOverride,
  limits: ImportLimits,
  state: CsvReadState,
): AsyncGenerator<RawRow[]> {
  const decoder = new TextDecoder(decoderLabel(encoding));
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  // One unfinished record may not outgrow a full row of full cells (plus quotes and separators).
  const maxPending = limits.maxCellsPerRow * (limits.maxCellChars + 3) + 1024;
  let parser: Papa.Parser | null = null;
  let pending = '';
  let rowNumber = 0;

  const toRows = (records: string[][], last: boolean): RawRow[] => {
    if (last && records.length > 0 && isBlankRecord(records[records.length - 1]!)) records.pop();
    const rows: RawRow[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const cells = records[i]!;
      rowNumber++;
      if (rowNumber > limits.maxRows) tooManyRows(limits.maxRows);
      let count = cells.length;
      while (count > 0 && cells[count - 1] === '') count--;
      if (count !== cells.length) cells.length = count;
      rows[i] = count > limits.maxCellsPerRow ? { rowNumber, cells: cells.slice(0, limits.maxCellsPerRow), cellCount: count } : { rowNumber, cells };
    }
    return rows;
  };

  const feed = (text: string, last: boolean): RawRow[] => {
    if (!state.replacementSeen && text.includes('\uFFFD')) state.replacementSeen = true;
    pending += text;
    if (!parser) {
      if (!last && pending.length < SAMPLE_CHARS) return [];
      const format = guessFormat(pending.slice(0, SAMPLE_CHARS));
      state.delimiter = format.delimiter;
      parser = new Papa.Parser({ delimiter: format.delimiter, newline: format.newline, quoteChar: '"' });
    }
    const result = parser.parse(pending, 0, !last) as { data: string[][]; meta: { cursor: number } };
    pending = last ? '' : pending.slice(result.meta.cursor);
    if (pending.length > maxPending) {
      fail(
        'ROW_TOO_LONG',
        `Row ${rowNumber + 1} is longer than ${formatBytes(maxPending)} (an unclosed quote, or not a CSV file)`,
        `第 ${rowNumber + 1} 行超过 ${formatBytes(maxPending)}（可能有未闭合的引号，或文件不是 CSV）`,
      );
    }
    return toRows(result.data, last);
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const rows = feed(decoder.decode(chunk, { stream: true }), false);
      if (rows.length > 0) yield rows;
    }
    const rows = feed(decoder.decode(), true);
    if (rows.length > 0) yield rows;
  } finally {
    stream.destroy();
  }
}

export function tooManyRows(max: number): never {
  fail(
    'TOO_MANY_ROWS',
    `The file has more than ${max.toLocaleString('en')} rows; split it into smaller files`,
    `文件超过 ${max.toLocaleString('en')} 行，请拆分后分别上传`,
  );
}
