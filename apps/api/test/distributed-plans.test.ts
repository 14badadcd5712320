/**
 * How the reads run on a Citus cluster (issue 11): every statement a single-province read sends is a router
 * query (one shard, `Task Count: 1` in its plan), a 全国 read fans out over the shards in parallel, and no
 * statement repartitions a distributed table (a join on something other than the province). The statements
 * are the real ones: caught from the read functions as they run, then explained on the coordinator.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionListQuery, ExecutionSummaryQuery } from '@vbp/contracts/execution';
import { getExecutionSummary, getInstitutionExecution, listExecution } from '@vbp/core/queries/execution';
import { getOverview } from '@vbp/core/queries/overview';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import type { Database, Db } from '@vbp/db';
import { createAgreedVolume, createInstitution, createProduct, createPurchases } from '@vbp/db/execution-factories';
import { createBatchWithVarieties, createRegion, createSelectedProduct } from '@vbp/db/factories';
import { openTestDatabase, TEST_SHARD_COUNT, testCitusUrl } from '@vbp/db/testing';

const OWN = '320000';
const OTHER = '110000';
const NATION = '100000';
const DATE = '2024-06-30';
/** Before the last month with purchases: the totals do not hold, the month rows are summed. */
const EARLIER = '2024-01-31';

interface Statement {
  text: string;
  params: unknown[];
}

describe.runIf(testCitusUrl())('read plans on a Citus cluster', () => {
  let database: Database;
  let caught: Statement[] | null = null;
  let institutionId: number;

  beforeAll(async () => {
    database = await openTestDatabase('citus', {
      onQuery: (text, params) => {
        if (caught && /^\s*(select|with)\b/i.test(text)) caught.push({ text, params });
      },
    });
    const db = database.db;
    await createRegion(db, { code: NATION, nameZh: '全国', shortNameZh: '全国', nameEn: 'China', kind: 'nation' });
    for (const [code, name] of [
      [OWN, '江苏省'],
      [OTHER, '北京市'],
    ] as const) {
      await createRegion(db, { code, nameZh: name, shortNameZh: name.slice(0, 2), nameEn: code });
      const { batch, varieties } = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: code });
      for (const [i, variety] of varieties.entries()) {
        const selected = await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4' });
        const other = await createProduct(db, { varietyId: variety.id });
        const institution = await createInstitution(db, { regionCode: code, name: `${name}医院${i}`, cityCode: `${code.slice(0, 2)}0100`, cityName: '市', level: '三级' });
        if (code === OWN && i === 0) institutionId = institution.id;
        await createAgreedVolume(db, { regionCode: code, batchId: batch.id, institutionId: institution.id, varietyId: variety.id, periodStart: '2024-01-01', periodEnd: '2024-12-31', quantity: '1000' });
        await createPurchases(db, { regionCode: code, institutionId: institution.id, productId: selected.product.id, months: { '2024-01-01': '100', '2024-02-01': '120' } });
        await createPurchases(db, { regionCode: code, institutionId: institution.id, productId: other.id, months: { '2024-01-01': '10' } });
      }
    }
    await rebuildSummaries(db);
  });
  afterAll(() => database?.close());

  /** The statements one read sends, each with its plan on the coordinator. */
  async function plansOf(read: (db: Db) => Promise<unknown>): Promise<{ text: string; plan: string; tasks: number[] }[]> {
    caught = [];
    await read(database.db);
    const statements = caught;
    caught = null;
    const sql = (database.driver as { client: postgres.Sql }).client;
    const explained = [];
    for (const s of statements) {
      const rows = await sql.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${s.text}`, s.params as postgres.ParameterOrJSON<never>[]);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      explained.push({ text: s.text.replace(/\s+/g, ' ').trim().slice(0, 160), plan, tasks: [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1])) });
    }
    expect(explained.length).toBeGreaterThan(0);
    return explained;
  }

  const reads = (region: string, date = DATE): Record<string, (db: Db) => Promise<unknown>> => ({
    'execution summary': (db) => getExecutionSummary(db, ExecutionSummaryQuery.parse({ region, date })),
    ...Object.fromEntries(
      ['institution', 'variety', 'city', 'batch'].map((by) => [`list by ${by}`, (db: Db) => listExecution(db, ExecutionListQuery.parse({ region, date, by }))]),
    ),
    overview: (db) => getOverview(db, { region, date }),
  });
  const atDates = Object.keys(reads(OWN))
    .concat('institution drill-down')
    .flatMap((name) => [DATE, EARLIER].map((date) => [name, date] as const));

  it.each(atDates)('runs every statement of the %s of one province at %s on one shard', async (name, date) => {
    const read = name === 'institution drill-down' ? (db: Db) => getInstitutionExecution(db, { id: institutionId, region: OWN, date, threshold: 0.8 }) : reads(OWN, date)[name]!;
    for (const s of await plansOf(read)) {
      expect(s.tasks.length, `${s.text}\n${s.plan}`).toBeGreaterThan(0);
      expect(s.tasks.every((n) => n === 1), `not a router query: ${s.text}\n${s.plan}`).toBe(true);
    }
  });

  it.each(Object.keys(reads(NATION)))('runs the %s of 全国 on every shard at once, without repartitioning', async (name) => {
    const plans = await plansOf(reads(NATION)[name]!);
    // at least one statement reads the provinces' shards in parallel (the summaries of every province)
    expect(plans.some((s) => s.tasks.some((n) => n === TEST_SHARD_COUNT)), plans.map((s) => `${s.text}\n${s.plan}`).join('\n\n')).toBe(true);
    for (const s of plans) expect(s.plan, s.text).not.toMatch(/MapMergeJob|Repartition|repartition/);
  });
});
