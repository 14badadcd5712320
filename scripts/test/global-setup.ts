/**
 * Vitest global setup: makes a real PostgreSQL server available to the database tests.
 * `TEST_DATABASE_URL` set (CI starts a server, see .ci/run) → that server is used; otherwise a throwaway
 * server is started from the local PostgreSQL binaries and stopped afterwards.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { prepareTemplateDatabase } from '../../packages/db/src/testing';

const root = resolve(import.meta.dirname, '../..');
const script = resolve(root, 'scripts/postgres-throwaway.sh');
// One server per run, so runs side by side (several engineers, one machine) do not stop each other's.
const dir = resolve(root, `.test-data/postgres-${process.pid}`);

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export default async function setup(): Promise<() => void> {
  let started = false;
  if (!process.env.TEST_DATABASE_URL) {
    const port = String(await freePort());
    process.env.TEST_DATABASE_URL = execFileSync(script, ['start', dir, port], { encoding: 'utf8' }).trim();
    started = true;
  }
  await prepareTemplateDatabase(process.env.TEST_DATABASE_URL);
  return () => {
    if (!started) return;
    execFileSync(script, ['stop', dir], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
  };
}
