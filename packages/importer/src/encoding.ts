/**
 * Which encoding a CSV is in. Chinese Excel saves "CSV" in GBK (GB18030's subset) and "CSV UTF-8" with a
 * BOM; other tools write UTF-8 without one. The rule (byte-frequency guessers misfire on GBK):
 * a BOM decides; else the whole input is valid UTF-8 → UTF-8; else GB18030. Short GBK text can happen to
 * be valid UTF-8, so the caller lets the clerk override the guess.
 */
import { createReadStream } from 'node:fs';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';
/** What a caller may force: GBK is read as GB18030, its superset. */
export type EncodingOverride = 'utf-8' | 'gb18030' | 'gbk' | 'utf-16le' | 'utf-16be';

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
  const bom = bomEncoding(bytes);
  if (bom) return bom;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/**
 * Detection over a buffer, or over a file read in chunks through a fatal streaming UTF-8 decoder that stops
 * at the first invalid sequence (memory stays at one chunk whatever the file's size).
 */
export async function detectEncoding(input: Buffer | string): Promise<DetectedEncoding> {
  if (typeof input !== 'string') return detectBufferEncoding(input);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(input, { highWaterMark: 1024 * 1024 });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        const bom = bomEncoding(chunk);
        if (bom) return bom;
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof TypeError) return 'gb18030';
    throw error;
  } finally {
    stream.destroy();
  }
}
