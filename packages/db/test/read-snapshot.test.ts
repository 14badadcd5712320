/**
 * Readers during a long write on the stored embedded database (read-snapshot.ts): they read the state before
 * the write from a copy, never wait for the write, and the copy goes when its last reader is done.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/client';
import { neededForRecovery } from '../src/read-snapshot';
import { selectRows } from '../src/rows';

const count = async (db: Database['db']) => (await selectRows<{ n: number }>(db, sql`select count(*)::int as n from t`))[0]!.n;
const snapshotsBeside = (dir: string) => readdirSync(dirname(dir)).filter((name) => name.includes('-read-snapshot-'));

describe('read snapshots of the stored embedded database', () => {
  let root: string;
  let dir: string;
  let database: Database;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vbp-read-snapshot-'));
    dir = join(root, 'pglite');
    database = await createDatabase({ pgliteDir: dir });
    // enough WAL that a checkpoint leaves spent and recycled segments behind
    await database.db.execute(sql`create table t as select i, md5(i::text) as s from generate_series(1, 300000) i`);
    await database.db.execute(sql`update t set i = i + 1`);
    await database.db.execute(sql`update t set i = i - 1`);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves readers the state before a long write while it runs, then the state after', async () => {
    let reader: Awaited<ReturnType<Database['readLease']>> | undefined;
    let release!: () => void;
    const writeMayEnd = new Promise<void>((resolve) => (release = resolve));
    const writing = database.duringLongWrite(() =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into t select i, 'new' from generate_series(300001, 310000) i`);
        reader = await database.readLease();
        await writeMayEnd;
      }),
    );
    await expect.poll(() => reader !== undefined, { timeout: 60_000 }).toBe(true);
    // the write's transaction holds the main database: this read answers from the copy, without waiting
    expect(reader!.db).not.toBe(database.db);
    expect(await count(reader!.db)).toBe(300_000);
    // the copy took the segments recovery needs, not the spent or recycled ones
    const [copy] = snapshotsBeside(dir);
    const segments = (folder: string) => readdirSync(join(folder, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name));
    expect(segments(join(root, copy!)).length).toBeGreaterThan(0);
    expect(segments(join(root, copy!)).length).toBeLessThan(segments(dir).length);
    release();
    await writing;
    // a reader still on the snapshot keeps it until it is done
    expect(await count(reader!.db)).toBe(300_000);
    expect(snapshotsBeside(dir)).toHaveLength(1);
    reader!.release();
    await expect.poll(() => snapshotsBeside(dir).length, { timeout: 10_000 }).toBe(0);
    const after = await database.readLease();
    expect(after.db).toBe(database.db);
    expect(await count(after.db)).toBe(310_000);
    after.release();
  });

  it('begins the write only once the readers already on the main database are done', async () => {
    const early = await database.readLease();
    expect(early.db).toBe(database.db);
    const events: string[] = [];
    const writing = database.duringLongWrite(async () => {
      events.push('write');
    });
    // once the snapshot is open, new readers go to it; the write still waits for the early one
    await expect
      .poll(async () => {
        const lease = await database.readLease();
        lease.release();
        return lease.db !== database.db;
      }, { timeout: 60_000 })
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual([]);
    events.push('reader done');
    early.release();
    await writing;
    expect(events).toEqual(['reader done', 'write']);
  });

  it('keeps every file but the WAL segments outside the checkpoint’s span', () => {
    const keep = neededForRecovery('/d', { from: '000000010000000000000005', to: '000000010000000000000006' });
    expect(keep('/d/base/5/16384')).toBe(true);
    expect(keep('/d/pg_wal/archive_status')).toBe(true);
    expect(keep('/d/pg_wal/00000001.history')).toBe(true);
    expect(keep('/d/pg_wal/000000010000000000000005')).toBe(true);
    expect(keep('/d/pg_wal/000000010000000000000006')).toBe(true);
    expect(keep('/d/pg_wal/000000010000000000000004')).toBe(false);
    expect(keep('/d/pg_wal/000000010000000000000007')).toBe(false);
    expect(neededForRecovery('/d', undefined)('/d/pg_wal/000000010000000000000007')).toBe(true);
  });
});
