import { bigint, boolean, char, index, inet, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
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
    createdBy: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp({ withTimezone: true }),
    revertedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.regionCode, t.createdAt), index().on(t.sha256)],
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
