/**
 * A full disk, for real: small tmpfs file systems hold DATA_DIR (uploaded files, and the embedded database)
 * or PostgreSQL's data, filled while clerks upload. Receiving, validating and committing give a 507 with a
 * zh/en message and keep nothing of the file; the server keeps serving; the embedded database opens
 * afterwards; a first start on too small a disk refuses clearly instead of dying half-way. Mounting needs
 * root: elsewhere the file is skipped with one line saying so.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '@vbp/db';
import { writePurchasesCsv } from '../../../../scripts/lib/purchases-csv';
import { Api, canMountTmpfs, fillDisk, mountTmpfs, pgliteEngine, postgresEngine, purchasesState, ROOT, request, ServerProcess, SHAPE, stateOf, type Engine } from './harness';

const cannot = canMountTmpfs();
if (cannot) console.log(`faults: full-disk tests skipped: ${cannot} (they mount small tmpfs file systems; CI runs them as root)`);

const ROWS = 100_000;

describe.skipIf(cannot !== null).each(['pglite', 'postgres'] as const)('a full disk on %s', (kind) => {
  const work = join(ROOT, `.test-data/faults-disk-${kind}-${process.pid}`);
  const mounts: { unmount(): void }[] = [];
  let engine: Engine;
  let dataDisk: string;
  let files = 0;
  let nextRow = 0;

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const data = mountTmpfs(join(work, 'data'), 256);
    mounts.push(data);
    if (kind === 'pglite') {
      engine = await pgliteEngine(join(data.dir, 'vbp'));
      dataDisk = data.dir;
    } else {
      // PostgreSQL's own data on a disk of its own, filled in the commit case
      const pg = mountTmpfs(join(work, 'postgres'), 320, 'postgres:postgres');
      mounts.push(pg);
      engine = await postgresEngine(pg.dir, join(data.dir, 'vbp'));
      dataDisk = pg.dir;
    }
  });
  afterAll(async () => {
    await engine?.dispose().catch(() => {});
    for (const m of mounts.reverse()) m.unmount();
    rmSync(work, { recursive: true, force: true });
  });

  async function file(rows: number): Promise<string> {
    const path = join(work, `purchases-${++files}.csv`);
    await writePurchasesCsv(path, rows, SHAPE, { from: nextRow });
    nextRow += rows;
    return path;
  }

  const partials = () => {
    const dir = join(engine.dataDir, 'uploads');
    return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.part')) : [];
  };

  it('refuses a file it has no room to receive (507), keeps no part of it, and goes on serving', async () => {
    const path = await file(ROWS);
    const server = await ServerProcess.start(engine);
    const filler = fillDisk(join(engine.dataDir), 2 * 1024 * 1024);
    try {
      const api = await Api.signIn(server.url);
      const res = await api.upload(path);
      expect(res.status).toBe(507);
      expect(res.body.error.code).toBe('INSUFFICIENT_STORAGE');
      expect(res.body.error.messageZh).toContain('磁盘空间不足');
      expect(partials()).toEqual([]);
      expect((await request(`${server.url}/api/health`)).status).toBe(200);
      expect((await api.get('/api/targets?region=320000')).status).toBe(200);
    } finally {
      rmSync(filler, { force: true });
      server.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
  });

  it('refuses to validate or commit when the database’s disk would fill, says so on the upload, and commits once there is room', async () => {
    const path = await file(ROWS);
    const before = await stateOf(engine);
    const server = await ServerProcess.start(engine);
    try {
      const api = await Api.signIn(server.url);
      const res = await api.upload(path);
      expect(res.status).toBeLessThan(300);
      const validated = await api.waitFor(res.body.id, (v) => v.status !== 'processing');
      expect(validated.status).toBe('validated');

      const filler = fillDisk(dataDisk, 15 * 1024 * 1024);
      try {
        const refused = await api.post(`/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
        // PGlite: refused beforehand; PostgreSQL: its own "could not extend file" (53100), or, when the
        // write-ahead log is what fills, the server restarts and the request finds it unreachable (503)
        expect([507, 503]).toContain(refused.status);
        const after = await api.waitFor(res.body.id, (v) => v.status !== 'committing', 60_000).catch(() => null);
        if (refused.status === 507) {
          expect(refused.body.error.code).toBe('INSUFFICIENT_STORAGE');
          expect(after).toMatchObject({ status: 'validated', statusReason: { code: 'INSUFFICIENT_STORAGE' } });
        }
        const health = await request(`${server.url}/api/health`);
        expect([200, 503]).toContain(health.status);

        // a second file cannot even be staged
        if (kind === 'pglite') {
          const second = await api.upload(await file(ROWS));
          const ended = second.status === 202 ? await api.waitFor(second.body.id, (v) => v.status !== 'processing') : second.body;
          expect(second.status === 507 || ended.status === 'failed').toBe(true);
          if (ended.status === 'failed') expect(ended.statusReason).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
        }
      } finally {
        rmSync(filler, { force: true });
      }

      // room again: the database answers (PostgreSQL may be recovering), the upload commits exactly
      const deadline = Date.now() + 60_000;
      while ((await request(`${server.url}/api/health`)).status !== 200) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 250));
      }
      let view = (await api.get(`/api/uploads/${res.body.id}`)).body;
      if (view.status === 'interrupted' || view.status === 'committing') {
        // the database crashed on the full disk: its staged rows are gone, validate again
        if (view.status === 'committing') view = await api.waitFor(res.body.id, (v) => v.status !== 'committing');
        await api.post(`/api/uploads/${res.body.id}/reprocess`, {});
        view = await api.waitFor(res.body.id, (v) => v.status !== 'processing');
      }
      expect(view.status).toBe('validated');
      await api.post(`/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
      expect((await api.waitFor(res.body.id, (v) => v.status !== 'committing')).status).toBe('committed');
    } finally {
      server.kill('SIGTERM');
      await server.exited;
    }
    // the database opens, and holds exactly the file's rows more
    const database = await engine.open();
    try {
      const state = await purchasesState(database);
      expect(state.count).toBe(before.count + ROWS);
      const committed = await selectRows<{ id: number; promised: number; present: number }>(
        database.db,
        sql`select u.id, u.promised_rows::int as "promised", (select count(*)::int from purchases p where p.upload_id = u.id) as "present"
            from uploads u where u.status = 'committed' and u.kind = 'purchases'`,
      );
      expect(committed.filter((u) => u.promised !== u.present)).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it.runIf(kind === 'pglite')('refuses to generate synthetic data that would fill the disk, and the database opens afterwards', async () => {
    const before = await stateOf(engine);
    const filler = fillDisk(dataDisk, 64 * 1024 * 1024);
    try {
      const seeded = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'seeds/src/synthetic/cli.ts'), '--region', '320000'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: engine.dataDir },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(seeded.status).toBe(1);
      expect(seeded.stderr).toContain('磁盘空间不足');
    } finally {
      rmSync(filler, { force: true });
    }
    expect(await stateOf(engine)).toEqual(before);
  });

  it.runIf(kind === 'pglite')('refuses a first start on a disk too small for the demo data, clearly, and leaves nothing half-made', () => {
    const small = mountTmpfs(join(work, 'small'), 128);
    mounts.push(small);
    const start = (demo: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/index.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: small.dir, PORT: '0', WEB_ROOT: '', VBP_DEMO: demo, VBP_ADMIN_PASSWORD: 'fault-test-admin-password', SHUTDOWN_GRACE_SECONDS: '1' },
        encoding: 'utf8',
        timeout: 120_000,
      });
    const demo = start('1');
    expect(demo.status).toBe(1);
    expect(demo.stderr).toContain('DATA_DIR');
    expect(demo.stderr).toContain('约需');
    expect(readdirSync(small.dir).filter((n) => n.startsWith('pglite'))).toEqual([]);
  });
});
