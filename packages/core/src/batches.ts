/**
 * Batch metadata the procurement office may correct: a provincial batch of its own province (national
 * users: any batch). Varieties and products come from uploads (issue 4), not from here.
 */
import { eq, sql } from 'drizzle-orm';
import type { BatchSummary, UpdateBatchInput } from '@vbp/contracts/api';
import type { Db } from '@vbp/db';
import { batches } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { touchData } from './data-version';
import { assertPermission, forbidden, isNational, type Actor } from './auth/actor';
import { notFound } from './errors';
import { listBatches } from './queries/batches';

export async function updateBatch(db: Db, actor: Actor, code: string, input: UpdateBatchInput): Promise<BatchSummary> {
  assertPermission(actor, 'write:batches');
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(batches).where(eq(batches.code, code));
    if (!before) throw notFound('batch', '批次', code);
    if (!isNational(actor) && !(before.level === 'provincial' && before.regionCode === actor.regionCode))
      throw forbidden(
        `Only national users may change ${before.level} batch ${code}; you may change your province's own batches`,
        `只有全国用户可修改批次 ${code}；您可修改本省组织的批次`,
        { code },
      );
    const [after] = await tx
      .update(batches)
      .set({ ...input, updatedAt: sql`now()` })
      .where(eq(batches.id, before.id))
      .returning();
    const strip = (row: typeof before) => ({ ...row, createdAt: undefined, updatedAt: undefined });
    await writeAudit(tx, actor, { action: 'update', entity: 'batch', entityId: code, regionCode: before.regionCode, before: strip(before), after: strip(after!) });
    await touchData(tx);
  });
  const list = await listBatches(db, { q: code, page: 1, pageSize: 200 });
  const summary = list.items.find((b) => b.code === code);
  if (!summary) throw notFound('batch', '批次', code);
  return summary;
}
