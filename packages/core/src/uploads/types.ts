import type { UploadCounts, UploadIssue, UploadKind } from '@vbp/contracts/uploads';
import type { BulkTable, Database, Db, Tx } from '@vbp/db';
import type { Actor } from '../auth/actor';

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
}

/** One kind's behaviour across the upload's life. */
export interface KindHandler {
  /** The tables a commit or revert writes in bulk: analyzed afterwards (see @vbp/db statistics). */
  tables: readonly BulkTable[];
  /** Loads lookups; throws a DomainError for upload-level problems (no batch, wrong region). */
  validate(database: Database, upload: UploadContext): Promise<KindValidation>;
  /** Writes the upload in the caller's transaction; `rows` is the file read again (or ignored when staged). */
  commit(tx: Tx, database: Database, upload: UploadContext, rows: () => AsyncIterable<ParsedRow[]>): Promise<void>;
  /** Restores exactly the state before the commit, in the caller's transaction. */
  revert(tx: Tx, upload: UploadContext): Promise<void>;
  /** Removes what validation staged (discarded or committed uploads). */
  discard?(db: Db, uploadId: number): Promise<void>;
}
