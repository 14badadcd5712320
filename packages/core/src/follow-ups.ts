/**
 * The follow-up list (督办): an office puts a lagging institution (or institution × variety) on it and moves it
 * through 待处理 → 已约谈 → 已整改 → 已关闭, for its own province only (national users for any). Each change is
 * one transaction with one audit row holding the values before and after, who and when. Closing stamps
 * closed_at; moving a closed item back to any other status (reopening) clears it.
 */
import { and, eq, sql } from 'drizzle-orm';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { CreateFollowUpInput, FollowUpView, UpdateFollowUpInput } from '@vbp/contracts/follow-ups';
import type { Db } from '@vbp/db';
import { batches, followUps, institutions, varieties } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { assertMay, type Actor } from './auth/actor';
import { touchData } from './data-version';
import { DomainError, notFound } from './errors';
import { getFollowUp } from './queries/follow-ups';


const auditable = (row: typeof followUps.$inferSelect) => ({ ...row, createdAt: undefined, updatedAt: undefined });

function invalid(field: string, message: string, messageZh: string, value: unknown): DomainError {
  return new DomainError('INVALID_INPUT', `${field}: ${message}`, `${field}：${messageZh}`, { field, value });
}

async function viewOf(db: Db, regionCode: string, id: number): Promise<FollowUpView> {
  const view = await getFollowUp(db, regionCode, id);
  if (!view) throw notFound('follow-up', '督办事项', `${regionCode}/${id}`);
  return view;
}

export async function createFollowUp(db: Db, actor: Actor, input: CreateFollowUpInput): Promise<FollowUpView> {
  assertMay(actor, 'write:follow-up', { regionCode: input.regionCode });
  if (input.regionCode === NATION_CODE)
    throw invalid('regionCode', 'a follow-up belongs to a province, not the nation', '督办事项须属于某一省份，不能是全国', input.regionCode);
  const id = await db.transaction(async (tx) => {
    const [institution] = await tx
      .select({ id: institutions.id })
      .from(institutions)
      .where(and(eq(institutions.regionCode, input.regionCode), eq(institutions.id, input.institutionId)));
    if (!institution)
      throw invalid('institutionId', `no institution ${input.institutionId} in region ${input.regionCode}`, `地区 ${input.regionCode} 没有编号为 ${input.institutionId} 的医疗机构`, input.institutionId);
    if (input.varietyId != null) {
      const [variety] = await tx.select({ id: varieties.id }).from(varieties).where(eq(varieties.id, input.varietyId));
      if (!variety) throw invalid('varietyId', `no variety ${input.varietyId}`, `品种编号不存在：${input.varietyId}`, input.varietyId);
    }
    let batchId: number | null = null;
    if (input.batchCode != null) {
      const [batch] = await tx.select({ id: batches.id }).from(batches).where(eq(batches.code, input.batchCode));
      if (!batch) throw invalid('batchCode', `no batch ${input.batchCode}`, `批次代码不存在：${input.batchCode}`, input.batchCode);
      batchId = batch.id;
    }
    const [row] = await tx
      .insert(followUps)
      .values({
        regionCode: input.regionCode,
        institutionId: input.institutionId,
        varietyId: input.varietyId ?? null,
        batchId,
        reason: input.reason,
        note: input.note || null,
        dueOn: input.dueOn,
        createdBy: actor.username,
        updatedBy: actor.username,
      })
      .returning();
    await writeAudit(tx, actor, { action: 'create', entity: 'follow-up', entityId: row!.id, regionCode: row!.regionCode, after: auditable(row!) });
    await touchData(tx, 'follow-ups', input.regionCode);
    return row!.id;
  });
  return viewOf(db, input.regionCode, id);
}

/** The audit action of a change: closing and reopening are named, so the log can be filtered by them. */
function actionOf(before: string, after: string): string {
  if (before !== 'closed' && after === 'closed') return 'close';
  if (before === 'closed' && after !== 'closed') return 'reopen';
  return 'update';
}

export async function updateFollowUp(db: Db, actor: Actor, regionCode: string, id: number, input: UpdateFollowUpInput): Promise<FollowUpView> {
  // ids are per province: another province's item answers as a missing one
  assertMay(actor, 'write:follow-up', { regionCode }, () => notFound('follow-up', '督办事项', `${regionCode}/${id}`));
  await db.transaction(async (tx) => {
    const where = and(eq(followUps.regionCode, regionCode), eq(followUps.id, id));
    const [before] = await tx.select().from(followUps).where(where).for('update');
    if (!before) throw notFound('follow-up', '督办事项', `${regionCode}/${id}`);
    const status = input.status ?? before.status;
    const closedAt = status === 'closed' ? (before.status === 'closed' ? before.closedAt : sql`now()`) : null;
    const [after] = await tx
      .update(followUps)
      .set({
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        ...(input.note !== undefined ? { note: input.note || null } : {}),
        ...(input.dueOn !== undefined ? { dueOn: input.dueOn } : {}),
        closedAt,
        updatedBy: actor.username,
        updatedAt: sql`now()`,
      })
      .where(where)
      .returning();
    await writeAudit(tx, actor, { action: actionOf(before.status, after!.status), entity: 'follow-up', entityId: id, regionCode, before: auditable(before), after: auditable(after!) });
    await touchData(tx, 'follow-ups', regionCode);
  });
  return viewOf(db, regionCode, id);
}
