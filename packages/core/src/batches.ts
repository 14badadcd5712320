/**
 * Batch metadata the procurement office may correct: a provincial batch of its own province (national
 * users: any batch). Varieties and products come from uploads (issue 4), not from here.
 */
import { eq, sql } from 'drizzle-orm';
import type { BatchSummary, UpdateBatchInput } from '@vbp/contracts/api';
import { NATION_CODE, type BatchLevel } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import { batches } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { touchData } from './data-version';
import { assertMay, type Actor } from './auth/actor';
import { notFound } from './errors';
import { listBatches } from './queries/batches';

/**
 * Where a batch's metadata is shown: a national or alliance batch everywhere (national data); a provincial
 * batch in its province, where it is implemented (its agreed volumes need that) and where a follow-up names it.
 */
async function regionsShowing(db: Db, batch: typeof batches.$inferSelect): Promise<string[]> {
  if (batch.level !== 'provincial' || !batch.regionCode) return [NATION_CODE];
  const rows = await selectRows<{ region: string }>(
    db,
    sql`select region_code as region from implementations where batch_id = ${batch.id}
        union select region_code from follow_ups where batch_id = ${batch.id}`,
  );
  return [...new Set([batch.regionCode, ...rows.map((r) => r.region)])];
}

export async function updateBatch(db: Db, actor: Actor, code: string, input: UpdateBatchInput): Promise<BatchSummary> {
  assertMay(actor, 'update:batch');
  await db.transaction(async (tx) => {
    const missing = () => notFound('batch', '批次', code);
    const [before] = await tx.select().from(batches).where(eq(batches.code, code));
    if (!before) throw missing();
    // national and alliance batches: national users; a province's own batches: its office
    assertMay(actor, 'update:batch', { regionCode: before.regionCode, batchLevel: before.level as BatchLevel }, missing);
    const shownIn = await regionsShowing(tx, before);
    const [after] = await tx
      .update(batches)
      .set({ ...input, updatedAt: sql`now()` })
      .where(eq(batches.id, before.id))
      .returning();
    const strip = (row: typeof before) => ({ ...row, createdAt: undefined, updatedAt: undefined });
    await writeAudit(tx, actor, { action: 'update', entity: 'batch', entityId: code, regionCode: before.regionCode, before: strip(before), after: strip(after!) });
    await touchData(tx, 'reference', shownIn);
  });
  const list = await listBatches(db, { q: code, page: 1, pageSize: 200 });
  const summary = list.items.find((b) => b.code === code);
  if (!summary) throw notFound('batch', '批次', code);
  return summary;
}
