/**
 * The server as `pnpm start` runs it: opens the database named by the environment, migrates, seeds,
 * and answers over a real port. On PGlite (DATA_DIR) and on PostgreSQL (DATABASE_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '@vbp/db/testing';
import { startServer } from '../src/server';

const quiet = () => {};
const ADMIN_PASSWORD = 'server-test-admin-password';

/** Signs in as the first administrator over real HTTP and GETs a path with the session cookie. */
async function signedInGet(base: string, path: string): Promise<any> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.json();
}

describe('server start', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('creates, migrates and seeds an embedded database under DATA_DIR, and reopens it without reseeding', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vbp-server-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, PORT: '0', VBP_DEMO: '0', WEB_ROOT: '', VBP_ADMIN_PASSWORD: ADMIN_PASSWORD };
    const logs: string[] = [];
    const first = await startServer(env, (line) => logs.push(line));
    try {
      const health = await fetch(`${first.url}/api/health`).then((r) => r.json() as Promise<any>);
      expect(health).toMatchObject({ ok: true, db: 'pglite', demo: false });
      const nation = await signedInGet(first.url, '/api/coverage?region=100000&type=drug&date=2024-06-30');
      expect(nation.cumulative).toBe(374);
    } finally {
      await first.stop();
    }
    expect(logs.some((l) => l.includes('reference data loaded'))).toBe(true);

    const again: string[] = [];
    const second = await startServer(env, (line) => again.push(line));
    try {
      const bj = await signedInGet(second.url, '/api/coverage?region=110000&type=drug&date=2024-07-31');
      expect(bj.cumulative).toBe(556);
    } finally {
      await second.stop();
    }
    expect(again.some((l) => l.includes('reference data up to date'))).toBe(true);
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', async () => {
    const created = await createTestPostgresDatabase();
    const server = await startServer({ DATABASE_URL: created.url, PORT: '0', WEB_ROOT: '', VBP_ADMIN_PASSWORD: ADMIN_PASSWORD }, quiet);
    try {
      expect(server.config.demo).toBe(false);
      const health = await fetch(`${server.url}/api/health`).then((r) => r.json() as Promise<any>);
      expect(health).toMatchObject({ ok: true, db: 'postgres', demo: false });
      const im = await signedInGet(server.url, '/api/coverage?region=150000&type=drug&date=2021-03-31');
      expect(im.cumulative).toBe(112);
    } finally {
      await server.stop();
      await created.drop();
    }
  });

  it('refuses a bad PORT with a clear message', async () => {
    await expect(startServer({ PORT: 'eighty', DATA_DIR: 'memory://' }, quiet)).rejects.toThrow(/PORT/);
  });
});
