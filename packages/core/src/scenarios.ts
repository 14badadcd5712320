/**
 * Scenarios (规划): an office creates, changes and removes what-if plans for its own province (national users
 * for any province), each in one transaction with one audit row holding the scenario before and after. A
 * scenario is the office's working data: nothing here touches coverage, batches or published figures.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { CreateScenarioInput, PlannedBatchInput, ScenarioView, UpdateScenarioInput } from '@vbp/contracts/scenarios';
import type { Db } from '@vbp/db';
import { regions, scenarioBatches, scenarios } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { assertMay, type Actor } from './auth/actor';
import { touchData } from './data-version';
import { DomainError, notFound } from './errors';
import { loadScenario } from './queries/scenarios';

const missing = (id: number) => () => notFound('scenario', '规划', String(id));

async function assertRegion(db: Db, regionCode: string): Promise<void> {
  if (regionCode === NATION_CODE)
    throw new DomainError('INVALID_INPUT', 'A scenario is planned for a province, not for the nation', '规划须针对某一省份，不能针对全国', { regionCode });
  const [region] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, regionCode));
  if (!region) throw new DomainError('INVALID_INPUT', `Unknown region ${regionCode}`, `地区代码不存在：${regionCode}`, { regionCode });
}

async function assertNameFree(db: Db, regionCode: string, name: string, except?: number): Promise<void> {
  const [taken] = await db
    .select({ id: scenarios.id })
    .from(scenarios)
    .where(and(eq(scenarios.regionCode, regionCode), eq(scenarios.name, name), except === undefined ? undefined : ne(scenarios.id, except)));
  if (taken)
    throw new DomainError('CONFLICT', `Region ${regionCode} already has a scenario named "${name}"`, `${regionCode} 已有名为“${name}”的规划`, { regionCode, name, id: taken.id });
}

async function insertBatches(db: Db, scenarioId: number, batches: readonly PlannedBatchInput[]): Promise<void> {
  await db.insert(scenarioBatches).values(
    batches.map((b, position) => ({
      scenarioId,
      position,
      name: b.name,
      level: b.level,
      productType: b.productType,
      announcementDate: b.announcementDate ?? null,
      implementationDate: b.implementationDate,
      varieties: b.varieties ?? null,
      varietyCount: b.varietyCount ?? null,
      coveredShare: b.coveredShare ?? null,
    })),
  );
}

/** The scenario as the audit log keeps it: its fields and batches, without the timestamps. */
const auditable = (s: ScenarioView) => ({ ...s, createdAt: undefined, updatedAt: undefined });

export async function createScenario(db: Db, actor: Actor, input: CreateScenarioInput): Promise<ScenarioView> {
  assertMay(actor, 'write:scenario', { regionCode: input.regionCode });
  return db.transaction(async (tx) => {
    await assertRegion(tx, input.regionCode);
    await assertNameFree(tx, input.regionCode, input.name);
    const [row] = await tx
      .insert(scenarios)
      .values({ regionCode: input.regionCode, name: input.name, note: input.note ?? null, createdBy: actor.username })
      .returning({ id: scenarios.id });
    await insertBatches(tx, row!.id, input.batches);
    const after = await loadScenario(tx, row!.id);
    await writeAudit(tx, actor, { action: 'create', entity: 'scenario', entityId: after.id, regionCode: after.regionCode, after: auditable(after) });
    await touchData(tx, 'planning', after.regionCode);
    return after;
  });
}

export async function updateScenario(db: Db, actor: Actor, id: number, input: UpdateScenarioInput): Promise<ScenarioView> {
  assertMay(actor, 'write:scenario');
  return db.transaction(async (tx) => {
    const before = await loadScenario(tx, id);
    assertMay(actor, 'write:scenario', { regionCode: before.regionCode }, missing(id));
    if (input.name !== undefined) await assertNameFree(tx, before.regionCode, input.name, id);
    await tx
      .update(scenarios)
      .set({ ...(input.name === undefined ? {} : { name: input.name }), ...(input.note === undefined ? {} : { note: input.note }), updatedAt: sql`now()` })
      .where(eq(scenarios.id, id));
    if (input.batches !== undefined) {
      await tx.delete(scenarioBatches).where(eq(scenarioBatches.scenarioId, id));
      await insertBatches(tx, id, input.batches);
    }
    const after = await loadScenario(tx, id);
    await writeAudit(tx, actor, { action: 'update', entity: 'scenario', entityId: id, regionCode: before.regionCode, before: auditable(before), after: auditable(after) });
    await touchData(tx, 'planning', before.regionCode);
    return after;
  });
}

export async function deleteScenario(db: Db, actor: Actor, id: number): Promise<void> {
  assertMay(actor, 'write:scenario');
  await db.transaction(async (tx) => {
    const before = await loadScenario(tx, id);
    assertMay(actor, 'write:scenario', { regionCode: before.regionCode }, missing(id));
    // its batches go with it (on delete cascade)
    await tx.delete(scenarios).where(eq(scenarios.id, id));
    await writeAudit(tx, actor, { action: 'delete', entity: 'scenario', entityId: id, regionCode: before.regionCode, before: auditable(before) });
    await touchData(tx, 'planning', before.regionCode);
  });
}
