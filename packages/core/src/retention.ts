/**
 * Retention: what nobody needs any more is removed on a schedule, the rest kept on purpose.
 * - Sessions ended (expired or revoked) more than `sessionDays` (30) ago are deleted. Recent ended ones stay,
 *   as the record of who was signed in from where; a live session is never touched.
 * - Sign-in throttle rows whose counting window and lock both ended more than `throttleDays` (1) ago are
 *   deleted. Such a row no longer counts nor locks (the next failure would start a new window at 1), so
 *   deleting it changes nothing for anyone; a row that still locks is never deleted.
 * - The stored file of an upload that was reverted, or never committed (`validated`, `invalid`, `failed`,
 *   `interrupted`), is removed `uploadFileDays` (30) after it was last touched: the revert; else the later of
 *   the upload and its status reason. The upload row stays, its `stored_name` cleared and `file_removed_at`
 *   set; it can then no longer be read again or committed (a clear refusal: upload the file again). A
 *   committed upload keeps its file: the evidence of what was loaded. Uploads under way are not touched.
 * Each class is one statement per batch of `batchSize` rows (10,000). The uploads are marked before their
 * files are removed: a file left behind by a stop in between is one no upload refers to, which
 * `cleanupUploads` removes. One audit entry (actor `system`, action `retention`) per run that removed anything.
 * Plain deletes and updates of reference tables, without modifying CTEs, so the same statements run on
 * PGlite, PostgreSQL and Citus.
 */
import { rm } from 'node:fs/promises';
import { and, asc, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@vbp/db';
import { authThrottle, sessions, uploads } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { THROTTLE } from './auth/throttle';
import { fileRemovedReason } from './uploads/reasons';
import type { UploadStore } from './uploads/storage';

export interface RetentionPolicy {
  /** Ended sessions are kept this many days after they expired or were revoked. */
  sessionDays: number;
  /** Throttle rows are kept this many days after their window and lock ended. */
  throttleDays: number;
  /** Files of reverted and never-committed uploads are kept this many days after the upload was last touched. */
  uploadFileDays: number;
  /** Rows per statement. */
  batchSize: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { sessionDays: 30, throttleDays: 1, uploadFileDays: 30, batchSize: 10_000 };

/** Upload statuses whose file retention may remove (never `committed`, nor the ones under way). */
export const FILE_RETENTION_STATUSES = ['reverted', 'validated', 'invalid', 'failed', 'interrupted'] as const;

export interface RetentionResult {
  /** The time the limits were counted back from. */
  at: string;
  policy: RetentionPolicy;
  sessions: number;
  throttle: number;
  /** Uploads whose stored file was removed (marked `file_removed_at`). */
  uploadFiles: number;
  uploadIds: number[];
  /** Files that could not be removed (the upload is marked all the same; `cleanupUploads` tries again). */
  filesNotRemoved: string[];
}

const DAY_MS = 86_400_000;

/** A timestamp as an explicit timestamptz literal: both drivers then agree on the parameter type. */
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

function checked(policy: RetentionPolicy): RetentionPolicy {
  for (const [name, value] of Object.entries(policy))
    if (!Number.isFinite(value) || value < 0 || (name === 'batchSize' && (!Number.isInteger(value) || value < 1)))
      throw new Error(`retention policy: ${name} must be a non-negative number (batchSize a positive integer), not ${value}`);
  return policy;
}

/** Deletes in batches until a batch comes back short; `batch` deletes at most `limit` rows and says how many. */
async function inBatches(limit: number, batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch(limit);
    total += n;
    if (n < limit) return total;
  }
}

async function deleteSessions(db: Db, cutoff: Date, limit: number): Promise<number> {
  const ended = or(lt(sessions.expiresAt, at(cutoff)), lt(sessions.revokedAt, at(cutoff)));
  return inBatches(limit, async (n) => {
    // ordered by the key, so every replica of a reference table picks the same rows
    const batch = db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(ended).orderBy(asc(sessions.tokenHash)).limit(n);
    const deleted = await db.delete(sessions).where(inArray(sessions.tokenHash, batch)).returning({ tokenHash: sessions.tokenHash });
    return deleted.length;
  });
}

async function deleteThrottle(db: Db, cutoff: Date, limit: number): Promise<number> {
  // the window ends windowMs after it started; the lock, if any, at locked_until
  const ended = and(lt(authThrottle.windowStartedAt, at(new Date(cutoff.getTime() - THROTTLE.windowMs))), or(isNull(authThrottle.lockedUntil), lt(authThrottle.lockedUntil, at(cutoff))));
  return inBatches(limit, async (n) => {
    const batch = db.select({ key: authThrottle.key }).from(authThrottle).where(ended).orderBy(asc(authThrottle.key)).limit(n);
    const deleted = await db.delete(authThrottle).where(inArray(authThrottle.key, batch)).returning({ key: authThrottle.key });
    return deleted.length;
  });
}

/** When an upload was last touched: its revert, else the later of its creation and its status reason. */
function lastTouched(row: { status: string; createdAt: Date; revertedAt: Date | null; statusReason: { at?: string } | null }): number {
  if (row.status === 'reverted') return (row.revertedAt ?? row.createdAt).getTime();
  const reasonAt = row.statusReason?.at ? Date.parse(row.statusReason.at) : Number.NaN;
  return Number.isNaN(reasonAt) ? row.createdAt.getTime() : Math.max(row.createdAt.getTime(), reasonAt);
}

async function removeUploadFiles(db: Db, store: UploadStore, now: Date, cutoff: Date, limit: number, result: RetentionResult): Promise<void> {
  const eligible = and(isNotNull(uploads.storedName), isNull(uploads.fileRemovedAt), inArray(uploads.status, [...FILE_RETENTION_STATUSES]));
  let after = 0;
  for (;;) {
    // every time an upload is touched is at or after its creation: older creations are the candidates
    const candidates = await db
      .select({ id: uploads.id, storedName: uploads.storedName, status: uploads.status, createdAt: uploads.createdAt, revertedAt: uploads.revertedAt, statusReason: uploads.statusReason })
      .from(uploads)
      .where(and(eligible, lt(uploads.createdAt, at(cutoff)), gt(uploads.id, after)))
      .orderBy(asc(uploads.id))
      .limit(limit);
    const due = new Map(candidates.filter((c) => lastTouched(c) < cutoff.getTime()).map((c) => [c.id, c.storedName!]));
    if (due.size) {
      // the conditions again: an upload a clerk took up meanwhile (validating, committing) is left alone
      const marked = await db
        .update(uploads)
        .set({
          storedName: null,
          fileRemovedAt: now,
          // a validated upload says why it can no longer be committed; the others keep why they stopped
          statusReason: sql`case when ${uploads.status} = 'validated' then ${JSON.stringify(fileRemovedReason(now))}::jsonb else ${uploads.statusReason} end`,
        })
        .where(and(eligible, inArray(uploads.id, [...due.keys()])))
        .returning({ id: uploads.id });
      for (const { id } of marked) {
        const name = due.get(id)!;
        result.uploadIds.push(id);
        await rm(store.path(name), { force: true }).catch(() => result.filesNotRemoved.push(name));
      }
    }
    if (candidates.length < limit) break;
    after = candidates.at(-1)!.id;
  }
  result.uploadIds.sort((a, b) => a - b);
  result.uploadFiles = result.uploadIds.length;
}

/** What the audit log keeps of a run: keys naming a session would be dropped there as secrets (see `redact`). */
function auditRecord(result: RetentionResult) {
  const { policy } = result;
  return {
    at: result.at,
    deleted: { signIns: result.sessions, throttle: result.throttle, uploadFiles: result.uploadFiles },
    keptDays: { signIns: policy.sessionDays, throttle: policy.throttleDays, uploadFiles: policy.uploadFileDays },
    uploadIds: result.uploadIds,
    filesNotRemoved: result.filesNotRemoved,
  };
}

/**
 * Applies the retention policy (see the header) as of `now`. Safe to run at any time and as often as
 * wanted: a second run right after removes nothing and writes no audit entry.
 */
export async function applyRetention(db: Db, store: UploadStore, options: { now?: Date; policy?: Partial<RetentionPolicy> } = {}): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const policy = checked({ ...DEFAULT_RETENTION, ...options.policy });
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const result: RetentionResult = { at: now.toISOString(), policy, sessions: 0, throttle: 0, uploadFiles: 0, uploadIds: [], filesNotRemoved: [] };
  result.sessions = await deleteSessions(db, before(policy.sessionDays), policy.batchSize);
  result.throttle = await deleteThrottle(db, before(policy.throttleDays), policy.batchSize);
  await removeUploadFiles(db, store, now, before(policy.uploadFileDays), policy.batchSize, result);
  if (result.sessions || result.throttle || result.uploadFiles)
    await writeAudit(db, { username: 'system' }, { action: 'retention', entity: 'retention', after: auditRecord(result) });
  return result;
}
