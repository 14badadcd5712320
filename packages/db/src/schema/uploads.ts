import { bigint, boolean, char, index, inet, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { batches } from './batches';
import { regions } from './regions';

/** A file a clerk loaded (or a labelled synthetic load), its status and its report. */
export const uploads = pgTable(
  'uploads',
  {
    id: serial().primaryKey(),
    kind: text().notNull(),
    regionCode: char({ length: 6 }).references(() => regions.code),
    batchId: integer().references(() => batches.id),
    status: text().notNull(),
    fileName: text().notNull(),
    sha256: char({ length: 64 }),
    sizeBytes: bigint({ mode: 'number' }),
    counts: jsonb().$type<Record<string, number>>(),
    report: jsonb(),
    isSynthetic: boolean().notNull().default(false),
    /** The sheet read (XLSX) and the encoding detected or chosen (CSV). */
    sheet: text(),
    encoding: text(),
    /** File header → column key, as matched or as the clerk mapped it. */
    mapping: jsonb().$type<Record<string, string>>(),
    /** Rows done / total of the running phase, for the progress bar. */
    progress: jsonb().$type<{ phase: string; done: number; total: number | null }>(),
    /**
     * The stored file (its name in the upload folder). A committed upload keeps it: it is the evidence of what
     * was loaded. Retention removes the file of an upload that was never committed or was reverted, a while
     * after (packages/core/src/retention.ts): the name is then cleared and `fileRemovedAt` says when.
     */
    storedName: text(),
    /** When retention removed the stored file; the upload can then no longer be read again or committed. */
    fileRemovedAt: timestamp({ withTimezone: true }),
    /**
     * What validation promised the commit will write: the number of rows and a checksum of them (of the
     * staged rows, or of the file's rows for kinds that read the file again). The commit proves both inside
     * its transaction or writes nothing.
     */
    promisedRows: bigint({ mode: 'number' }),
    promisedChecksum: text(),
    /** Why the upload is `interrupted` or `failed`: `{ code, phase, message, messageZh, at }`. */
    statusReason: jsonb().$type<{ code: string; phase: string | null; message: string; messageZh: string; at: string }>(),
    duplicateOfId: integer(),
    createdBy: text(),
    createdByUserId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp({ withTimezone: true }),
    committedBy: text(),
    revertedAt: timestamp({ withTimezone: true }),
    revertedBy: text(),
  },
  (t) => [index().on(t.regionCode, t.createdAt), index().on(t.sha256)],
);

/** A column mapping a clerk saved for files of the same shape (the same normalised headers). */
export const uploadMappings = pgTable(
  'upload_mappings',
  {
    id: serial().primaryKey(),
    kind: text().notNull(),
    name: text().notNull(),
    headerSignature: char({ length: 64 }).notNull(),
    mapping: jsonb().$type<Record<string, string>>().notNull(),
    regionCode: char({ length: 6 }).references(() => regions.code),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.kind, t.headerSignature, t.regionCode)],
);

/**
 * Rows an upload's commit replaced or removed, as they were, so a revert restores exactly the state
 * before it (small tables: varieties, batch varieties, products, selected products, implementations,
 * agreed volumes).
 */
export const uploadSnapshots = pgTable(
  'upload_snapshots',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    uploadId: integer()
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    tableName: text().notNull(),
    row: jsonb().notNull(),
  },
  (t) => [index().on(t.uploadId)],
);

/** Who did what, when, from where; `before` / `after` hold the changed values. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The username at the time (kept when the user is later renamed or removed). */
    actor: text().notNull(),
    actorUserId: integer(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    regionCode: char({ length: 6 }),
    ip: inet(),
    requestId: text(),
    before: jsonb(),
    after: jsonb(),
  },
  (t) => [index().on(t.at), index().on(t.entity, t.entityId), index().on(t.regionCode, t.at)],
);
