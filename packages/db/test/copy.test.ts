import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/client';
import { copyRows, encodeValue, withTransaction, type CopyOptions, type CopyRow } from '../src/copy';
import { selectRows } from '../src/rows';
import { regions } from '../src/schema/index';
import { openTestDatabase, TEST_ENGINES } from '../src/testing';

const PURCHASE_COLUMNS = ['region_code', 'institution_id', 'product_id', 'month', 'quantity', 'amount', 'upload_id', 'is_synthetic'];

function* purchaseRows(count: number, regionCode = '320000'): Generator<CopyRow> {
  for (let i = 0; i < count; i++) {
    // unique natural key: 600 rows per institution = 50 products × 12 months
    const month = `2024-${String((i % 12) + 1).padStart(2, '0')}-01`;
    yield [regionCode, Math.floor(i / 600), Math.floor((i % 600) / 12), month, `${i}.125`, `${i * 2}.50`, null, true];
  }
}

describe('encodeValue', () => {
  it('writes COPY text format', () => {
    expect(encodeValue(null)).toBe('\\N');
    expect(encodeValue(undefined)).toBe('\\N');
    expect(encodeValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(encodeValue('\\N')).toBe('\\\\N');
    expect(encodeValue(true)).toBe('t');
    expect(encodeValue(false)).toBe('f');
    expect(encodeValue(12n)).toBe('12');
    expect(encodeValue(-1.5)).toBe('-1.5');
    expect(() => encodeValue(Number.NaN)).toThrow(/finite/);
  });
});

describe.each(TEST_ENGINES)('copyRows on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await database.db.execute(
      sql.raw(`create table copy_probe (id int primary key, label text, amount numeric(40, 15), flag boolean, note text)`),
    );
  });
  afterAll(() => database?.close());
  afterEach(async () => {
    await database.db.execute(sql`delete from purchases`);
    await database.db.execute(sql`delete from regions`);
  });

  const count = async (table: string, where = 'true') => {
    const [row] = await selectRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table} where ${where}`));
    return row?.n ?? -1;
  };

  it('round-trips awkward text, nulls and exact decimals', async () => {
    const values: [string | null, string | null, boolean | null, string | null][] = [
      ['tab\there', '0.000000000000001', true, ''],
      ['line\nbreak\r\nwindows', '12345678901234567890.123456789012345', false, null],
      ['back\\slash \\N \\. \\t', '-0.5', null, 'not null'],
      [`quotes ' " "" ''`, '1e3', true, ','],
      ['集采看板 中选产品（合成）', '999.999999999999999', false, '阿莫西林胶囊 0.25g*24粒/盒'],
      [null, null, null, null],
      ['\\', '0', true, '\t'],
      ['emoji 💊 and \u00a0nbsp', '42', false, '\\\\'],
    ];
    const rows = values.map((v, i) => [i + 1, ...v] as const);
    await expect(copyRows(database, 'copy_probe', ['id', 'label', 'amount', 'flag', 'note'], rows)).resolves.toBe(rows.length);
    const back = await selectRows<{ id: number; label: string | null; amount: string | null; flag: boolean | null; note: string | null }>(
      database.db,
      sql`select id, label, amount::text as amount, flag, note from copy_probe order by id`,
    );
    expect(back.map((r) => [r.id, r.label, r.note, r.flag])).toEqual(rows.map((r) => [r[0], r[1], r[4], r[3]]));
    expect(back.map((r) => r.amount)).toEqual([
      '0.000000000000001',
      '12345678901234567890.123456789012345',
      '-0.500000000000000',
      '1000.000000000000000',
      '999.999999999999999',
      null,
      '0.000000000000000',
      '42.000000000000000',
    ]);
  });

  it('loads 200,000 purchase rows from an async stream, reporting progress', async () => {
    const progress: number[] = [];
    async function* slowSource() {
      for (const row of purchaseRows(200_000)) yield row;
    }
    const started = performance.now();
    const loaded = await copyRows(database, 'purchases', PURCHASE_COLUMNS, slowSource(), {
      onProgress: (n) => progress.push(n),
    });
    const seconds = (performance.now() - started) / 1000;
    console.info(`copyRows on ${engine}: 200,000 purchase rows in ${seconds.toFixed(2)} s = ${Math.round(200_000 / seconds).toLocaleString('en')} rows/s`);
    expect(loaded).toBe(200_000);
    expect(progress.at(-1)).toBe(200_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const [sum] = await selectRows<{ n: number; q: string; a: string }>(
      database.db,
      sql`select count(*)::int as n, sum(quantity)::text as q, sum(amount)::text as a from purchases where region_code = '320000'`,
    );
    // Σ i + 0.125 for i < 200,000 and Σ 2i + 0.5
    expect(sum).toEqual({ n: 200_000, q: '19999925000.000', a: '39999900000.00' });
  });

  it('rolls back the whole transaction when the database refuses a row', async () => {
    const rows = [...purchaseRows(5_000, '110000')];
    rows[3_456] = ['110000', 1, 1, '2024-01-01', 'not a number', null, null, true];
    await expect(
      withTransaction(database, async ({ tx, copy }) => {
        await tx.insert(regions).values({ code: '110000', nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing', kind: 'municipality', sortOrder: 1 });
        await copy('purchases', PURCHASE_COLUMNS, purchaseRows(1_000, '120000'));
        return copy('purchases', PURCHASE_COLUMNS, rows, { chunkRows: 1_000 });
      }),
    ).rejects.toThrow(/numeric|invalid input/i);
    expect(await count('regions')).toBe(0);
    expect(await count('purchases')).toBe(0);
    // the connection is usable again (not left idle in an aborted transaction)
    await expect(count('copy_probe')).resolves.toBeGreaterThan(0);
    if (engine === 'postgres') {
      const stuck = await selectRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
      );
      expect(stuck[0]?.n).toBe(0);
    }
  });

  it('loads nothing when the database refuses a row of a COPY outside a transaction', async () => {
    const rows = [...purchaseRows(60_000)];
    rows[50_001] = ['320000', 1, 1, '2024-13-01', '1', null, null, true];
    await expect(copyRows(database, 'purchases', PURCHASE_COLUMNS, rows, { chunkRows: 20_000 })).rejects.toThrow(/date|out of range/i);
    expect(await count('purchases')).toBe(0);
    await expect(copyRows(database, 'purchases', PURCHASE_COLUMNS, purchaseRows(10))).resolves.toBe(10);
  });

  it('rolls back a COPY whose source fails midway, inside and outside a transaction', async () => {
    function* broken(): Generator<CopyRow> {
      yield* purchaseRows(30_000);
      throw new Error('source broke');
    }
    await expect(copyRows(database, 'purchases', PURCHASE_COLUMNS, broken(), { chunkRows: 10_000 })).rejects.toThrow('source broke');
    await expect(
      withTransaction(database, ({ copy }) => copy('purchases', PURCHASE_COLUMNS, broken(), { chunkRows: 10_000 })),
    ).rejects.toThrow('source broke');
    expect(await count('purchases')).toBe(0);
  });

  it('refuses a row of the wrong width and loads none of the rows', async () => {
    const rows: CopyRow[] = [...purchaseRows(10)];
    rows.push(['320000', 1, 1]);
    await expect(copyRows(database, 'purchases', PURCHASE_COLUMNS, rows)).rejects.toThrow(/row 11 has 3 values, expected 8/);
    expect(await count('purchases')).toBe(0);
  });

  it('joins a drizzle transaction passed as `tx` and commits with it', async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(regions).values({ code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu', kind: 'province', sortOrder: 10 });
      await copyRows(database, 'purchases', PURCHASE_COLUMNS, purchaseRows(2_500), { tx });
      // visible inside the transaction
      const [inside] = await selectRows<{ n: number }>(tx, sql`select count(*)::int as n from purchases`);
      expect(inside?.n).toBe(2_500);
    });
    expect(await count('purchases')).toBe(2_500);
    expect(await count('regions')).toBe(1);
  });

  it("joins a transaction of the driver's own client", async () => {
    const inDriverTransaction = <T>(fn: (client: NonNullable<CopyOptions['client']>) => Promise<T>): Promise<T> =>
      database.driver.kind === 'postgres'
        ? (database.driver.client.begin((sql) => fn(sql as unknown as NonNullable<CopyOptions['client']>)) as Promise<T>)
        : database.driver.client.transaction((tx) => fn(tx));
    await expect(
      inDriverTransaction(async (client) => {
        await copyRows(database, 'purchases', PURCHASE_COLUMNS, purchaseRows(3_000), { client });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await count('purchases')).toBe(0);
    await inDriverTransaction((client) => copyRows(database, 'purchases', PURCHASE_COLUMNS, purchaseRows(3_000), { client }));
    expect(await count('purchases')).toBe(3_000);
  });

  it('keeps other queries off the COPY’s connection while the pool is saturated', async () => {
    // postgres.js pipelines a query onto a busy pool connection when every connection is busy; onto one in
    // COPY FROM STDIN it broke the protocol ("unexpected message type during COPY", the server then closes
    // the connection): the clerk's upload under 64 readers failed with CONNECTION_CLOSED (issue 13).
    let reading = true;
    const failures: string[] = [];
    const readers = Array.from({ length: 12 }, async () => {
      while (reading) {
        try {
          await selectRows(database.db, sql`select count(*)::int as n, pg_sleep(0.005) from pg_class`);
        } catch (err) {
          failures.push(err instanceof Error ? err.message : String(err));
        }
      }
    });
    async function* slowly(): AsyncGenerator<CopyRow> {
      let i = 0;
      for (const row of purchaseRows(30_000)) {
        yield row;
        if (++i % 1_000 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    try {
      await expect(copyRows(database, 'purchases', PURCHASE_COLUMNS, slowly())).resolves.toBe(30_000);
    } finally {
      reading = false;
      await Promise.all(readers);
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(await count('purchases')).toBe(30_000);
  });

  it('loads an empty stream as zero rows', async () => {
    await expect(copyRows(database, 'purchases', PURCHASE_COLUMNS, [])).resolves.toBe(0);
  });
});
