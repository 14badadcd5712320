/**
 * The safety check an XLSX passes before any XML is parsed: a small file can hold gigabytes of XML (a zip
 * bomb). Only the central directory and the local headers are read; nothing is extracted.
 */
import type { UploadIssue } from '@vbp/contracts/uploads';
import { fileIssue, formatBytes } from './issues';
import { resolveLimits, type ImportLimits } from './limits';
import { entryDataOffset, openByteSource, readZipDirectory, ZipFormatError, type ZipEntry } from './zip';

export type ZipLimits = Pick<ImportLimits, 'maxUncompressedBytes' | 'maxEntries' | 'maxRatio' | 'ratioMinBytes' | 'maxSharedStringsBytes'>;

export type ZipCheckResult = { ok: true; entries: ZipEntry[]; uncompressedBytes: number } | { ok: false; issue: UploadIssue };

const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export const SAVE_AS_XLSX_ZH = '请另存为 .xlsx（Excel 工作簿）后再上传';

export function legacyExcelIssue(): UploadIssue {
  return fileIssue(
    'LEGACY_EXCEL_FORMAT',
    'Old Excel (.xls) and WPS (.et) files, and password-protected workbooks, cannot be read: save the file as .xlsx (Excel Workbook) and upload it again',
    `不支持旧版 Excel（.xls）、WPS（.et）或加密的工作簿：${SAVE_AS_XLSX_ZH}`,
  );
}

export function isOle2(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(OLE2_MAGIC);
}

function notZip(): UploadIssue {
  return fileIssue('NOT_XLSX', 'The file is not a valid .xlsx workbook (not a zip archive)', `文件不是有效的 .xlsx 工作簿（不是 zip 压缩格式）；${SAVE_AS_XLSX_ZH}`);
}

export async function checkXlsxArchive(file: string | Buffer, limits?: Partial<ZipLimits>): Promise<ZipCheckResult> {
  const caps = resolveLimits(limits);
  const source = await openByteSource(file);
  try {
    if (isOle2(await source.read(0, 8))) return { ok: false, issue: legacyExcelIssue() };
    let entries: ZipEntry[];
    try {
      entries = (await readZipDirectory(source, caps.maxEntries)).entries;
    } catch (error) {
      if (!(error instanceof ZipFormatError)) throw error;
      if (error.reason === 'not-zip') return { ok: false, issue: notZip() };
      if (error.reason === 'too-many-entries') {
        return {
          ok: false,
          issue: fileIssue('ZIP_TOO_MANY_ENTRIES', `The workbook holds more than ${caps.maxEntries} parts; it is refused`, `工作簿内部文件超过 ${caps.maxEntries} 个，已拒绝`),
        };
      }
      return { ok: false, issue: corrupt(error.message) };
    }

    let total = 0;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      if (entry.flags & 0x1) return { ok: false, issue: legacyExcelIssue() };
      if (entry.method !== 0 && entry.method !== 8) return { ok: false, issue: corrupt(`compression method ${entry.method} of ${entry.name}`) };
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > caps.ratioMinBytes && ratio > caps.maxRatio) {
        return {
          ok: false,
          issue: fileIssue(
            'ZIP_RATIO_TOO_HIGH',
            `The workbook part ${entry.name} expands ${Math.round(ratio)}:1 (to ${formatBytes(entry.uncompressedSize)}); more than ${caps.maxRatio}:1 is refused as a possible zip bomb`,
            `工作簿内部文件 ${entry.name} 压缩比为 ${Math.round(ratio)}:1（解压后 ${formatBytes(entry.uncompressedSize)}），超过 ${caps.maxRatio}:1，疑似压缩炸弹，已拒绝`,
          ),
        };
      }
      if (entry.name === 'xl/sharedStrings.xml' && entry.uncompressedSize > caps.maxSharedStringsBytes) {
        return {
          ok: false,
          issue: fileIssue(
            'SHARED_STRINGS_TOO_LARGE',
            `The workbook's text table is ${formatBytes(entry.uncompressedSize)} (limit ${formatBytes(caps.maxSharedStringsBytes)}); split the file or save it as CSV`,
            `工作簿的文本表达 ${formatBytes(entry.uncompressedSize)}（上限 ${formatBytes(caps.maxSharedStringsBytes)}），请拆分文件或另存为 CSV`,
          ),
        };
      }
    }
    if (total > caps.maxUncompressedBytes) {
      return {
        ok: false,
        issue: fileIssue(
          'ZIP_TOO_LARGE',
          `The workbook expands to ${formatBytes(total)}, more than the ${formatBytes(caps.maxUncompressedBytes)} allowed; split the file or save it as CSV`,
          `工作簿解压后为 ${formatBytes(total)}，超过上限 ${formatBytes(caps.maxUncompressedBytes)}；请拆分文件或另存为 CSV`,
        ),
      };
    }
    const names = new Set(entries.map((e) => e.name));
    if (!names.has('xl/workbook.xml') || !names.has('[Content_Types].xml')) {
      return {
        ok: false,
        issue: fileIssue('NOT_XLSX', 'The file is a zip archive but not an Excel workbook', `文件是 zip 压缩包，但不是 Excel 工作簿；${SAVE_AS_XLSX_ZH}`),
      };
    }
    try {
      for (const entry of entries) await entryDataOffset(source, entry);
    } catch (error) {
      if (error instanceof ZipFormatError) return { ok: false, issue: corrupt(error.message) };
      throw error;
    }
    return { ok: true, entries, uncompressedBytes: total };
  } finally {
    await source.close();
  }
}

function corrupt(detail: string): UploadIssue {
  return fileIssue('ZIP_CORRUPT', `The workbook is damaged and cannot be read (${detail})`, `工作簿已损坏，无法读取（${detail}）；${SAVE_AS_XLSX_ZH}`);
}
