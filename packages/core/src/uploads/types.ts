import type { UploadCounts, UploadIssue, UploadKind } from '@vbp/contracts/uploads';
import type { BulkTable, Database, Db, Tx } from '@vbp/db';
import type { Actor } from '../auth/actor';
import type { JobHandle } from './jobs';

/** A typed row from the importer: values by column key (see UPLOAD_COLUMNS). */
export interface ParsedRow {
  /** The row number as Excel shows it. */
  rowNumber: number;
  values: Record<string, unknown>;
}

/** The upload being processed: what the handlers need to know about it. */
export interface UploadContext {
  id: number;
  kind: UploadKind;
  regionCode: string | null;
  batchId: number | null;
  actor: Actor;
  /** What validation counted (the preview): empty while validating. */
  counts: Partial<UploadCounts>;
  /** The file header for a column key, for messages ("第 12 行“医保编码”列…"). */
  header(key: string): string;
  /** What validation promised the commit writes (null while validating). */
  promise: CommitPromise | null;
  /** The job this work runs as: checkpoints between batches, progress. */
  job: JobHandle;
  /** Milliseconds spent in named parts of the work (logged with the commit: the cost of the summaries). */
  timings: Record<string, number>;
  /** Refuses (INSUFFICIENT_STORAGE) unless the database's disk has room for about `bytes` more. */
  ensureDatabaseSpace(bytes: number): Promise<void>;
}

/** Rows a commit will write, and a checksum of them, as validation found them. */
export interface CommitPromise {
  rows: number;
  checksum: string;
}

export interface RowOutcome {
  errors: UploadIssue[];
  warnings: UploadIssue[];
}

/**
 * One kind's validation state: rows are checked in batches (references resolved against the database,
 * staged where the kind stages), then summarised for the preview.
 */
export interface KindValidation {
  accept(rows: readonly ParsedRow[]): Promise<RowOutcome>;
  /** After the last row: the preview's counts, and problems only visible across rows (duplicates). */
  summarize(): Promise<Summary>;
  /** Releases what validation holds open (a running COPY) when it stops early. */
  dispose?(): Promise<void>;
}

export interface Summary {
  counts: Partial<UploadCounts>;
  errors?: UploadIssue[];
  warnings?: UploadIssue[];
  /** Errors found but not listed (the report is capped). */
  moreErrors?: number;
  /** Kinds that stage rows: a checksum of the staged rows, which the commit proves again before writing. */
  stagedChecksum?: string;
}

/** One kind's behaviour across the upload's life. */
export interface KindHandler {
  /** The tables a commit or revert writes in bulk: analyzed afterwards (see @vbp/db statistics). */
  tables: readonly BulkTable[];
  /** Loads lookups; throws a DomainError for upload-level problems (no batch, wrong region). */
  validate(database: Database, upload: UploadContext): Promise<KindValidation>;
  /**
   * Writes the upload in the caller's transaction and returns how many rows it wrote (checked against the
   * promise); `rows` is the file read again (ignored by kinds that stage, which prove their staged rows
   * against the promise before writing).
   */
  commit(tx: Tx, database: Database, upload: UploadContext, rows: () => AsyncIterable<ParsedRow[]>): Promise<number>;
  /** Restores exactly the state before the commit, in the caller's transaction. */
  revert(tx: Tx, upload: UploadContext): Promise<void>;
  /** Removes what validation staged (discarded or committed uploads). */
  discard?(db: Db, uploadId: number): Promise<void>;
  /** Kinds that stage: how many rows are staged for the upload now (null when the staging is gone). */
  stagedRows?(db: Db, uploadId: number): Promise<number | null>;
  /** About how many bytes the database grows by per row committed (for the disk check before a commit). */
  bytesPerRow: number;
}
