/**
 * What an upload's status means for the pages: whether the server is still working (poll), what the
 * clerk may do next, and how the badge looks (a shape per status, never colour alone).
 */
import type { UploadStatus, UploadView } from '@vbp/contracts/uploads';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { Lang } from '../../../lib/i18n/types';
import type { UploadsDictionary } from '../i18n/zh';

/** The report is asked for again this often while the server works on the file. */
export const POLL_MS = 1000;

/** The server is still working: processing the file, or writing it to the database. */
export function isInProgress(status: UploadStatus): boolean {
  return status === 'processing' || status === 'committing';
}

/** How often to ask again: every second while the server works, else not at all. */
export function pollInterval(status: UploadStatus | undefined): number | false {
  return status !== undefined && isInProgress(status) ? POLL_MS : false;
}

/**
 * Settings (sheet, encoding, mapping) may change, and the file be read again, until it is committed, while
 * the stored file is kept (retention removes the file of an upload never committed, after a while).
 */
export function canReprocess(view: Pick<UploadView, 'status' | 'fileRemovedAt'>): boolean {
  if (view.fileRemovedAt !== null) return false;
  return view.status === 'validated' || view.status === 'invalid' || view.status === 'failed' || view.status === 'interrupted';
}

/** Whether the upload can still be committed: checked and its stored file kept. */
export function canCommit(view: Pick<UploadView, 'status' | 'fileRemovedAt'>): boolean {
  return view.fileRemovedAt === null && (view.status === 'validated' || view.status === 'invalid');
}

/**
 * Nothing can go on until the stored file is validated again: the server stopped half-way (`interrupted`)
 * or could not process it (`failed`). The report's main action is then 重新校验.
 */
export function needsRevalidation(status: UploadStatus): boolean {
  return status === 'interrupted' || status === 'failed';
}

/**
 * Whether the report shows what a commit would change (new, changed, unchanged rows). Not for a file with
 * errors, nor for one whose check must be done again: those numbers would mean nothing.
 */
export function showsComparison(status: UploadStatus): boolean {
  return status !== 'invalid' && status !== 'failed' && status !== 'interrupted';
}

/**
 * Whether the row counts say anything yet: not while the server is still reading the file, nor when it
 * stopped before counting (interrupted with no rows), where zeros would read as an empty file.
 */
export function hasCounts(view: Pick<UploadView, 'status' | 'counts'>): boolean {
  return view.counts.rows > 0 || !(isInProgress(view.status) || view.status === 'interrupted');
}

export type StatusReason = NonNullable<UploadView['statusReason']>;

/** The server's reason in the reader's language. */
export function reasonMessage(reason: Pick<StatusReason, 'message' | 'messageZh'>, lang: Lang): string {
  return lang === 'zh' ? reason.messageZh : reason.message;
}

/**
 * How the reason is headed and shown: an error for a failed upload; a warning otherwise (interrupted, or
 * a commit that did not go through), since nothing was written and the clerk can go on.
 */
export function reasonLook(status: UploadStatus, u: UploadsDictionary): { title: string; tone: 'error' | 'warn' } {
  if (status === 'failed') return { title: u.reasonTitle.failed, tone: 'error' };
  if (status === 'interrupted') return { title: u.reasonTitle.interrupted, tone: 'warn' };
  if (status === 'validated') return { title: u.reasonTitle.validated, tone: 'warn' };
  return { title: u.reasonTitle.other, tone: 'warn' };
}

export type CommitBlock = 'not-validated' | 'warnings' | null;

/**
 * Why the commit button is disabled (null: it is not). Only a validated upload may be committed, and one
 * with warnings only after the clerk says they have read them.
 */
export function commitBlock(view: Pick<UploadView, 'status' | 'warnings' | 'moreWarnings'>, acknowledged: boolean): CommitBlock {
  if (view.status !== 'validated') return 'not-validated';
  if (hasWarnings(view) && !acknowledged) return 'warnings';
  return null;
}

export function hasWarnings(view: Pick<UploadView, 'warnings' | 'moreWarnings'>): boolean {
  return view.warnings.length + view.moreWarnings > 0;
}

/**
 * The region whose data an upload changed: its region, or the nation for national data (a national
 * batch's results). Reverting needs `revert:uploads` for that region.
 */
export function uploadDataRegion(view: Pick<UploadView, 'regionCode'>): string {
  return view.regionCode ?? NATION_CODE;
}

/** A committed upload may be reverted (by those allowed to). */
export function isRevertible(status: UploadStatus): boolean {
  return status === 'committed';
}

/** The badge's look: its shape (icon) and tone (colour, always with the icon and the word). */
export type StatusShape = 'spinner' | 'check-outline' | 'cross' | 'check' | 'alert' | 'pause' | 'undo';
export type StatusTone = 'busy' | 'ready' | 'error' | 'warn' | 'done' | 'neutral';

export const STATUS_LOOK: Record<UploadStatus, { shape: StatusShape; tone: StatusTone }> = {
  processing: { shape: 'spinner', tone: 'busy' },
  validated: { shape: 'check-outline', tone: 'ready' },
  invalid: { shape: 'cross', tone: 'error' },
  committing: { shape: 'spinner', tone: 'busy' },
  committed: { shape: 'check', tone: 'done' },
  failed: { shape: 'alert', tone: 'error' },
  // stopped, not broken: a warning's colour, and a shape of its own (a pause sign)
  interrupted: { shape: 'pause', tone: 'warn' },
  reverted: { shape: 'undo', tone: 'neutral' },
};
