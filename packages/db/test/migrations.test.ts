import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createDatabase, migrationsFolder, type Database } from '../src/client';
import { withDatabase } from '../src/cluster';
import { selectRows } from '../src/rows';
import { regions, purchases } from '../src/schema/index';
import { openTestDatabase, TEST_ENGINES, testPostgresUrl } from '../src/testing';

describe.each(TEST_ENGINES)('migrations on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database?.close());

  it('creates every table of the schema', async () => {
    const tables = await selectRows<{ name: string }>(
      database.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['regions', 'batches', 'varieties', 'implementations', 'targets', 'purchases', 'audit_log']),
    );
  });

  it('applies again without changes (idempotent)', async () => {
    await database.migrate();
    const [row] = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(row?.n).toBeGreaterThan(0);
  });

  it('keeps money exact in numeric columns and keys purchases by region first', async () => {
    await database.db.insert(regions).values({ code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu', kind: 'province', sortOrder: 10 });
    await database.db.insert(purchases).values({
      regionCode: '320000',
      institutionId: 1,
      productId: 1,
      month: '2024-03-01',
      quantity: '1234567890.125',
      amount: '0.10',
    });
    const [row] = await database.db.select().from(purchases);
    expect(row).toMatchObject({ quantity: '1234567890.125', amount: '0.10', month: '2024-03-01' });
    // a second row for the same institution × product × month violates the natural key
    await expect(
      database.db.insert(purchases).values({ regionCode: '320000', institutionId: 1, productId: 1, month: '2024-03-01', quantity: '1' }),
    ).rejects.toThrow();
  });
});

/** The statements of the migration files, in order, up to (and without) `until`. */
function migrationStatements(from: string, until?: string): string[] {
  const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql') && f >= from && (until === undefined || f < until)).sort();
  return files.flatMap((f) => readFileSync(join(migrationsFolder, f), 'utf8').split('--> statement-breakpoint'));
}

describe('ids from sequences (migration 0009, for Citus)', () => {
  it('continues after the ids the identity columns gave, also after deletions, and leaves no identity', async () => {
    const db = await PGlite.create();
    try {
      for (const statement of migrationStatements('0000', '0009')) await db.exec(statement);
      await db.exec(`insert into regions (code, name_zh, short_name_zh, name_en, kind, sort_order) values ('320000', '江苏省', '江苏', 'Jiangsu', 'province', 10)`);
      await db.exec(`insert into institutions (region_code, code, name) values ('320000', 'A', 'a'), ('320000', 'B', 'b'), ('320000', 'C', 'c')`);
      // the last id given is deleted: a revert restores such rows from snapshots with their ids
      await db.exec(`delete from institutions where code = 'C'`);
      for (const statement of migrationStatements('0009')) await db.exec(statement);
      const added = await db.query<{ id: number }>(`insert into institutions (region_code, code, name) values ('320000', 'D', 'd') returning id`);
      expect(added.rows[0]!.id).toBe(4);
      const identities = await db.query<{ n: number }>(
        `select count(*)::int as n from pg_attribute where attrelid in ('institutions'::regclass, 'agreed_volumes'::regclass) and attidentity <> ''`,
      );
      expect(identities.rows[0]!.n).toBe(0);
      // a restored row keeps its id, as snapshots restore them
      await db.exec(`insert into institutions (region_code, id, code, name) overriding system value values ('320000', 3, 'C', 'c')`);
    } finally {
      await db.close();
    }
  });
});

describe('two servers starting together on an empty PostgreSQL database', () => {
  it('take turns at the migrations (an advisory lock): both start, each migration is applied once', async () => {
    const serverUrl = testPostgresUrl();
    const name = `vbp_lock_${Date.now().toString(36)}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = withDatabase(serverUrl, name);
    const [a, b] = [await createDatabase({ url, maxConnections: 2 }), await createDatabase({ url, maxConnections: 2 })];
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      const level = await a.migrationLevel();
      expect(level.applied).toBe(level.expected);
      const [row] = await selectRows<{ n: number; distinct: number }>(a.db, sql`select count(*)::int as n, count(distinct hash)::int as "distinct" from drizzle.__drizzle_migrations`);
      expect(row).toEqual({ n: level.expected, distinct: level.expected });
    } finally {
      await a.close();
      await b.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
