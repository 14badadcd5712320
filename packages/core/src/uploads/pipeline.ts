/**
 * An upload's life: received (stored, hashed) → processed (parsed, references resolved, staged,
 * summarised; `validated` or `invalid`) → committed in one transaction → possibly reverted, restoring
 * exactly the state before. Large files are processed and committed in the background, with progress
 * saved on the upload so the clerk can leave the page and come back.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { addDays } from '@vbp/contracts/dates';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { Action } from '@vbp/contracts/policy';
import type { ReprocessUploadInput, UploadCounts, UploadIssue, UploadKind, UploadList, UploadView } from '@vbp/contracts/uploads';
import { isUnreachable, refreshStatistics, type BulkTable, type Database, type Db } from '@vbp/db';
import { batches, uploads } from '@vbp/db/schema';
import { parseUpload } from '@vbp/importer/parse';
import type { ParseSummary } from '@vbp/importer/types';
import { writeAudit } from '../audit';
import { touchData, type DataArea } from '../data-version';
import { assertMay, isNational, type Actor } from '../auth/actor';
import { isDiskFull, diskFull, type DiskGuard } from '../disk';
import { DomainError, notFound } from '../errors';
import { stderrLog, type Log } from '../log';
import { HANDLERS } from './handlers';
import { JobStopped, type JobHandle, type UploadJobs } from './jobs';
import { databaseWentAway, fileRemoved, reasonFrom, stagedRowsLost, stoppedWhile, type StatusReason } from './reasons';
import { IssueList, storableReport, type UploadReport } from './report';
import type { StoredFile, UploadStore } from './storage';
import type { CommitPromise, ParsedRow, UploadContext } from './types';

export interface UploadSettings {
  store: UploadStore;
  maxBytes: number;
  /** Files up to this size are processed before the request answers; larger ones in the background. */
  inlineBytes: number;
  /** The work under way in this process: progress, and an orderly stop. */
  jobs: UploadJobs;
  /** Free-space checks before receiving files and before writing to the embedded database. */
  disk: DiskGuard;
  /** Where failures no request sees (background validation and commits) are said; stderr by default. */
  log?: Log;
  /**
   * Told after a commit or revert is committed (inline: once its answer is read; in the background: when it
   * ends), e.g. to prepare the read answers it changed. Never awaited: it must return at once.
   */
  changed?: (change: UploadChange) => void;
}

/** What a committed commit or revert of an upload changed (decision 016). */
export interface UploadChange {
  uploadId: number;
  kind: UploadKind;
  action: 'commit' | 'revert';
  areas: DataArea[];
  regions: string[];
}

/**
 * The data versions an upload's commit or revert moves: its kind decides the area, its region the region.
 * Batch results are national whatever the batch: they write the product catalogue every province shares,
 * and which products are ever selected changes what every province's purchases count as (the summaries of
 * their varieties are recomputed everywhere).
 */
export function changedBy(row: { kind: string; regionCode: string | null }): { areas: DataArea[]; regions: string[] } {
  const region = row.regionCode ?? NATION_CODE;
  switch (row.kind as UploadKind) {
    case 'batch-results':
      return { areas: ['reference', 'execution'], regions: [NATION_CODE] };
    case 'implementations':
      return { areas: ['reference'], regions: [region] };
    case 'province-volumes':
    case 'agreed-volumes':
    case 'purchases':
      return { areas: ['execution'], regions: [region] };
  }
}

/** Says a committed change to `settings.changed`; a failure there is logged, never the commit's. */
function tellChanged(settings: UploadSettings, row: { id: number; kind: string; regionCode: string | null }, action: UploadChange['action']): void {
  try {
    settings.changed?.({ uploadId: row.id, kind: row.kind as UploadKind, action, ...changedBy(row) });
  } catch (err) {
    (settings.log ?? stderrLog).warn({ err, upload: row.id }, 'telling of a committed upload change failed');
  }
}

/** Commits and reverts of at least this many rows are long writes (on PGlite readers use a snapshot meanwhile). */
const LONG_WRITE_ROWS = 20_000;
/** Staged bytes per row while validating (checked against the embedded database's free space per batch). */
const STAGING_BYTES_PER_ROW = 300;

type UploadRow = typeof uploads.$inferSelect;

/** Progress is written at most this often while a file is read or committed. */
const PROGRESS_EVERY_MS = 1000;

// ---- views ----

function toView(row: UploadRow & { batchCode: string | null }, withIssues: boolean, jobs?: UploadJobs): UploadView {
  const report = (row.report ?? {}) as Partial<UploadReport>;
  const counts = { rows: 0, valid: 0, invalid: 0, skipped: 0, ...(row.counts ?? {}) } as UploadCounts;
  return {
    id: row.id,
    kind: row.kind as UploadKind,
    status: row.status as UploadView['status'],
    fileName: row.fileName,
    sizeBytes: row.sizeBytes ?? 0,
    sha256: row.sha256 ?? '',
    regionCode: row.regionCode,
    batchCode: row.batchCode,
    sheet: report.detected?.sheet ?? row.sheet,
    counts,
    // a running job's progress is in memory (a commit's transaction holds the embedded database meanwhile)
    progress: row.status === 'processing' || row.status === 'committing' ? (jobs?.progressOf(row.id) ?? row.progress ?? null) : null,
    statusReason: row.statusReason ?? null,
    errors: withIssues ? (report.errors ?? []) : [],
    moreErrors: report.moreErrors ?? 0,
    warnings: withIssues ? (report.warnings ?? []) : [],
    moreWarnings: report.moreWarnings ?? 0,
    notices: withIssues ? (report.notices ?? []) : [],
    moreNotices: report.moreNotices ?? 0,
    // unmatched headers appear mapped to '' (ignored), so the mapping step can offer them
    mapping: report.detected ? { ...Object.fromEntries((report.unmatchedHeaders ?? []).map((h) => [h, ''])), ...report.detected.mapping } : (row.mapping ?? null),
    sheets: report.sheets ?? [],
    duplicateOf: row.duplicateOfId,
    createdBy: row.createdBy ?? '',
    createdAt: row.createdAt.toISOString(),
    committedAt: row.committedAt?.toISOString() ?? null,
    revertedAt: row.revertedAt?.toISOString() ?? null,
    fileRemovedAt: row.fileRemovedAt?.toISOString() ?? null,
  };
}

async function loadRow(db: Db, id: number) {
  const [row] = await db
    .select({ upload: uploads, batchCode: batches.code })
    .from(uploads)
    .leftJoin(batches, eq(batches.id, uploads.batchId))
    .where(eq(uploads.id, id));
  if (!row || row.upload.isSynthetic) throw notFound('upload', '上传记录', String(id));
  return { ...row.upload, batchCode: row.batchCode };
}

/** The policy asked about one upload: another province's answers as a missing one. */
function assertMayOnUpload(actor: Actor, action: Action, row: UploadRow) {
  assertMay(actor, action, { regionCode: row.regionCode }, () => notFound('upload', '上传记录', String(row.id)));
}

export async function getUpload(db: Db, actor: Actor, id: number, jobs?: UploadJobs): Promise<UploadView> {
  assertMay(actor, 'read:upload');
  const row = await loadRow(db, id);
  assertMayOnUpload(actor, 'read:upload', row);
  return toView(row, true, jobs);
}

export async function listUploads(
  db: Db,
  actor: Actor,
  query: { kind?: UploadKind | undefined; status?: string | undefined; region?: string | undefined; from?: string | undefined; to?: string | undefined; page: number; pageSize: number },
  jobs?: UploadJobs,
): Promise<UploadList> {
  assertMay(actor, 'read:upload', query.region ? { regionCode: query.region } : undefined);
  const where: SQL | undefined = and(
    eq(uploads.isSynthetic, false),
    isNational(actor) ? undefined : eq(uploads.regionCode, actor.regionCode),
    query.kind ? eq(uploads.kind, query.kind) : undefined,
    query.status ? eq(uploads.status, query.status) : undefined,
    query.region ? eq(uploads.regionCode, query.region) : undefined,
    query.from ? sql`${uploads.createdAt} >= ${`${query.from}T00:00:00+08:00`}::timestamptz` : undefined,
    query.to ? sql`${uploads.createdAt} < ${`${addDays(query.to, 1)}T00:00:00+08:00`}::timestamptz` : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ upload: uploads, batchCode: batches.code })
      .from(uploads)
      .leftJoin(batches, eq(batches.id, uploads.batchId))
      .where(where)
      .orderBy(desc(uploads.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(uploads).where(where),
  ]);
  return {
    items: rows.map((r) => {
      const { errors: _e, warnings: _w, notices: _n, ...view } = toView({ ...r.upload, batchCode: r.batchCode }, false, jobs);
      return view;
    }),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

// ---- receiving ----

export interface NewUploadInput {
  kind: UploadKind;
  fileName: string;
  /** The file, stored by `storeIncoming` as it arrived. */
  stored: StoredFile;
  batchCode?: string | undefined;
  region?: string | undefined;
  sheet?: string | undefined;
  encoding?: 'utf-8' | 'gb18030' | undefined;
  mapping?: Record<string, string> | undefined;
}

/**
 * The region an upload's data belongs to, from the form's fields (its batch for results, the clerk's region
 * otherwise), and the policy asked whether the clerk may load data there. Rows of the file outside that
 * region are not the upload's (see `withinRegion` in the kinds).
 */
async function scopeOf(db: Db, actor: Actor, input: Pick<NewUploadInput, 'kind' | 'batchCode' | 'region'>) {
  let batchId: number | null = null;
  let regionCode: string | null = null;
  if (input.batchCode) {
    const [batch] = await db
      .select({ id: batches.id, code: batches.code, level: batches.level, regionCode: batches.regionCode, placeholders: batches.varietiesArePlaceholders })
      .from(batches)
      .where(eq(batches.code, input.batchCode));
    if (!batch) throw notFound('batch', '批次', input.batchCode);
    batchId = batch.id;
    // every row of a province-volumes file names one of the batch's selected varieties: before its list is
    // loaded, nothing in the file could ever be counted
    if (input.kind === 'province-volumes' && batch.placeholders) throw batchListNotLoaded(batch.code);
    // national and alliance results are national data; a provincial batch's are its province's
    if (input.kind === 'batch-results') regionCode = batch.level === 'provincial' ? batch.regionCode : NATION_CODE;
  } else if (input.kind === 'batch-results') {
    throw new DomainError('INVALID_INPUT', 'Choose the batch these results belong to (batch)', '请选择该中选结果所属的批次（batch）');
  } else if (input.kind === 'province-volumes') {
    throw new DomainError('INVALID_INPUT', 'Choose the batch these volumes belong to (batch)', '请选择这些约定采购量所属的批次（batch）');
  }
  // a national clerk loads every province's volumes; a provincial clerk their own rows of the table
  if (input.kind === 'province-volumes') regionCode = isNational(actor) ? NATION_CODE : actor.regionCode;
  if (input.kind === 'purchases' || input.kind === 'agreed-volumes') {
    regionCode = input.region ?? (isNational(actor) ? null : actor.regionCode);
    if (!regionCode || regionCode === NATION_CODE)
      throw new DomainError('INVALID_INPUT', 'Say which province the data is for (region)', '请指定数据所属省份（region）');
  }
  if (input.kind === 'implementations') regionCode = input.region ?? actor.regionCode;
  assertMay(actor, 'create:upload', { regionCode });
  return { batchId, regionCode };
}

/** Volumes for a batch whose results table is not loaded yet (its selected varieties are placeholders). */
export function batchListNotLoaded(code: string): DomainError {
  return new DomainError(
    'CONFLICT',
    `Batch ${code}'s list of selected varieties is not loaded yet: load its results table first (upload kind: batch results)`,
    `批次 ${code} 的中选品种名单尚未载入：请先上传该批次的中选结果表（上传类型：中选结果）`,
    { batch: code, load: 'batch-results' },
  );
}

/**
 * The first step of an upload, taken while the form is still arriving (its fields may come after the file):
 * the clerk may upload, the server takes uploads and has room for `sizeHint` bytes (the request's declared
 * length), and the file is stored. `receiveUpload` then checks the fields and records the upload.
 */
export async function storeIncoming(actor: Actor, settings: UploadSettings, body: AsyncIterable<Uint8Array>, sizeHint?: number): Promise<StoredFile> {
  assertMay(actor, 'create:upload');
  settings.jobs.assertAccepting();
  await settings.disk.ensure('uploads', sizeHint ?? 0);
  return settings.store.receive(body, settings.maxBytes);
}

/** Records and validates an upload stored by `storeIncoming`; a refusal removes the stored file. */
export async function receiveUpload(database: Database, actor: Actor, settings: UploadSettings, input: NewUploadInput): Promise<UploadView> {
  const db = database.db;
  const stored = input.stored;
  let scope: Awaited<ReturnType<typeof scopeOf>>;
  try {
    scope = await scopeOf(db, actor, input);
  } catch (err) {
    await settings.store.remove(stored.storedName);
    throw err;
  }
  const [earlier] = await db
    .select({ id: uploads.id })
    .from(uploads)
    .where(and(eq(uploads.sha256, stored.sha256), eq(uploads.kind, input.kind), inArray(uploads.status, ['validated', 'committed', 'committing'])))
    .orderBy(desc(uploads.id))
    .limit(1);
  const [row] = await db
    .insert(uploads)
    .values({
      kind: input.kind,
      regionCode: scope.regionCode,
      batchId: scope.batchId,
      status: 'processing',
      fileName: input.fileName.slice(0, 255),
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      storedName: stored.storedName,
      sheet: input.sheet ?? null,
      encoding: input.encoding ?? null,
      mapping: input.mapping ?? null,
      duplicateOfId: earlier?.id ?? null,
      createdBy: actor.username,
      createdByUserId: actor.userId,
      progress: { phase: 'reading', done: 0, total: null },
    })
    .returning({ id: uploads.id });
  const id = row!.id;
  await writeAudit(db, actor, { action: 'upload', entity: 'upload', entityId: id, regionCode: scope.regionCode, after: { kind: input.kind, fileName: input.fileName, sizeBytes: stored.sizeBytes, sha256: stored.sha256 } });
  await runValidation(database, settings, id, stored.sizeBytes, actor);
  return getUpload(db, actor, id, settings.jobs);
}

/**
 * Validates as a job, before answering (small files) or in the background (large ones). However it ends,
 * the upload says so: `validated` or `invalid`, `interrupted` when the server stopped it, `failed` with the
 * reason otherwise.
 */
async function runValidation(database: Database, settings: UploadSettings, id: number, sizeBytes: number, actor: Actor) {
  // the failure is recorded inside the job, so a stop that waits for the job also waits for the record
  const job = settings.jobs.run(id, 'validating', async (handle) => {
    try {
      await processUpload(database, settings, id, actor, handle);
    } catch (err) {
      const stopped = err instanceof JobStopped;
      const reason = stopped ? stoppedWhile('validating') : reasonFrom(isDiskFull(err) && !(err instanceof DomainError) ? diskFull('database', null, null) : err, 'validating');
      if (!stopped && !(err instanceof DomainError) && !isDiskFull(err)) logError(settings, id, 'validating', err);
      const issue: UploadIssue = { row: null, column: null, value: null, code: reason.code, message: reason.message, messageZh: reason.messageZh };
      await recordOutcome(settings, id, async () => {
        await HANDLERS[(await loadRow(database.db, id)).kind as UploadKind].discard?.(database.db, id);
        await database.db
          .update(uploads)
          .set({
            status: stopped ? 'interrupted' : 'failed',
            statusReason: reason,
            progress: null,
            report: sql`coalesce(${uploads.report}, '{}'::jsonb) || ${JSON.stringify({ errors: [issue], moreErrors: 0 })}::jsonb`,
          })
          .where(eq(uploads.id, id));
      });
    }
  });
  if (sizeBytes <= settings.inlineBytes) await job;
  else void job.catch((err: unknown) => logError(settings, id, 'validating', err));
}

/** How long what became of an upload is retried while the database cannot be reached (it may be restarting). */
const RECORD_RETRY_MS = 60_000;

/**
 * Records what became of an upload's job. When the database cannot be reached (a PostgreSQL server
 * restarting after a crash) it goes on trying in the background for a while, so the upload does not go on
 * saying `committing`; the next start would name it anyway.
 */
async function recordOutcome(settings: UploadSettings, id: number, record: () => Promise<void>): Promise<void> {
  try {
    await record();
  } catch (err) {
    if (!isUnreachable(err)) throw err;
    void (async () => {
      for (const deadline = Date.now() + RECORD_RETRY_MS; Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        try {
          return await record();
        } catch (again) {
          if (!isUnreachable(again)) return logError(settings, id, 'recording the outcome', again);
        }
      }
      logError(settings, id, 'recording the outcome', new Error('the database stayed unreachable: the next start marks the upload interrupted'));
    })();
  }
}

function logError(settings: UploadSettings, id: number, phase: string, err: unknown) {
  (settings.log ?? stderrLog).error({ upload: id, phase, err }, 'upload job failed');
}

// ---- processing ----

function contextFor(row: UploadRow, actor: Actor, headers: Map<string, string>, settings: UploadSettings, job: JobHandle): UploadContext {
  return {
    id: row.id,
    kind: row.kind as UploadKind,
    regionCode: row.regionCode,
    batchId: row.batchId,
    actor,
    counts: (row.counts ?? {}) as Partial<UploadCounts>,
    header: (key) => headers.get(key) ?? key,
    promise: row.promisedRows !== null && row.promisedChecksum !== null ? { rows: row.promisedRows, checksum: row.promisedChecksum } : null,
    job,
    timings: {},
    ensureDatabaseSpace: (bytes) => settings.disk.ensure('database', bytes),
  };
}

function progressWriter(db: Db, id: number, phase: string, total: number | null, job: JobHandle) {
  let last = 0;
  return async (done: number, force = false) => {
    job.report({ phase, done, total });
    const now = Date.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    await db.update(uploads).set({ progress: { phase, done, total } }).where(eq(uploads.id, id));
  };
}

/** Parses the stored file with the upload's sheet, encoding and mapping. */
function parseStored(settings: UploadSettings, row: UploadRow) {
  if (row.fileRemovedAt) throw fileRemoved(row.id, row.fileRemovedAt);
  if (!row.storedName)
    throw new DomainError('UPLOAD_STALE', `The file of upload ${row.id} is not kept: upload it again`, `上传 ${row.id} 的文件未保留，请重新上传`, { reason: 'file-gone' });
  return parseUpload({ path: settings.store.path(row.storedName), fileName: row.fileName }, row.kind as UploadKind, {
    ...(row.sheet ? { sheet: row.sheet } : {}),
    ...(row.encoding ? { encoding: row.encoding as 'utf-8' | 'gb18030' } : {}),
    ...(row.mapping ? { mapping: row.mapping } : {}),
  });
}

/** The importer's typed rows, seen by the handlers as values by column key. */
function asRows(...lists: readonly (readonly { rowNumber: number; values: object }[])[]): ParsedRow[] {
  return lists.flatMap((list) => list.map((r) => ({ rowNumber: r.rowNumber, values: r.values as Record<string, unknown> })));
}

/**
 * A checksum of the typed rows read from a file, in order: validation records it, and a commit that reads
 * the file again proves it read the same rows.
 */
class RowDigest {
  readonly #hash = createHash('sha256');
  add(rows: readonly ParsedRow[]): void {
    for (const row of rows) this.#hash.update(`${JSON.stringify([row.rowNumber, row.values])}\n`);
  }
  hex(): string {
    return this.#hash.digest('hex');
  }
}

/** The stored file's typed rows in batches (losing bids included, for batch results), added to `digest`. */
async function* fileRows(settings: UploadSettings, row: UploadRow, digest: RowDigest): AsyncGenerator<ParsedRow[]> {
  for await (const event of parseStored(settings, row)) {
    if (event.type === 'batch') {
      const rows = asRows(event.rows, event.notSelected);
      digest.add(rows);
      yield rows;
    }
    // validation read this file without a fatal problem: one now means the stored file is gone or changed
    if (event.type === 'end' && event.summary.fatal)
      throw new DomainError(
        'UPLOAD_STALE',
        `The stored file can no longer be read (${event.summary.fatal.message}). Nothing was written: upload the file again.`,
        `已存储的文件无法再次读取（${event.summary.fatal.messageZh}）。未写入任何数据：请重新上传该文件。`,
        { reason: 'file-changed' },
      );
  }
}

async function processUpload(database: Database, settings: UploadSettings, id: number, actor: Actor, job: JobHandle): Promise<void> {
  const db = database.db;
  const row = await loadRow(db, id);
  const handler = HANDLERS[row.kind as UploadKind];
  const headers = new Map<string, string>();
  const context = contextFor(row, actor, headers, settings, job);
  const errors = new IssueList();
  const warnings = new IssueList();
  const progress = progressWriter(db, id, 'validating', null, job);
  // kinds that stage prove their staged rows; the others, the rows of the file they will read again
  const digest = handler.stagedRows ? null : new RowDigest();
  const validation = await handler.validate(database, context);
  try {
    await readAndCheck();
  } finally {
    await validation.dispose?.();
  }

  async function readAndCheck() {

  let summary: ParseSummary | null = null;
  /** Rows the parser read as valid but whose references did not resolve: they count as invalid. */
  const refused = new Set<number>();
  let read = 0;
  for await (const event of parseStored(settings, row)) {
    job.checkpoint();
    if (event.type === 'header') for (const [header, key] of Object.entries(event.header.mapping)) headers.set(key, header);
    else if (event.type === 'batch') {
      errors.add(event.errors);
      warnings.add(event.warnings);
      const rows = asRows(event.rows, event.notSelected);
      digest?.add(rows);
      if (handler.stagedRows) await settings.disk.ensure('database', rows.length * STAGING_BYTES_PER_ROW);
      const outcome = await validation.accept(rows);
      for (const issue of outcome.errors) if (issue.row !== null) refused.add(issue.row);
      errors.add(outcome.errors);
      warnings.add(outcome.warnings);
      read += rows.length;
      await progress(read);
    } else summary = event.summary;
  }
  const end = await validation.summarize();
  job.checkpoint();
  errors.add(end.errors, end.moreErrors ?? 0);
  warnings.add(end.warnings);
  if (!summary) throw new Error('the importer ended without a summary');
  const parsed = summary;
  for (const issue of end.errors ?? []) if (issue.row !== null) refused.add(issue.row);
  const counts: UploadCounts = {
    ...parsed.counts,
    ...end.counts,
    valid: Math.max(0, parsed.counts.valid - refused.size),
    invalid: parsed.counts.invalid + refused.size,
  };
  const byRow = (a: UploadIssue, b: UploadIssue) => (a.row ?? 0) - (b.row ?? 0);
  const report: UploadReport = {
    errors: errors.items.sort(byRow),
    moreErrors: errors.more,
    warnings: warnings.items.sort(byRow),
    moreWarnings: warnings.more,
    notices: parsed.notices,
    moreNotices: parsed.moreNotices,
    sheets: parsed.sheets,
    headerRow: parsed.headerRow,
    unmatchedHeaders: parsed.unmatchedHeaders,
    // what was read; the upload's own sheet / encoding / mapping columns keep the clerk's choices, so the
    // commit reads the file exactly as validation did
    detected: { sheet: parsed.sheet, encoding: parsed.encoding, mapping: parsed.mapping },
  };
  const empty = parsed.counts.valid + parsed.counts.notSelected === 0;
  const stored = (counts.new ?? 0) + (counts.changed ?? 0) + (counts.unchanged ?? 0);
  // rows were read and none had a problem, but none of them would be stored (every one warned about and
  // left out: volumes of varieties the batch did not select, rows of other provinces): a commit of nothing
  const nothingCounted = !empty && errors.total === 0 && parsed.fatal === null && counts.valid > 0 && stored === 0;
  const invalid = errors.total > 0 || parsed.fatal !== null || empty || nothingCounted;
  if (empty && errors.total === 0)
    report.errors.push({ row: null, column: null, value: null, code: 'NO_ROWS', message: 'The file has no data rows', messageZh: '文件中没有数据行' });
  if (nothingCounted)
    report.errors.push({
      row: null,
      column: null,
      value: null,
      code: 'NOTHING_COUNTED',
      message: `None of the file's ${counts.valid} rows would be stored or counted (see the warnings): check the batch or province chosen; there is nothing to commit`,
      messageZh: `文件中的 ${counts.valid} 行都不会被保存或计入（见警告）：请核对所选批次或省份；没有可提交的内容`,
    });
  if (invalid) await handler.discard?.(db, id);
  // what the commit must write: every row the preview counts, proven by the checksum
  const promise: CommitPromise | null = invalid ? null : { rows: stored, checksum: end.stagedChecksum ?? digest!.hex() };
  await db
    .update(uploads)
    .set({ status: invalid ? 'invalid' : 'validated', counts, report: storableReport(report), progress: null, statusReason: null, promisedRows: promise?.rows ?? null, promisedChecksum: promise?.checksum ?? null })
    .where(eq(uploads.id, id));
  }
}

/** Reads the same stored file again with the clerk's sheet, encoding or column mapping. */
export async function reprocessUpload(database: Database, actor: Actor, settings: UploadSettings, id: number, input: ReprocessUploadInput): Promise<UploadView> {
  assertMay(actor, 'reprocess:upload');
  settings.jobs.assertAccepting();
  const db = database.db;
  const row = await loadRow(db, id);
  assertMayOnUpload(actor, 'reprocess:upload', row);
  if (!['validated', 'invalid', 'failed', 'interrupted'].includes(row.status))
    throw new DomainError('CONFLICT', `Upload ${id} is ${row.status}: it can no longer be read again`, `上传 ${id} 的状态为 ${row.status}，不能重新校验`);
  if (row.fileRemovedAt) throw fileRemoved(id, row.fileRemovedAt);
  await HANDLERS[row.kind as UploadKind].discard?.(db, id);
  const [claimed] = await db
    .update(uploads)
    .set({
      status: 'processing',
      ...(input.sheet !== undefined ? { sheet: input.sheet } : {}),
      ...(input.encoding !== undefined ? { encoding: input.encoding } : {}),
      ...(input.mapping !== undefined ? { mapping: input.mapping } : {}),
      progress: { phase: 'reading', done: 0, total: null },
      statusReason: null,
      promisedRows: null,
      promisedChecksum: null,
    })
    .where(and(eq(uploads.id, id), eq(uploads.status, row.status), isNull(uploads.fileRemovedAt)))
    .returning({ id: uploads.id });
  if (!claimed) throw await claimRefused(db, id, new DomainError('CONFLICT', `Upload ${id} changed meanwhile: reload it`, `上传 ${id} 的状态已变化，请刷新`));
  await runValidation(database, settings, id, row.sizeBytes ?? 0, actor);
  return getUpload(db, actor, id, settings.jobs);
}

// ---- commit and revert ----

export async function commitUpload(database: Database, actor: Actor, settings: UploadSettings, id: number, input: { acknowledgeWarnings: boolean }): Promise<UploadView> {
  assertMay(actor, 'commit:upload');
  settings.jobs.assertAccepting();
  const db = database.db;
  const row = await loadRow(db, id);
  assertMayOnUpload(actor, 'commit:upload', row);
  if (row.status !== 'validated')
    throw new DomainError('CONFLICT', `Upload ${id} is ${row.status}: only a validated upload can be committed`, `上传 ${id} 的状态为 ${row.status}，只有校验通过的上传可以提交`);
  // a committed upload keeps its file as the evidence of what was loaded: none is committed without it
  if (row.fileRemovedAt) throw fileRemoved(id, row.fileRemovedAt);
  const report = (row.report ?? {}) as Partial<UploadReport>;
  const warningCount = (report.warnings?.length ?? 0) + (report.moreWarnings ?? 0);
  if (warningCount > 0 && !input.acknowledgeWarnings)
    throw new DomainError('WARNINGS_NOT_ACKNOWLEDGED', `The upload has ${warningCount} warning(s): acknowledge them to commit`, `该上传有 ${warningCount} 条警告，确认后方可提交`, { warnings: warningCount });
  if (row.promisedRows === null || row.promisedChecksum === null) {
    await markInterrupted(db, id, reasonFrom(stale(id), 'validated'));
    throw stale(id);
  }
  const handler = HANDLERS[row.kind as UploadKind];
  const changed = changedBy(row);
  // refused before anything is claimed: the upload stays validated and says why
  await settings.disk.ensure('database', row.promisedRows * handler.bytesPerRow).catch(async (err: unknown) => {
    await db.update(uploads).set({ statusReason: reasonFrom(err, 'committing') }).where(and(eq(uploads.id, id), eq(uploads.status, 'validated')));
    throw err;
  });
  const [claimed] = await db
    .update(uploads)
    .set({ status: 'committing', statusReason: null, progress: { phase: 'committing', done: 0, total: row.promisedRows } })
    .where(and(eq(uploads.id, id), eq(uploads.status, 'validated'), isNull(uploads.fileRemovedAt)))
    .returning({ id: uploads.id });
  if (!claimed) throw await claimRefused(db, id, new DomainError('CONFLICT', `Upload ${id} is already being committed`, `上传 ${id} 正在提交`));

  const promise = { rows: row.promisedRows, checksum: row.promisedChecksum };
  const write = (job: JobHandle) => {
    const detected = ((row.report ?? {}) as Partial<UploadReport>).detected?.mapping ?? {};
    const headers = new Map(Object.entries(detected).map(([header, key]) => [key, header]));
    const context = contextFor({ ...row, status: 'committing' }, actor, headers, settings, job);
    const started = performance.now();
    const commitInTransaction = () =>
      db.transaction(async (tx) => {
        const digest = new RowDigest();
        const written = await handler.commit(tx, database, context, () => fileRows(settings, row, digest));
        job.checkpoint();
        // the proof: what was written is what validation promised, or nothing is
        if (!handler.stagedRows && digest.hex() !== promise.checksum) throw rowsChanged(id, 'file');
        if (written !== promise.rows) throw rowsChanged(id, 'count', promise.rows, written);
        await tx.update(uploads).set({ status: 'committed', committedAt: sql`now()`, committedBy: actor.username, progress: null, statusReason: null }).where(eq(uploads.id, id));
        await writeAudit(tx, actor, { action: 'commit', entity: 'upload', entityId: id, regionCode: row.regionCode, after: { kind: row.kind, fileName: row.fileName, counts: row.counts, rows: written } });
        await touchData(tx, changed.areas, changed.regions);
      });
    const logged = () =>
      (settings.log ?? stderrLog).info({ upload: id, kind: row.kind, rows: promise.rows, ms: Math.round(performance.now() - started), phases: context.timings }, 'upload committed');
    return (promise.rows >= LONG_WRITE_ROWS ? database.duringLongWrite(commitInTransaction) : commitInTransaction()).then(logged);
  };

  const job = () =>
    settings.jobs.run(id, 'committing', async (handle) => {
      try {
        await write(handle);
      } catch (err) {
        // nothing was written: the transaction rolled back. Where the promise cannot be kept any more the
        // upload must be validated again; otherwise it can be committed again, and says why it was not.
        const stopped = err instanceof JobStopped;
        const full = isDiskFull(err) && !(err instanceof DomainError) ? diskFull('database', null, null) : null;
        const reason = stopped ? stoppedWhile('committing') : reasonFrom(full ?? err, 'committing');
        const mustRevalidate = stopped || (err instanceof DomainError && err.code === 'UPLOAD_STALE');
        const unreachable = isUnreachable(err);
        await recordOutcome(settings, id, async () => {
          // the database went away mid-commit: it may have restarted and emptied the staged rows
          const lost = unreachable && handler.stagedRows ? (await handler.stagedRows(db, id)) !== promise.rows : false;
          if (mustRevalidate || lost) {
            await markInterrupted(db, id, lost ? stagedRowsLost() : reason);
            await handler.discard?.(db, id);
          } else await db.update(uploads).set({ status: 'validated', progress: null, statusReason: unreachable ? databaseWentAway() : reason }).where(eq(uploads.id, id));
        });
        if (!stopped && !(err instanceof DomainError) && !full) logError(settings, id, 'committing', err);
        throw full ?? err;
      }
      await analyzeAfter(db, handler.tables, settings);
    });
  if ((row.sizeBytes ?? 0) > settings.inlineBytes) {
    void job().then(
      () => tellChanged(settings, row, 'commit'),
      () => {}, // said on the upload (status and reason)
    );
    return getUpload(db, actor, id, settings.jobs);
  }
  await job();
  try {
    return await getUpload(db, actor, id, settings.jobs);
  } finally {
    // told once the answer is read, so what it sets off does not compete with the answer's own reads
    tellChanged(settings, row, 'commit');
  }
}

/** Why a claim found the upload changed since it was read: retention removed its file meanwhile, or `otherwise`. */
async function claimRefused(db: Db, id: number, otherwise: DomainError): Promise<DomainError> {
  const now = await loadRow(db, id);
  return now.fileRemovedAt ? fileRemoved(id, now.fileRemovedAt) : otherwise;
}

function stale(id: number): DomainError {
  return new DomainError(
    'UPLOAD_STALE',
    `Upload ${id} was validated by an earlier version of the server: validate it again, then commit.`,
    `上传 ${id} 由旧版本服务器校验，请重新校验后再提交。`,
    { reason: 'revalidate' },
  );
}

function rowsChanged(id: number, what: 'file' | 'count', promised?: number, written?: number): DomainError {
  return what === 'file'
    ? new DomainError(
        'UPLOAD_STALE',
        `The stored file of upload ${id} no longer reads as it did at validation. Nothing was written: validate it again (if the file cannot be read any more, upload it again).`,
        `上传 ${id} 已存储的文件与校验时读取的内容不一致。未写入任何数据：请重新校验（如文件已无法读取，请重新上传）。`,
        { reason: 'file-changed' },
      )
    : new DomainError(
        'UPLOAD_STALE',
        `Validation promised ${promised} rows but the commit would write ${written}: the data this file refers to changed since it was validated. Nothing was written: validate it again, then commit.`,
        `校验时确认写入 ${promised} 行，提交时将写入 ${written} 行：文件所引用的数据在校验后已发生变化。未写入任何数据：请重新校验后再提交。`,
        { reason: 'rows-changed', promised, written },
      );
}

async function markInterrupted(db: Db, id: number, reason: StatusReason): Promise<void> {
  await db.update(uploads).set({ status: 'interrupted', statusReason: reason, progress: null }).where(eq(uploads.id, id));
}

/**
 * Restores exactly the state before a committed upload. Refused while a later committed upload of the
 * same kind and scope stands (revert that one first), so no later change is lost.
 */
export async function revertUpload(database: Database, actor: Actor, settings: UploadSettings, id: number): Promise<UploadView> {
  assertMay(actor, 'revert:upload');
  settings.jobs.assertAccepting();
  const db = database.db;
  const row = await loadRow(db, id);
  assertMayOnUpload(actor, 'revert:upload', row);
  if (row.status !== 'committed')
    throw new DomainError('CONFLICT', `Upload ${id} is ${row.status}: only a committed upload can be reverted`, `上传 ${id} 的状态为 ${row.status}，只有已提交的上传可以撤销`);
  const sameScope = row.kind === 'batch-results' ? eq(uploads.batchId, row.batchId!) : row.regionCode ? eq(uploads.regionCode, row.regionCode) : isNull(uploads.regionCode);
  const [later] = await db
    .select({ id: uploads.id })
    .from(uploads)
    // later by commit time, not by upload order: that is the order the changes were applied in
    .where(and(eq(uploads.kind, row.kind), sameScope, eq(uploads.status, 'committed'), gt(uploads.committedAt, row.committedAt!), ne(uploads.id, id)))
    .orderBy(uploads.committedAt)
    .limit(1);
  if (later)
    throw new DomainError('CONFLICT', `Upload ${later.id} came later and changes the same data: revert it first`, `之后的上传 ${later.id} 修改了相同数据，请先撤销该上传`, { later: later.id });
  const handler = HANDLERS[row.kind as UploadKind];
  const changed = changedBy(row);
  const rows = row.promisedRows ?? row.counts?.valid ?? 0;
  await settings.disk.ensure('database', rows * handler.bytesPerRow);
  const revert = (job: JobHandle) => () =>
    db.transaction(async (tx) => {
      await handler.revert(tx, contextFor(row, actor, new Map(), settings, job));
      await tx.update(uploads).set({ status: 'reverted', revertedAt: sql`now()`, revertedBy: actor.username }).where(eq(uploads.id, id));
      await writeAudit(tx, actor, { action: 'revert', entity: 'upload', entityId: id, regionCode: row.regionCode, before: { status: 'committed' }, after: { status: 'reverted' } });
      await touchData(tx, changed.areas, changed.regions);
    });
  await settings.jobs.run(id, 'reverting', (job) => (rows >= LONG_WRITE_ROWS ? database.duringLongWrite(revert(job)) : revert(job)())).catch((err: unknown) => {
    throw isDiskFull(err) && !(err instanceof DomainError) ? diskFull('database', null, null) : err;
  });
  await analyzeAfter(db, handler.tables, settings);
  try {
    return await getUpload(db, actor, id, settings.jobs);
  } finally {
    tellChanged(settings, row, 'revert');
  }
}

/** Statistics for the tables an upload wrote; the data is already committed, so a failure here is only logged. */
async function analyzeAfter(db: Db, tables: readonly BulkTable[], settings: UploadSettings): Promise<void> {
  await refreshStatistics(db, tables).catch((err: unknown) => (settings.log ?? stderrLog).warn({ err }, 'analyze after an upload failed'));
}

