/**
 * What an upload's status means for the pages: whether the server is still working (poll), what the
 * clerk may do next, and how the badge looks (a shape per status, never colour alone).
 */
import type { UploadStatus, UploadView } from '@vbp/contracts/uploads';
import { NATION_CODE } from '@vbp/contracts/enums';

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

/** Settings (sheet, encoding, mapping) may change, and the file be read again, until it is committed. */
export function canReprocess(status: UploadStatus): boolean {
  return status === 'validated' || status === 'invalid' || status === 'failed';
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
export type StatusShape = 'spinner' | 'check-outline' | 'cross' | 'check' | 'alert' | 'undo';
export type StatusTone = 'busy' | 'ready' | 'error' | 'done' | 'neutral';

export const STATUS_LOOK: Record<UploadStatus, { shape: StatusShape; tone: StatusTone }> = {
  processing: { shape: 'spinner', tone: 'busy' },
  validated: { shape: 'check-outline', tone: 'ready' },
  invalid: { shape: 'cross', tone: 'error' },
  committing: { shape: 'spinner', tone: 'busy' },
  committed: { shape: 'check', tone: 'done' },
  failed: { shape: 'alert', tone: 'error' },
  reverted: { shape: 'undo', tone: 'neutral' },
};
