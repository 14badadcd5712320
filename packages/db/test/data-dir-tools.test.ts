/**
 * One process at a time in DATA_DIR (issue 13): the command-line tools that open the embedded database
 * (summaries rebuild, synthetic data) refuse while another process holds it, naming that process, and touch
 * nothing; on PostgreSQL they need no lock.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir, lockEmbeddedDatabase, LOCK_FILE } from '../src/data-dir-lock';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

async function tool(args: string[], dataDir: string): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, timeout: 60_000 });
    return { code: 0, stderr: '' };
  } catch (err) {
    const failed = err as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('tools that open the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vbp-data-dir-tools-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['pnpm db:rebuild-summaries', ['scripts/rebuild-summaries.ts']],
    ['pnpm seed:synthetic', ['seeds/src/synthetic/cli.ts', '--region', '320000']],
  ])('%s refuses while the server holds DATA_DIR, and opens nothing', async (_name, args) => {
    const held = await lockDataDir(dir, { purpose: 'server' });
    try {
      const result = await tool(args, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`in use by process ${process.pid} (server`);
      expect(result.stderr).toContain(`正被进程 ${process.pid} 使用`);
      expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    } finally {
      await held.release();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes no lock for a PostgreSQL server or an in-memory database', async () => {
    await expect(lockEmbeddedDatabase({ url: 'postgres://example/db', dataDir: dir }, 'seed-synthetic')).resolves.toBeNull();
    await expect(lockEmbeddedDatabase({ dataDir: 'memory://' }, 'seed-synthetic')).resolves.toBeNull();
    const lock = await lockEmbeddedDatabase({ dataDir: dir }, 'seed-synthetic');
    expect(lock).not.toBeNull();
    await expect(lockDataDir(dir)).rejects.toThrow(/seed-synthetic/);
    await lock?.release();
  });
});
