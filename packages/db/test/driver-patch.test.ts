/**
 * The one patch we keep on the `postgres` driver (patches/postgres@3.4.9.patch): 3.4.9 writes a deferred
 * chunk after its connection closed and throws from a timer, which no caller can catch, so the whole server
 * exits (porsager/postgres#1154 and #1208, open). We met it when PostgreSQL's disk filled and the server
 * restarted under a running commit. With the patch the query fails (CONNECTION_* / admin shutdown) and the
 * process goes on. When the driver is upgraded the patch no longer applies: this test then says whether the
 * new version still needs it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../src/testing';

const PATCHED_VERSION = '3.4.9';

describe('the postgres driver when its backend dies under a reserved connection', () => {
  it('fails the query instead of ending the process', async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    const sql = postgres(testPostgresUrl(), { max: 2, onnotice: () => {} });
    const killer = postgres(testPostgresUrl(), { max: 1, onnotice: () => {} });
    try {
      const reserved = await sql.reserve();
      const [{ pid }] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await killer`select pg_terminate_backend(${pid})`;
      await new Promise((r) => setTimeout(r, 200));
      await expect(reserved`select 1`).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200));
      expect(uncaught).toEqual([]);
      reserved.release();
    } finally {
      process.off('uncaughtException', record);
      await sql.end({ timeout: 1 });
      await killer.end({ timeout: 1 });
    }
  });

  it(`is the version the patch was written for (${PATCHED_VERSION}); on an upgrade, drop the patch if the test above passes without it`, () => {
    const require = createRequire(import.meta.url);
    // the package's exports hide its package.json: find it from the entry point
    const manifest = JSON.parse(readFileSync(require.resolve('postgres').replace(/cjs\/src\/index\.js$/, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(PATCHED_VERSION);
  });
});
