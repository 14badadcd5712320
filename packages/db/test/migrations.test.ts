import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/client';
import { selectRows } from '../src/rows';
import { regions, purchases } from '../src/schema/index';
import { openTestDatabase, TEST_ENGINES } from '../src/testing';

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
