/**
 * The distributed layout (src/distribution.ts): every table of the schema has its place, and on a Citus
 * cluster migrate() puts each there, on a fresh database and on one that already holds data.
 */
import { randomBytes } from 'node:crypto';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/client';
import { createAgreedVolume } from '../src/execution-factories';
import { createBatchWithVarieties } from '../src/factories';
import { DISTRIBUTED_TABLES, distributeTables, REFERENCE_TABLES } from '../src/distribution';
import { refreshStatistics } from '../src/statistics';
import * as schema from '../src/schema/index';
import { addCitusToDatabase, dropCitusDatabase, openTestDatabase, testCitusUrl } from '../src/testing';

const schemaTables = Object.values(schema)
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table))
  .sort();

describe('the distributed layout', () => {
  it('places every table of the schema exactly once, as distributed or as reference', () => {
    const placed = [...DISTRIBUTED_TABLES, ...REFERENCE_TABLES];
    expect(new Set(placed).size).toBe(placed.length);
    expect([...placed].sort()).toEqual(schemaTables);
  });
});

interface Placement {
  table: string;
  method: string;
  column: string | null;
  model: string;
  colocation: number;
}

async function placements(sql: postgres.Sql): Promise<Placement[]> {
  return sql<Placement[]>`
    select logicalrelid::text as "table", partmethod as "method", column_to_column_name(logicalrelid, partkey) as "column",
           repmodel as "model", colocationid as "colocation"
    from pg_dist_partition order by 1`;
}

const clientOf = (database: Database) => (database.driver as { client: postgres.Sql }).client;

function expectLayout(rows: Placement[]): void {
  const byTable = new Map(rows.map((r) => [r.table, r]));
  const anchor = byTable.get(DISTRIBUTED_TABLES[0]);
  for (const table of DISTRIBUTED_TABLES)
    expect(byTable.get(table), table).toMatchObject({ method: 'h', column: 'region_code', colocation: anchor?.colocation });
  for (const table of REFERENCE_TABLES) expect(byTable.get(table), table).toMatchObject({ method: 'n', model: 't' });
  // the upload staging tables made at run time are the only others
  expect(rows.filter((r) => !byTable.has(r.table) || ![...DISTRIBUTED_TABLES, ...REFERENCE_TABLES].includes(r.table as never))).toEqual([]);
}

describe.runIf(testCitusUrl())('the distributed layout on a Citus cluster', () => {
  it('is what migrate() leaves on a fresh database: execution tables by region_code and co-located, the rest reference tables', async () => {
    const database = await openTestDatabase('citus');
    try {
      const rows = await placements(clientOf(database));
      expectLayout(rows);
      // a second migrate (every start) changes nothing
      expect(await distributeTables(database.db)).toEqual({ distributed: [], referenced: [] });
      await database.migrate();
      expect(await placements(clientOf(database))).toEqual(rows);
    } finally {
      await database.close();
    }
  });

  it('gives every shard of a bulk-loaded table its statistics when asked (the planner guessed none for half a million rows)', async () => {
    const database = await openTestDatabase('citus');
    try {
      const sql = clientOf(database);
      await sql`insert into regions (code, name_zh, short_name_zh, name_en, kind, sort_order) values ('320000', '江苏省', '江苏', 'Jiangsu', 'province', 1)`;
      await sql`insert into institutions (region_code, code, name) select '320000', 'H' || n, '医院' || n from generate_series(1, 500) n`;
      // reltuples of a shard never analyzed (nor vacuumed) is -1
      const shardRows = async () =>
        (await sql<{ result: string }[]>`select result from run_command_on_shards('institutions', $$select reltuples from pg_class where oid = '%s'::regclass$$)`).map((r) => Number(r.result));
      await refreshStatistics(database.db, ['institutions'], { onCluster: 'analyze' });
      const analyzed = await shardRows();
      expect(analyzed.length).toBeGreaterThan(1);
      expect(analyzed.every((n) => n >= 0)).toBe(true);
      expect(analyzed.reduce((a, b) => a + b, 0)).toBe(500);
    } finally {
      await database.close();
    }
  });

  it('distributes a database that already holds data when Citus arrives, keeping every row and key', async () => {
    const coordinatorUrl = testCitusUrl()!;
    const name = `vbp_test_${randomBytes(6).toString('hex')}`;
    const url = new URL(coordinatorUrl);
    url.pathname = `/${name}`;
    // a single server's database first, with data: the extension is not there yet
    const admin = postgres(coordinatorUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    try {
      const plain = await createDatabase({ url: url.toString(), maxConnections: 1 });
      await plain.migrate();
      await clientOf(plain).unsafe(`
        insert into regions (code, name_zh, short_name_zh, name_en, kind, sort_order) values ('320000', '江苏省', '江苏', 'Jiangsu', 'province', 1), ('110000', '北京市', '北京', 'Beijing', 'province', 2);
        insert into institutions (region_code, code, name) values ('320000', 'H1', '医院一'), ('110000', 'H1', '医院一'), ('110000', 'H2', '医院二');
        insert into purchases (region_code, institution_id, product_id, month, quantity) select i.region_code, i.id, 1, '2024-01-01', 10 from institutions i;`);
      await expect(placements(clientOf(plain))).rejects.toThrow(/pg_dist_partition/);
      await plain.close();

      // the operator adds Citus (the extension on every node, the workers registered) and starts the product
      await addCitusToDatabase(coordinatorUrl, name);
      const distributed = await createDatabase({ url: url.toString(), maxConnections: 1 });
      try {
        await distributed.migrate();
        const sql = clientOf(distributed);
        expectLayout(await placements(sql));
        // every row is still there, now on the workers' shards
        expect(await sql`select region_code, count(*)::int as n from purchases group by 1 order by 1`).toEqual([
          { region_code: '110000', n: 2 },
          { region_code: '320000', n: 1 },
        ]);
        const [shards] = await sql<{ n: number }[]>`select count(distinct nodeport)::int as n from citus_shards where table_name = 'purchases'::regclass`;
        expect(shards!.n).toBeGreaterThan(1);
        // and the keys hold across the cluster: an agreed volume needs its institution (distributed, same
        // shard) and its batch (a reference table)
        const { batch, varieties } = await createBatchWithVarieties(distributed.db, 1);
        const [institution] = await sql<{ id: number }[]>`select id from institutions where region_code = '320000'`;
        const volume = { regionCode: '320000', batchId: batch.id, varietyId: varieties[0]!.id, periodStart: '2024-01-01', periodEnd: '2024-12-31', quantity: '100' };
        await createAgreedVolume(distributed.db, { ...volume, institutionId: institution!.id });
        await expect(createAgreedVolume(distributed.db, { ...volume, institutionId: 999_999 })).rejects.toThrow();
        await expect(createAgreedVolume(distributed.db, { ...volume, institutionId: institution!.id, contractYear: 2, batchId: 999_999 })).rejects.toThrow();
        const [fk] = await sql<{ n: number }[]>`select count(*)::int as n from pg_constraint where conrelid = 'agreed_volumes'::regclass and contype = 'f'`;
        expect(fk!.n).toBe(5);
      } finally {
        await distributed.close();
      }
    } finally {
      await dropCitusDatabase(coordinatorUrl, name);
    }
  });
});
