/**
 * The sheets of an XLSX in tab order, read from xl/workbook.xml and its relationships through the zip's
 * central directory (two small entries are inflated; the worksheets are not touched).
 */
import { fail } from './issues';
import { SAVE_AS_XLSX_ZH } from './zip-check';
import { openByteSource, readZipDirectory, readZipEntry, ZipFormatError } from './zip';

export interface SheetInfo {
  name: string;
  hidden: boolean;
  /** The worksheet part, e.g. xl/worksheets/sheet1.xml. */
  part: string;
}

const MAX_WORKBOOK_XML = 16 * 1024 * 1024;

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/giu, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attributes(tag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/gu)) map.set(m[1]!, decodeXml(m[3] ?? m[4] ?? ''));
  return map;
}

/** Resolves a relationship target against xl/ (targets are relative to the workbook part, or absolute). */
function resolvePart(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

export async function listSheetInfo(path: string): Promise<SheetInfo[]> {
  const source = await openByteSource(path);
  try {
    const { entries } = await readZipDirectory(source, Number.MAX_SAFE_INTEGER);
    const find = (name: string) => entries.find((e) => e.name === name);
    const workbook = find('xl/workbook.xml');
    if (!workbook) fail('NOT_XLSX', 'The file is not an Excel workbook', `文件不是 Excel 工作簿；${SAVE_AS_XLSX_ZH}`);
    const xml = (await readZipEntry(source, workbook, MAX_WORKBOOK_XML)).toString('utf8');
    const relsEntry = find('xl/_rels/workbook.xml.rels');
    const targets = new Map<string, string>();
    if (relsEntry) {
      const rels = (await readZipEntry(source, relsEntry, MAX_WORKBOOK_XML)).toString('utf8');
      for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/gu)) {
        const a = attributes(m[1]!);
        const id = a.get('Id');
        const target = a.get('Target');
        if (id && target) targets.set(id, resolvePart(target));
      }
    }
    const sheets: SheetInfo[] = [];
    for (const m of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/gu)) {
      const a = attributes(m[1]!);
      const name = a.get('name');
      const rid = [...a.entries()].find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
      const part = (rid && targets.get(rid)) ?? '';
      // Chart sheets and dialog sheets hold no cells.
      if (name === undefined || (part && !part.startsWith('xl/worksheets/'))) continue;
      sheets.push({ name, hidden: (a.get('state') ?? 'visible') !== 'visible', part });
    }
    return sheets;
  } catch (error) {
    if (error instanceof ZipFormatError) fail('ZIP_CORRUPT', `The workbook is damaged (${error.message})`, `工作簿已损坏（${error.message}）；${SAVE_AS_XLSX_ZH}`);
    throw error;
  } finally {
    await source.close();
  }
}
