/**
 * Progress as the clerk reads it: bytes sent while the file uploads, then rows done of the total while
 * the server reads, checks or commits it. Pure, so the numbers on screen are tested.
 */
import type { UploadView } from '@vbp/contracts/uploads';
import { formatCount, formatPercent } from '../../../lib/format';
import type { Lang } from '../../../lib/i18n/types';
import type { UploadsDictionary } from '../i18n/zh';

export type RowProgress = NonNullable<UploadView['progress']>;

/** done / total in [0, 1]; null while the total is unknown (or zero). */
export function progressFraction(done: number, total: number | null | undefined): number | null {
  if (total === null || total === undefined || total <= 0) return null;
  return Math.min(1, Math.max(0, done / total));
}

/** A file size: 512 B, 34.5 KB, 12.3 MB, 1.2 GB (binary units, one decimal, trailing zero dropped). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value >= 100 ? String(Math.round(value)) : String(Number(value.toFixed(1)));
  return `${text} ${units[unit]}`;
}

/** "正在上传 3.2 MB / 10 MB（32.0%）", or without a total while the browser has none. */
export function formatTransfer(loaded: number, total: number | null, u: UploadsDictionary): string {
  const fraction = progressFraction(loaded, total);
  if (total === null || fraction === null) return u.sendingUnknown(formatBytes(loaded));
  return u.sending(formatBytes(loaded), formatBytes(total), formatPercent(fraction, 0));
}

/** Phases of a commit: `done` counts rows written to the database (none yet while it keeps the rows it replaces). */
const WRITE_PHASES: ReadonlySet<string> = new Set(['committing', 'keeping', 'summarising']);

/**
 * "已处理 1.2万 / 3万 行（40%）"; "已处理 1,200 行（总行数统计中）" while the total is unknown; while committing,
 * rows written: "已写入 1.2万 / 3万 行（40%）".
 */
export function formatRowProgress(progress: Pick<RowProgress, 'done' | 'total'> & { phase?: string }, u: UploadsDictionary, lang: Lang): string {
  const written = progress.phase !== undefined && WRITE_PHASES.has(progress.phase);
  const fraction = progressFraction(progress.done, progress.total);
  const done = formatCount(progress.done, lang);
  if (progress.total === null || fraction === null) return written ? u.rowsWrittenUnknown(done) : u.rowsProgressUnknown(done);
  const args = [done, formatCount(progress.total, lang), formatPercent(fraction, 0)] as const;
  return written ? u.rowsWritten(...args) : u.rowsProgress(...args);
}

/** The phase's name in the reader's language; an unknown phase code is shown as it came. */
export function phaseLabel(phase: string, u: UploadsDictionary): string {
  return u.phases[phase] ?? phase;
}
