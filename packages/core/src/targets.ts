/**
 * Targets set by procurement offices: created, changed and removed for their own province (national
 * users for any region, and the national per-province targets), each change audited with before/after.
 */
import { eq, sql } from 'drizzle-orm';
import type { CreateTargetInput, TargetView, UpdateTargetInput } from '@vbp/contracts/api';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { Db } from '@vbp/db';
import { regions, sourceDocuments, targets } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { touchData } from './data-version';
import { assertMay, type Actor } from './auth/actor';
import { DomainError, notFound } from './errors';
import { listTargets } from './queries/targets';

async function documentId(db: Db, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined) return undefined;
  if (code === null) return null;
  const [doc] = await db.select({ id: sourceDocuments.id }).from(sourceDocuments).where(eq(sourceDocuments.code, code));
  if (!doc) throw new DomainError('INVALID_INPUT', `Unknown source document ${code}`, `来源文件代码不存在：${code}`, { documentCode: code });
  return doc.id;
}

function assertDates(setOn: string, dueOn: string) {
  if (dueOn < setOn)
    throw new DomainError('INVALID_INPUT', `The due date ${dueOn} is before the date the target was set (${setOn})`, `截止日期 ${dueOn} 早于目标设定日期 ${setOn}`, { setOn, dueOn });
}

const missing = (id: number) => () => notFound('target', '目标', String(id));

async function targetRow(db: Db, id: number) {
  const [row] = await db.select().from(targets).where(eq(targets.id, id));
  if (!row) throw missing(id)();
  return row;
}

/** The target as the targets list shows it, evaluated for its own region (as of today). */
async function viewOf(db: Db, id: number, regionCode: string): Promise<TargetView> {
  const list = await listTargets(db, { region: regionCode });
  const found = list.find((t) => t.id === id);
  if (!found) throw notFound('target', '目标', String(id));
  return found;
}

const auditable = (row: typeof targets.$inferSelect) => ({ ...row, createdAt: undefined, updatedAt: undefined });

export async function createTarget(db: Db, actor: Actor, input: CreateTargetInput): Promise<TargetView> {
  assertMay(actor, 'write:target', { regionCode: input.regionCode });
  if (input.scope === 'each_province' && input.regionCode !== NATION_CODE)
    throw new DomainError('INVALID_INPUT', 'Only a national target applies to each province', '只有全国目标可设为“各省均须达到”', { scope: input.scope });
  assertDates(input.setOn, input.dueOn);
  const id = await db.transaction(async (tx) => {
    const [region] = await tx.select({ code: regions.code }).from(regions).where(eq(regions.code, input.regionCode));
    if (!region) throw new DomainError('INVALID_INPUT', `Unknown region ${input.regionCode}`, `地区代码不存在：${input.regionCode}`);
    const { documentCode, ...values } = input;
    const [row] = await tx
      .insert(targets)
      .values({ ...values, documentId: await documentId(tx, documentCode), code: `T-${input.regionCode}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}` })
      .returning();
    await writeAudit(tx, actor, { action: 'create', entity: 'target', entityId: row!.id, regionCode: row!.regionCode, after: auditable(row!) });
    await touchData(tx, 'targets', row!.regionCode);
    return row!.id;
  });
  return viewOf(db, id, input.regionCode === NATION_CODE ? NATION_CODE : input.regionCode);
}

export async function updateTarget(db: Db, actor: Actor, id: number, input: UpdateTargetInput): Promise<TargetView> {
  assertMay(actor, 'write:target');
  const regionCode = await db.transaction(async (tx) => {
    const before = await targetRow(tx, id);
    assertMay(actor, 'write:target', { regionCode: before.regionCode }, missing(id));
    assertDates(input.setOn ?? before.setOn, input.dueOn ?? before.dueOn);
    const { documentCode, ...values } = input;
    const docId = await documentId(tx, documentCode);
    const [after] = await tx
      .update(targets)
      .set({ ...values, ...(docId === undefined ? {} : { documentId: docId }), updatedAt: sql`now()` })
      .where(eq(targets.id, id))
      .returning();
    await writeAudit(tx, actor, { action: 'update', entity: 'target', entityId: id, regionCode: before.regionCode, before: auditable(before), after: auditable(after!) });
    await touchData(tx, 'targets', before.regionCode);
    return before.regionCode;
  });
  return viewOf(db, id, regionCode);
}

export async function deleteTarget(db: Db, actor: Actor, id: number): Promise<void> {
  assertMay(actor, 'write:target');
  await db.transaction(async (tx) => {
    const before = await targetRow(tx, id);
    assertMay(actor, 'write:target', { regionCode: before.regionCode }, missing(id));
    await tx.delete(targets).where(eq(targets.id, id));
    await writeAudit(tx, actor, { action: 'delete', entity: 'target', entityId: id, regionCode: before.regionCode, before: auditable(before) });
    await touchData(tx, 'targets', before.regionCode);
  });
}
