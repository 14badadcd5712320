/**
 * Just enough of the zip format to inspect an XLSX without extracting it: the End Of Central Directory
 * record (and its zip64 form), the central directory's entries with their sizes, the local headers, and
 * the inflation of one small entry (xl/workbook.xml) with a hard output cap.
 * Layout: PKWARE APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.14–16 (EOCD).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Entry count stated by the EOCD record (checked before the directory is read). */
  declaredEntries: number;
}

/** Random access over a file or a buffer. */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openByteSource(file: string | Buffer): Promise<ByteSource> {
  if (Buffer.isBuffer(file)) {
    return {
      size: file.length,
      read: async (offset, length) => file.subarray(offset, Math.min(file.length, offset + length)),
      close: async () => {},
    };
  }
  const handle = await open(file, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      if (buffer.length > 0) await handle.read(buffer, 0, buffer.length, offset);
      return buffer;
    },
    close: () => handle.close(),
  };
}

export class ZipFormatError extends Error {
  constructor(
    readonly reason: 'not-zip' | 'corrupt' | 'too-many-entries',
    message: string,
  ) {
    super(message);
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const U32_MAX = 0xffffffff;
/** A central directory larger than this is refused (10,000 entries with long names fit easily). */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

function u64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/**
 * Reads the central directory. `maxEntries` is checked against the EOCD's count before the directory
 * itself is read, so a file claiming millions of entries costs nothing.
 */
export async function readZipDirectory(source: ByteSource, maxEntries: number): Promise<ZipDirectory> {
  if (source.size < 22) throw new ZipFormatError('not-zip', 'shorter than an empty zip');
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not-zip', 'no end-of-central-directory record');

  let declaredEntries = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (declaredEntries === 0xffff || directorySize === U32_MAX || directoryOffset === U32_MAX) {
    const locatorAt = tailStart + eocd - 20;
    const locator = locatorAt >= 0 ? await source.read(locatorAt, 20) : Buffer.alloc(0);
    if (locator.length === 20 && locator.readUInt32LE(0) === ZIP64_LOCATOR_SIG) {
      const record = await source.read(u64(locator, 8), 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ZipFormatError('corrupt', 'bad zip64 record');
      declaredEntries = u64(record, 32);
      directorySize = u64(record, 40);
      directoryOffset = u64(record, 48);
    }
  }
  if (declaredEntries > maxEntries) throw new ZipFormatError('too-many-entries', String(declaredEntries));
  if (directorySize > MAX_DIRECTORY_BYTES || directoryOffset + directorySize > source.size) {
    throw new ZipFormatError('corrupt', 'central directory out of bounds');
  }

  const directory = await source.read(directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  while (at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_SIG) {
    if (entries.length >= maxEntries) throw new ZipFormatError('too-many-entries', `> ${maxEntries}`);
    const flags = directory.readUInt16LE(at + 8);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    if (at + 46 + nameLength + extraLength + commentLength > directory.length) break;
    const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
    const entry: ZipEntry = {
      name: nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1'),
      method: directory.readUInt16LE(at + 10),
      flags,
      compressedSize: directory.readUInt32LE(at + 20),
      uncompressedSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    readZip64Extra(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== declaredEntries) throw new ZipFormatError('corrupt', 'central directory entry count mismatch');
  return { entries, declaredEntries };
}

/** The zip64 extra field holds, in this order, the values whose 32-bit fields are 0xFFFFFFFF. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const end = Math.min(extra.length, field + size);
      if (entry.uncompressedSize === U32_MAX && field + 8 <= end) ((entry.uncompressedSize = u64(extra, field)), (field += 8));
      if (entry.compressedSize === U32_MAX && field + 8 <= end) ((entry.compressedSize = u64(extra, field)), (field += 8));
      if (entry.localHeaderOffset === U32_MAX && field + 8 <= end) entry.localHeaderOffset = u64(extra, field);
      return;
    }
    at += 4 + size;
  }
}

/** Where an entry's data starts, after checking its local header agrees with the central directory. */
export async function entryDataOffset(source: ByteSource, entry: ZipEntry): Promise<number> {
  const header = await source.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIG) throw new ZipFormatError('corrupt', `no local header for ${entry.name}`);
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  const flags = header.readUInt16LE(6);
  // Without a data descriptor (bit 3) the local sizes must be the ones the directory declared; a
  // streaming reader trusts the local header, so a mismatch is how a bomb hides from a directory check.
  if (!(flags & 0x8)) {
    const compressed = header.readUInt32LE(18);
    const uncompressed = header.readUInt32LE(22);
    const same = (local: number, central: number) => local === central || local === U32_MAX;
    if (!same(compressed, entry.compressedSize) || !same(uncompressed, entry.uncompressedSize)) {
      throw new ZipFormatError('corrupt', `local header of ${entry.name} disagrees with the central directory`);
    }
  }
  const name = await source.read(entry.localHeaderOffset + 30, nameLength);
  if (name.toString(flags & 0x800 ? 'utf8' : 'latin1') !== entry.name) throw new ZipFormatError('corrupt', `local header name mismatch for ${entry.name}`);
  return entry.localHeaderOffset + 30 + nameLength + extraLength;
}

/** Inflates one (small) entry whole; refuses entries above `maxBytes`. */
export async function readZipEntry(source: ByteSource, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) throw new ZipFormatError('corrupt', `${entry.name} is too large`);
  const offset = await entryDataOffset(source, entry);
  const data = await source.read(offset, entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ZipFormatError('corrupt', `unsupported compression ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch {
    throw new ZipFormatError('corrupt', `${entry.name} cannot be inflated`);
  }
}

/**
 * One entry as a stream of text, inflated as it is read and decoded as UTF-8 by the stream itself, so a
 * character split between two chunks is joined (exceljs's SAX reader decodes every Buffer chunk on its own
 * and would turn such a character into U+FFFD: in a Chinese workbook, about one name in a thousand).
 * The output is cut off with an error beyond the size the central directory declared, so a deflate stream
 * that lies about its size cannot run on. Destroying the returned stream stops reading the file.
 */
export function streamZipEntry(path: string, entry: ZipEntry, dataOffset: number, onOverflow: () => Error): Readable {
  if (entry.compressedSize === 0) return Readable.from([] as string[]);
  const raw = createReadStream(path, { start: dataOffset, end: dataOffset + entry.compressedSize - 1, highWaterMark: 256 * 1024 });
  let produced = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) callback(onOverflow());
      else callback(null, chunk);
    },
  });
  if (entry.method === 0) pipeline(raw, guard, () => {});
  else pipeline(raw, createInflateRaw(), guard, () => {});
  guard.setEncoding('utf8');
  return guard;
}
