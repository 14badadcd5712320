/**
 * The audit log: who did what, when, from where, with the values before and after. Written in the same
 * transaction as the change it records. Secrets never enter it (see `redact`). Newest first by id, which
 * follows time since entries are appended.
 */
import { and, desc, eq, gte, ilike, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditList, AuditQuery } from '@vbp/contracts/auth';
import { addDays } from '@vbp/contracts/dates';
import type { Db } from '@vbp/db';
import { auditLog } from '@vbp/db/schema';
import { assertMay, isNational, type Actor } from './auth/actor';

const SECRET_KEYS = /password|token|secret|csrf|session/i;

/** Drops every field whose name suggests a secret, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_KEYS.test(k)).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

export interface AuditRecord {
  action: string;
  entity: string;
  entityId?: string | number | null;
  regionCode?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Who is recorded: a signed-in actor, or a name (a failed sign-in, the system at start-up). */
export interface AuditActor {
  username: string;
  userId?: number | null;
  ip?: string | null;
  requestId?: string | null;
}

export async function writeAudit(db: Db, actor: AuditActor, record: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    actor: actor.username,
    actorUserId: actor.userId ?? null,
    action: record.action,
    entity: record.entity,
    entityId: record.entityId === undefined || record.entityId === null ? null : String(record.entityId),
    regionCode: record.regionCode ?? null,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
    before: record.before === undefined ? null : (JSON.parse(JSON.stringify(redact(record.before))) as object),
    after: record.after === undefined ? null : (JSON.parse(JSON.stringify(redact(record.after))) as object),
  });
}

function filters(actor: Actor, query: Omit<AuditQuery, 'page' | 'pageSize'>): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    // an office sees its own region's entries; national users and admins see all
    isNational(actor) ? undefined : eq(auditLog.regionCode, actor.regionCode),
    query.actor ? ilike(auditLog.actor, `%${query.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.entity ? eq(auditLog.entity, query.entity) : undefined,
    query.region ? eq(auditLog.regionCode, query.region) : undefined,
    // dates are China Standard Time days
    query.from ? gte(auditLog.at, sql`${`${query.from}T00:00:00+08:00`}::timestamptz`) : undefined,
    query.to ? lt(auditLog.at, sql`${`${addDays(query.to, 1)}T00:00:00+08:00`}::timestamptz`) : undefined,
  ];
  return and(...conditions);
}

const columns = {
  id: auditLog.id,
  at: auditLog.at,
  actor: auditLog.actor,
  action: auditLog.action,
  entity: auditLog.entity,
  entityId: auditLog.entityId,
  regionCode: auditLog.regionCode,
  ip: auditLog.ip,
  requestId: auditLog.requestId,
  before: auditLog.before,
  after: auditLog.after,
};

function toEntry(row: { at: Date } & Omit<AuditEntry, 'at'>): AuditEntry {
  return { ...row, at: row.at.toISOString() };
}

export async function listAudit(db: Db, actor: Actor, query: AuditQuery): Promise<AuditList> {
  assertMay(actor, 'read:audit');
  const where = filters(actor, query);
  const [rows, [total]] = await Promise.all([
    db.select(columns).from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(where),
  ]);
  return { items: rows.map(toEntry), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

/** Every matching entry, newest first, in pages (for exports that must not hold everything in memory). */
export async function* iterateAudit(db: Db, actor: Actor, query: Omit<AuditQuery, 'page' | 'pageSize'>, pageSize = 2000): AsyncGenerator<AuditEntry> {
  assertMay(actor, 'read:audit');
  const where = filters(actor, query);
  // keyset on the identity column (entries are written in time order): no entry skipped or repeated
  let before: number | null = null;
  for (;;) {
    const rows = await db
      .select(columns)
      .from(auditLog)
      .where(and(where, before === null ? undefined : lt(auditLog.id, before)))
      .orderBy(desc(auditLog.id))
      .limit(pageSize);
    for (const row of rows) yield toEntry(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    before = last.id;
  }
}
