/**
 * Safe the way the README starts it (issue 13, item 3): the start command with HOST=0.0.0.0 on a fresh
 * embedded database creates no account with the published password and says how to turn demo mode on;
 * demo mode asked for on the network without the second confirmation, or a misspelt setting, stops the
 * start with a message naming the variable; and a second server on the same DATA_DIR is refused.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '@vbp/core/auth/bootstrap';
import { verifyPassword } from '@vbp/core/auth/password';
import { createDatabase } from '@vbp/db';
import { users } from '@vbp/db/schema';
import { request, ROOT, ServerProcess } from '../faults/harness';

/** Runs the server until it exits by itself (a refused start); its exit code and what it said. */
async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/index.ts')], { cwd: ROOT, env: { ...process.env, PORT: '0', WEB_ROOT: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

describe('safe defaults as the README starts the server', () => {
  const work = join(ROOT, `.test-data/reliability-defaults-${process.pid}`);
  const dataDir = join(work, 'data');
  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('on 0.0.0.0 with a fresh embedded database: no account with the published password, and the log says how to turn demo mode on', async () => {
    // VBP_DEMO unset, as the README's command leaves it
    const server = await ServerProcess.start({ kind: 'pglite', dataDir, env: { DATA_DIR: dataDir, HOST: '0.0.0.0', VBP_DEMO: '' }, open: () => createDatabase({ dataDir }), dispose: async () => {} });
    try {
      const off = server.lines.find((l) => l.includes('demo mode is off'));
      expect(off).toContain('VBP_DEMO=1');
      expect(off).toContain('VBP_DEMO_ON_NETWORK=yes');
      expect((await request(`${server.url}/api/health`)).body).toMatchObject({ ok: true, demo: false });
      for (const demo of DEMO_USERS) {
        const res = await request(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: demo.username, password: DEMO_PASSWORD }) });
        expect(res.status, demo.username).toBe(401);
      }
      // a second server on the same DATA_DIR is refused while this one runs (PGlite is one process's)
      const second = await refusedStart({ DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.output).toContain(String(server.child.pid));
    } finally {
      server.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
    const database = await createDatabase({ dataDir });
    let published = 0;
    try {
      const accounts = await database.db.select({ username: users.username, passwordHash: users.passwordHash }).from(users);
      expect(accounts.map((a) => a.username)).toEqual(['admin']);
      for (const account of accounts) if (await verifyPassword(DEMO_PASSWORD, account.passwordHash)) published++;
      expect(published).toBe(0);
    } finally {
      await database.close();
    }
    console.log(`reliability defaults: HOST=0.0.0.0 on a fresh DATA_DIR created ${published} accounts with the published password; demo sign-ins answered 401`);
  });

  it('refuses demo mode on the network without the second confirmation, and a misspelt setting, naming the variable', async () => {
    const demo = await refusedStart({ DATA_DIR: join(work, 'refused'), HOST: '0.0.0.0', VBP_DEMO: '1' });
    expect(demo.code).toBe(1);
    expect(demo.output).toContain('VBP_DEMO_ON_NETWORK=yes');
    expect(demo.output).toContain('演示模式');
    const misspelt = await refusedStart({ DATA_DIR: join(work, 'refused'), VBP_DEMO: 'ture' });
    expect(misspelt.code).toBe(1);
    expect(misspelt.output).toContain('VBP_DEMO="ture"');
    expect(misspelt.output).toContain('配置有误');
  });
});
