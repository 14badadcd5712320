/**
 * The embedded database on its own thread (pglite-thread.ts): the same answers as PGlite on the caller's
 * thread, the same transactions and errors, and the caller's event loop free while a statement runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/client';
import { copyRows } from '../src/copy';
import { PgliteThread } from '../src/pglite-thread';
import { selectRows } from '../src/rows';

const TYPES = sql`select
  date '2024-02-29' as "day", timestamp '2024-02-29 23:59:59.5' as "at", timestamptz '2024-02-29 16:00:00+00' as "atTz",
  interval '1 month 2 days' as "span", 12345678901234::int8 as "big", 1.005::numeric(12, 3) as "price",
  array[1.5, 2.25]::numeric[] as "prices", array[date '2024-01-01']::date[] as "days", '{"a": [1, "二"]}'::jsonb as "doc",
  '\\x00ff'::bytea as "bytes", true as "yes", null::text as "nothing", '江苏省' as "name"`;

describe('PGlite on a thread of its own', () => {
  let dir: string;
  let database: Database;
  let thread: PgliteThread;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vbp-pglite-thread-'));
    database = await createDatabase({ pgliteDir: join(dir, 'pglite') });
    if (database.driver.kind !== 'pglite' || !(database.driver.client instanceof PgliteThread)) throw new Error('a stored PGlite should open on a thread');
    thread = database.driver.client;
    await database.db.execute(sql`create table t (id int primary key, note text not null)`);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers through drizzle exactly as PGlite on this thread does, value types included', async () => {
    const local = await PGlite.create();
    try {
      const expected = await selectRows(drizzle(local) as never, TYPES);
      expect(await selectRows(database.db, TYPES)).toEqual(expected);
      // and the typed path (rows as arrays, mapped by drizzle)
      const typed = async (db: Database['db']) => db.select({ n: sql<string>`1.50::numeric`, d: sql<string>`date '2024-12-31'` }).from(sql`(select 1) as one`);
      expect(await typed(database.db)).toEqual(await typed(drizzle(local) as never));
    } finally {
      await local.close();
    }
  });

  it('commits a transaction, rolls one back when its callback throws, and keeps the error’s code', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into t values (1, 'kept')`);
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into t values (2, 'dropped')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const duplicate = await database.db.execute(sql`insert into t values (1, 'again')`).catch((err: unknown) => err);
    const cause = (duplicate as { cause?: { code?: string; constraint?: string } }).cause ?? (duplicate as { code?: string });
    expect(cause).toMatchObject({ code: '23505', constraint: 't_pkey' });
    expect(await selectRows(database.db, sql`select id, note from t order by id`)).toEqual([{ id: 1, note: 'kept' }]);
  });

  it('makes a query outside a transaction wait for it, as PGlite does', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = thread.transaction(async (tx) => {
      await tx.query(`insert into t values (3, 'in the transaction')`);
      order.push('written');
      await held;
      order.push('committing');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reading = thread.query<{ n: number }>('select count(*)::int as n from t').then((r) => (order.push('read'), r.rows[0]!.n));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual(['written']);
    release();
    await writing;
    expect(await reading).toBe(2);
    expect(order).toEqual(['written', 'committing', 'read']);
  });

  it('ends a transaction rolled back by hand without committing it', async () => {
    await thread.transaction(async (tx) => {
      await tx.query(`insert into t values (4, 'rolled back')`);
      await tx.rollback();
      expect(tx.closed).toBe(true);
    });
    expect((await thread.query<{ n: number }>('select count(*)::int as n from t where id = 4')).rows[0]!.n).toBe(0);
  });

  it('loads a COPY from a blob', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [1000 + i, `行 ${i}`]);
    async function* source() {
      yield* rows;
    }
    expect(await copyRows(database, 't', ['id', 'note'], source())).toBe(5000);
    expect((await thread.query<{ n: number }>('select count(*)::int as n from t where id >= 1000')).rows[0]!.n).toBe(5000);
  });

  it('refuses a parser that would change a value rather than parse differently', async () => {
    await expect(thread.query('select 1', [], { parsers: { 1082: (value: string) => new Date(value) } })).rejects.toThrow(/only identity parsers/);
  });

  it('leaves the caller’s event loop free while a long statement runs', async () => {
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    const started = performance.now();
    try {
      await thread.query('select sum(i * j) from generate_series(1, 1500) i, generate_series(1, 1500) j');
    } finally {
      clearInterval(ticker);
    }
    const statementMs = performance.now() - started;
    // the statement itself is long (hundreds of ms); on the caller's thread the gap would be as long
    expect(statementMs).toBeGreaterThan(200);
    expect(longestGap).toBeLessThan(statementMs / 2);
  });

  it('fails every call, and says so once, when the thread dies', async () => {
    const deaths: Error[] = [];
    const dying = await PgliteThread.open(join(dir, 'unused'), { script: new URL('./fixtures/dying-pglite-worker.mjs', import.meta.url), onDeath: (error) => deaths.push(error) });
    await expect(dying.query('select 1')).rejects.toThrow(/exit code 3/);
    await expect(dying.query('select 1')).rejects.toThrow(/exit code 3/);
    expect(deaths.map((e) => e.message)).toEqual(["the embedded database's thread stopped: exit code 3"]);
    await dying.close();
  });
});
