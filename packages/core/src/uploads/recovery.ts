/**
 * After a stop, and on a schedule: uploads a stopped server left half-way are named (`interrupted`, with
 * the reason and what to do), uploads whose staged rows a database crash emptied are named too, and what
 * nobody will use again is removed (staging tables of uploads that are no longer waiting for a commit,
 * partial files of receives that ended, stored files no upload refers to). The audit log records each.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { UploadKind } from '@vbp/contracts/uploads';
import { selectRows, type Db } from '@vbp/db';
import { uploads } from '@vbp/db/schema';
import { writeAudit } from '../audit';
import { HANDLERS } from './handlers';
import type { UploadJobs } from './jobs';
import { stagedRowsLost, stoppedWhile, type StatusReason } from './reasons';
import type { UploadStore } from './storage';

const SYSTEM = { username: 'system' };
/** Partial and unreferenced files younger than this may belong to a receive under way: left alone. */
const FILE_GRACE_MS = 60 * 60_000;
/** Upload statuses whose staged rows are still needed. */
const STAGING_NEEDED = ['processing', 'validated', 'committing'];

export interface Recovery {
  /** Uploads a stop left validating or committing, now `interrupted`. */
  interrupted: number[];
  /** Validated uploads whose staged rows were lost, now `interrupted`. */
  stagingLost: number[];
}

/**
 * Run at start, before serving: no job of this process runs yet, so every upload still `processing` or
 * `committing` was left by a stop (its transaction never committed, so nothing was written).
 */
export async function recoverUploads(db: Db): Promise<Recovery> {
  const leftRows = await db
    .select({ id: uploads.id, status: uploads.status, regionCode: uploads.regionCode })
    .from(uploads)
    .where(and(inArray(uploads.status, ['processing', 'committing']), eq(uploads.isSynthetic, false)));
  const interrupted: number[] = [];
  for (const left of leftRows) {
    const reason = stoppedWhile(left.status === 'processing' ? 'validating' : 'committing');
    if (await mark(db, left.id, left.status, reason)) {
      interrupted.push(left.id);
      await writeAudit(db, SYSTEM, { action: 'interrupt', entity: 'upload', entityId: left.id, regionCode: left.regionCode, before: { status: left.status }, after: { status: 'interrupted', reason: reason.code } });
    }
  }

  const stagingLost: number[] = [];
  const validated = await db
    .select({ id: uploads.id, kind: uploads.kind, regionCode: uploads.regionCode, promisedRows: uploads.promisedRows })
    .from(uploads)
    // one whose file retention removed cannot be committed: the cleanup drops its staged rows, nothing is lost
    .where(and(eq(uploads.status, 'validated'), isNotNull(uploads.promisedRows), isNull(uploads.fileRemovedAt)));
  for (const upload of validated) {
    const staged = HANDLERS[upload.kind as UploadKind].stagedRows;
    if (!staged) continue;
    const rows = await staged(db, upload.id);
    if (rows === upload.promisedRows) continue;
    if (await mark(db, upload.id, 'validated', stagedRowsLost())) {
      stagingLost.push(upload.id);
      await writeAudit(db, SYSTEM, {
        action: 'interrupt',
        entity: 'upload',
        entityId: upload.id,
        regionCode: upload.regionCode,
        before: { status: 'validated', stagedRows: upload.promisedRows },
        after: { status: 'interrupted', reason: 'STAGING_LOST', stagedRows: rows },
      });
    }
  }
  return { interrupted, stagingLost };
}

async function mark(db: Db, id: number, from: string, reason: StatusReason): Promise<boolean> {
  const rows = await db
    .update(uploads)
    .set({ status: 'interrupted', statusReason: reason, progress: null })
    .where(and(eq(uploads.id, id), eq(uploads.status, from)))
    .returning({ id: uploads.id });
  return rows.length > 0;
}

export interface Cleanup {
  stagingTables: string[];
  partialFiles: string[];
  unreferencedFiles: string[];
}

/**
 * Removes staging tables no upload waits for (a validated upload whose file retention removed no longer
 * waits: it cannot be committed), partial files of receives that ended, and stored files no
 * upload refers to. `atStart`: nothing is under way, so partial files of any age go.
 */
export async function cleanupUploads(db: Db, store: UploadStore, jobs: UploadJobs, options: { atStart: boolean; now?: number }): Promise<Cleanup> {
  const now = options.now ?? Date.now();
  const stagingTables: string[] = [];
  const tables = await selectRows<{ name: string }>(
    db,
    sql`select tablename as "name" from pg_tables where schemaname = current_schema() and tablename ~ '^staged_purchases_[0-9]+$'`,
  );
  if (tables.length) {
    const ids = tables.map((t) => Number(t.name.slice('staged_purchases_'.length)));
    const waiting = await db
      .select({ id: uploads.id })
      .from(uploads)
      .where(and(inArray(uploads.id, ids), inArray(uploads.status, STAGING_NEEDED), isNull(uploads.fileRemovedAt)));
    const keep = new Set(waiting.map((w) => w.id));
    for (const [i, table] of tables.entries()) {
      const id = ids[i]!;
      if (keep.has(id) || jobs.isRunning(id)) continue;
      await db.execute(sql`drop table if exists ${sql.identifier(table.name)}`);
      stagingTables.push(table.name);
    }
  }

  const partialFiles: string[] = [];
  const unreferencedFiles: string[] = [];
  const names = await readdir(store.dir).catch(() => [] as string[]);
  const stored = names.filter((n) => /^[a-f0-9]{32}$/.test(n));
  const referenced = new Set(
    stored.length
      ? (await db.select({ name: uploads.storedName }).from(uploads).where(inArray(uploads.storedName, stored))).map((r) => r.name)
      : [],
  );
  for (const name of names) {
    const path = join(store.dir, name);
    const partial = /^[a-f0-9]{32}\.part$/.test(name);
    const unreferenced = /^[a-f0-9]{32}$/.test(name) && !referenced.has(name);
    if (!partial && !unreferenced) continue;
    if (store.isReceiving(path)) continue;
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    if (!(options.atStart && partial) && now - info.mtimeMs <= FILE_GRACE_MS) continue;
    await rm(path, { force: true });
    (partial ? partialFiles : unreferencedFiles).push(name);
  }

  if (stagingTables.length || partialFiles.length || unreferencedFiles.length)
    await writeAudit(db, SYSTEM, { action: 'cleanup', entity: 'upload', after: { stagingTables, partialFiles, unreferencedFiles, atStart: options.atStart } });
  return { stagingTables, partialFiles, unreferencedFiles };
}
