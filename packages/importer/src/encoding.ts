/**
 * Which encoding a CSV is in. Chinese Excel saves "CSV" in GBK (GB18030's subset) and "CSV UTF-8" with a
 * BOM; other tools write UTF-8 without one. The rule (byte-frequency guessers misfire on GBK):
 * a BOM decides; else the whole input is valid UTF-8 → UTF-8; else GB18030. Short GBK text can happen to
 * be valid UTF-8, so the caller lets the clerk override the guess.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';
/** What a caller may force (a detected value given back works too): GBK is read as GB18030, its superset. */
export type EncodingOverride = DetectedEncoding | 'gbk';

/** The WHATWG label to decode with (the UTF BOMs are stripped by TextDecoder). */
export function decoderLabel(encoding: DetectedEncoding | EncodingOverride): string {
  if (encoding === 'utf-8-bom') return 'utf-8';
  if (encoding === 'gbk') return 'gb18030';
  return encoding;
}

export function bomEncoding(head: Uint8Array): DetectedEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/** Detection over bytes held in memory (a whole small file, or tests). */
export function detectBufferEncoding(bytes: Uint8Array): DetectedEncoding {
  return bomEncoding(bytes) ?? (isUtf8(bytes) ? 'utf-8' : 'gb18030');
}

/** How many bytes at the end of `chunk` begin a UTF-8 sequence that the next chunk completes (0–3). */
export function incompleteUtf8Tail(chunk: Uint8Array): number {
  const n = chunk.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = chunk[n - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * Strict UTF-8 validation over a sequence of chunks: a sequence cut by a chunk boundary is carried into the
 * next chunk, so the answer is the one a fatal streaming TextDecoder gives (a property test checks that),
 * at a fraction of its cost: Buffer's isUtf8 validates without building strings (70 MB: 10 ms, against
 * 400 ms for TextDecoder).
 */
export class Utf8Validator {
  private carry: Uint8Array = new Uint8Array(0);
  /** False as soon as the bytes so far cannot be UTF-8. */
  push(chunk: Uint8Array): boolean {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteUtf8Tail(data);
    this.carry = data.subarray(data.length - tail);
    return isUtf8(data.subarray(0, data.length - tail));
  }
  /** Whether the input ended on a complete sequence. */
  end(): boolean {
    return this.carry.length === 0;
  }
}

/**
 * Detection over a buffer, or over a file read in 1 MiB chunks, stopping at the first invalid UTF-8
 * sequence (memory stays at one chunk whatever the file's size).
 */
export async function detectEncoding(input: Buffer | string): Promise<DetectedEncoding> {
  if (typeof input !== 'string') return detectBufferEncoding(input);
  const stream = createReadStream(input, { highWaterMark: 1024 * 1024 });
  const validator = new Utf8Validator();
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        const bom = bomEncoding(chunk);
        if (bom) return bom;
      }
      if (!validator.push(chunk)) return 'gb18030';
    }
    return validator.end() ? 'utf-8' : 'gb18030';
  } finally {
    stream.destroy();
  }
}
