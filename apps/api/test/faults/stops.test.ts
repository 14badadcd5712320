/**
 * Stops, as an operator causes them, while clerks upload: the server SIGKILLed while validating and while
 * committing, SIGTERMed in each phase (receiving, validating, committing), and (on PostgreSQL) the database
 * stopped as a crash would between validation and commit. After each: the purchases are exactly as before
 * (count and checksum), or as before plus exactly the file's rows; an upload is never `committed` without
 * its rows; what was cut off says so (`interrupted`, with the reason) and is committed after one click.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '@vbp/db';
import { writePurchasesCsv } from '../../../../scripts/lib/purchases-csv';
import { Api, pgliteEngine, postgresEngine, purchasesState, ROOT, request, ServerProcess, SHAPE, stateOf, type Engine, type PostgresEngine } from './harness';

/** Large enough to be validated and committed in the background, in several slices. */
const LARGE = 300_000;
const SMALL = 3_000;

describe.each(['pglite', 'postgres'] as const)('stops on %s', (kind) => {
  const work = join(ROOT, `.test-data/faults-stops-${kind}-${process.pid}`);
  let engine: Engine;
  let files = 0;
  let nextRow = 0;
  /** The rows the database must hold: what each committed file added. */
  let expectedCount = 0;

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    engine = kind === 'pglite' ? await pgliteEngine(join(work, 'data')) : await postgresEngine(join(work, 'postgres'), join(work, 'data'));
  });
  afterAll(async () => {
    await engine?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  /** A purchases file whose rows no other file of the suite has. */
  async function file(rows: number): Promise<{ path: string; rows: number }> {
    const path = join(work, `purchases-${++files}.csv`);
    await writePurchasesCsv(path, rows, SHAPE, { from: nextRow });
    nextRow += rows;
    return { path, rows };
  }

  const state = () => stateOf(engine);

  async function stagingTables(): Promise<string[]> {
    const database = await engine.open();
    try {
      return (await selectRows<{ name: string }>(database.db, sql`select tablename as "name" from pg_tables where tablename like 'staged_purchases_%'`)).map((r) => r.name);
    } finally {
      await database.close();
    }
  }

  /** Validates again, commits, and checks the rows arrived; then stops the server in order. */
  async function recommit(server: ServerProcess, api: Api, id: number, rows: number) {
    expect((await api.post(`/api/uploads/${id}/reprocess`, {})).status).toBeLessThan(300);
    await api.waitFor(id, (v) => v.status === 'validated');
    expect((await api.post(`/api/uploads/${id}/commit`, { acknowledgeWarnings: true })).status).toBeLessThan(300);
    const done = await api.waitFor(id, (v) => v.status === 'committed');
    expect(done.statusReason).toBeNull();
    expectedCount += rows;
    server.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect((await state()).count).toBe(expectedCount);
  }

  it('SIGKILL while validating: nothing written; at the next start the upload says why, and one click validates it again', async () => {
    const before = await state();
    const { path, rows } = await file(LARGE);
    const server = await ServerProcess.start(engine);
    const api = await Api.signIn(server.url);
    const res = await api.upload(path);
    expect(res.status).toBe(202);
    await api.waitFor(res.body.id, (v) => (v.progress?.done ?? 0) > 0);
    server.kill('SIGKILL');
    await server.exited;
    expect(await state()).toEqual(before);

    const again = await ServerProcess.start(engine);
    const api2 = await Api.signIn(again.url);
    const view = (await api2.get(`/api/uploads/${res.body.id}`)).body;
    expect(view).toMatchObject({ status: 'interrupted', statusReason: { code: 'STOPPED_VALIDATING', phase: 'validating' } });
    expect(view.statusReason.messageZh).toContain('未写入任何数据');
    expect(again.logged('left half-way')).toHaveLength(1);
    await recommit(again, api2, res.body.id, rows);
    expect(await stagingTables()).toEqual([]);
  });

  it('SIGKILL while committing: the transaction is gone, nothing written; validated again it commits exactly the file', async () => {
    const { path, rows } = await file(LARGE);
    const server = await ServerProcess.start(engine);
    const api = await Api.signIn(server.url);
    const { id } = (await api.upload(path)).body;
    await api.waitFor(id, (v) => v.status === 'validated');
    server.kill('SIGTERM');
    await server.exited;
    const before = await state();

    const committing = await ServerProcess.start(engine);
    const api2 = await Api.signIn(committing.url);
    expect((await api2.post(`/api/uploads/${id}/commit`, { acknowledgeWarnings: true })).status).toBe(202);
    // killed after the first slice is written, inside the transaction
    await api2.waitFor(id, (v) => v.status === 'committing' && (v.progress?.done ?? 0) > 0, 60_000);
    committing.kill('SIGKILL');
    await committing.exited;
    expect(await state()).toEqual(before);

    const again = await ServerProcess.start(engine);
    const api3 = await Api.signIn(again.url);
    expect((await api3.get(`/api/uploads/${id}`)).body).toMatchObject({ status: 'interrupted', statusReason: { code: 'STOPPED_COMMITTING' } });
    // the clerk cannot commit it as it is: it must be validated again
    expect((await api3.post(`/api/uploads/${id}/commit`, { acknowledgeWarnings: true })).status).toBe(409);
    await recommit(again, api3, id, rows);
  });

  it('SIGTERM while validating and while committing: work under way is stopped in order, rolled back, and named', async () => {
    const { path, rows } = await file(LARGE);
    const before = await state();
    const server = await ServerProcess.start(engine, { SHUTDOWN_GRACE_SECONDS: '1' });
    const api = await Api.signIn(server.url);
    const { id } = (await api.upload(path)).body;
    await api.waitFor(id, (v) => (v.progress?.done ?? 0) > 0);
    server.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(server.logged('stopping')).toHaveLength(1);
    expect(server.logged('upload jobs stopped and rolled back')[0]).toMatchObject({ uploads: [id] });
    expect(server.logged('database closed')).toHaveLength(1);
    expect(await state()).toEqual(before);

    const second = await ServerProcess.start(engine, { SHUTDOWN_GRACE_SECONDS: '1' });
    const api2 = await Api.signIn(second.url);
    // marked by the stopping server itself: the next start found nothing to mark
    expect(second.logged('left half-way')).toHaveLength(0);
    expect((await api2.get(`/api/uploads/${id}`)).body).toMatchObject({ status: 'interrupted', statusReason: { code: 'STOPPED_VALIDATING' } });
    expect((await api2.post(`/api/uploads/${id}/reprocess`, {})).status).toBe(202);
    await api2.waitFor(id, (v) => v.status === 'validated');
    expect((await api2.post(`/api/uploads/${id}/commit`, { acknowledgeWarnings: true })).status).toBe(202);
    await api2.waitFor(id, (v) => v.status === 'committing' && (v.progress?.done ?? 0) > 0, 60_000);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const after = await state();
    const stopped = second.logged('upload jobs stopped and rolled back');
    if (stopped.length) {
      // stopped between slices: rolled back
      expect(after).toEqual(before);
      const third = await ServerProcess.start(engine);
      const api3 = await Api.signIn(third.url);
      expect((await api3.get(`/api/uploads/${id}`)).body).toMatchObject({ status: 'interrupted', statusReason: { code: 'STOPPED_COMMITTING' } });
      await recommit(third, api3, id, rows);
    } else {
      // the commit ended within the grace period: all of it is there
      expect(second.logged('upload jobs finished before the stop')[0]).toMatchObject({ uploads: [id] });
      expectedCount += rows;
      expect(after.count).toBe(expectedCount);
    }
  });

  it('SIGTERM while a file is being received: the request is cut off after the grace period, and no partial file stays', async () => {
    const { path } = await file(LARGE);
    const before = await state();
    const server = await ServerProcess.start(engine, { SHUTDOWN_GRACE_SECONDS: '1' });
    const api = await Api.signIn(server.url);
    const sending = api.upload(path, { pace: 64 * 1024 }).catch((err: unknown) => err);
    const uploads = join(engine.dataDir, 'uploads');
    const deadline = Date.now() + 20_000;
    while (!(existsSync(uploads) && readdirSync(uploads).some((n) => n.endsWith('.part'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    server.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    const answer = await sending;
    // the clerk's browser sees the connection end (or a refusal), never a success
    if (!(answer instanceof Error)) expect((answer as { status: number }).status).toBeGreaterThanOrEqual(400);
    expect(await state()).toEqual(before);
    const again = await ServerProcess.start(engine);
    expect(readdirSync(uploads).filter((n) => n.endsWith('.part'))).toEqual([]);
    again.kill('SIGTERM');
    await again.exited;
  });

  it.runIf(kind === 'postgres')('a database crash between validation and commit: the commit refuses, writes nothing, and the file commits after validating again', async () => {
    const pg = engine as PostgresEngine;
    const { path, rows } = await file(SMALL);
    const server = await ServerProcess.start(engine);
    try {
      const api = await Api.signIn(server.url);
      const res = await api.upload(path);
      expect(res.body).toMatchObject({ status: 'validated', counts: { new: rows } });
      const before = await state();
      pg.crash();
      const down = await request(`${server.url}/api/health`);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ ok: false, db: 'unreachable' });
      expect((await api.get('/api/targets?region=320000')).status).toBe(503);
      pg.start();
      const back = Date.now();
      while ((await request(`${server.url}/api/health`)).status !== 200) {
        expect(Date.now() - back).toBeLessThan(30_000);
        await new Promise((r) => setTimeout(r, 100));
      }
      console.log(`faults: after the database came back, /api/health answered 200 in ${Date.now() - back} ms`);
      const refused = await api.post(`/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'UPLOAD_STALE' });
      expect(refused.body.error.messageZh).toContain('重新校验');
      expect(await state()).toEqual(before);
      expect((await api.get(`/api/uploads/${res.body.id}`)).body).toMatchObject({ status: 'interrupted', statusReason: { code: 'STAGING_LOST' } });
      await recommit(server, api, res.body.id, rows);
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('never leaves a committed upload without its rows', async () => {
    const database = await engine.open();
    try {
      const broken = await selectRows<{ id: number; promised: number; present: number }>(
        database.db,
        sql`select u.id, u.promised_rows::int as "promised", (select count(*)::int from purchases p where p.upload_id = u.id) as "present"
            from uploads u where u.kind = 'purchases' and u.status = 'committed' and not u.is_synthetic`,
      );
      expect(broken.length).toBeGreaterThan(0);
      expect(broken.filter((u) => u.promised !== u.present)).toEqual([]);
      expect((await purchasesState(database)).count).toBe(expectedCount);
    } finally {
      await database.close();
    }
  });
});
