/** Fixture builders: files in a temporary folder, CSV in several encodings, XLSX, hand-made zips. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

export function tempDir(): { dir: string; file(name: string, data: string | Buffer): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-importer-'));
  let n = 0;
  return {
    dir,
    file(name, data) {
      const path = join(dir, `${n++}-${name}`);
      writeFileSync(path, data);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let gbk: Map<string, Buffer> | null = null;

/**
 * GB18030 for the characters GBK encodes in two bytes (all common Chinese, full-width forms, 、。“”),
 * built by decoding every two-byte sequence with Node's decoder; ASCII passes through. Node has no encoder.
 */
export function encodeGb18030(text: string): Buffer {
  if (!gbk) {
    gbk = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const ch = decoder.decode(bytes);
        if (ch.length === 1 && ch !== '\uFFFD' && !gbk.has(ch)) gbk.set(ch, bytes);
      }
    }
  }
  const parts: Buffer[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) parts.push(Buffer.from([code]));
    else {
      const bytes = gbk.get(ch);
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${ch}`);
      parts.push(bytes);
    }
  }
  return Buffer.concat(parts);
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

export function csvText(rows: readonly (readonly (string | number)[])[], newline = '\r\n'): string {
  return rows.map((r) => r.map(csvCell).join(',')).join(newline) + newline;
}

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export function csvBytes(rows: readonly (readonly (string | number)[])[], encoding: CsvEncoding): Buffer {
  const text = csvText(rows);
  if (encoding === 'gb18030') return encodeGb18030(text);
  const body = Buffer.from(text, 'utf8');
  return encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

export type XlsxCell = ExcelJS.CellValue;

export async function xlsxBytes(sheets: { name: string; rows: XlsxCell[][]; dateFormat?: boolean }[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name);
    for (const row of sheet.rows) {
      const added = ws.addRow(row);
      added.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A zip written by hand: stored or deflated entries, optionally with a lying central directory. */
export function zipBytes(
  entries: { name: string; data: Buffer; deflate?: boolean; declaredSize?: number; /** data is already deflated */ deflated?: { crc: number } }[],
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.deflated?.crc ?? crc32(entry.data);
    const method = entry.deflate || entry.deflated ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
