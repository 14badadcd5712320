/**
 * Vitest global setup: makes a real PostgreSQL server, and a Citus cluster where the machine has Citus,
 * available to the database tests.
 * - `TEST_DATABASE_URL` set (CI starts a server, see .ci/run) → that server is used; otherwise a throwaway
 *   server is started from the local PostgreSQL binaries and stopped afterwards.
 * - `TEST_CITUS_URL` set → that coordinator is used; otherwise, when Citus is installed into the local
 *   PostgreSQL, a throwaway cluster (scripts/citus-throwaway.sh) is started and stopped afterwards; without
 *   Citus (or with `TEST_CITUS=off`) the Citus engine is skipped with one line saying why.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { prepareCitusTemplate, prepareTemplateDatabase } from '../../packages/db/src/testing';

const root = resolve(import.meta.dirname, '../..');
const script = resolve(root, 'scripts/postgres-throwaway.sh');
// One server per run, so runs side by side (several engineers, one machine) do not stop each other's.
const dir = resolve(root, `.test-data/postgres-${process.pid}`);
const citusScript = resolve(root, 'scripts/citus-throwaway.sh');
const citusDir = resolve(root, `.test-data/citus-${process.pid}`);
// The browser tests' seeded data directories, made once per run (apps/web/test/e2e/server.ts).
const e2eTemplates = resolve(root, `.test-data/e2e-templates-${process.pid}`);


/** A loopback port that is free now (`port` 0: any). */
function freePort(port = 0): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The first of `count` consecutive free loopback ports (a cluster's nodes listen on PORT, PORT+1, …). */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    if (first + count > 65535) continue;
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => freePort(first + i + 1).then(() => true, () => false)));
    if (rest.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free loopback ports`);
}

export default async function setup(): Promise<() => void> {
  mkdirSync(e2eTemplates, { recursive: true });
  process.env.VBP_E2E_TEMPLATES ??= e2eTemplates;
  let started = false;
  if (!process.env.TEST_DATABASE_URL) {
    const port = String(await freePort());
    process.env.TEST_DATABASE_URL = execFileSync(script, ['start', dir, port], { encoding: 'utf8' }).trim();
    started = true;
  }
  await prepareTemplateDatabase(process.env.TEST_DATABASE_URL);
  const citusStarted = await startCitus();
  if (process.env.TEST_CITUS_URL) await prepareCitusTemplate(process.env.TEST_CITUS_URL);
  return () => {
    rmSync(e2eTemplates, { recursive: true, force: true });
    if (citusStarted) {
      execFileSync(citusScript, ['stop', citusDir], { stdio: 'inherit' });
      rmSync(citusDir, { recursive: true, force: true });
    }
    if (!started) return;
    execFileSync(script, ['stop', dir], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Starts a throwaway Citus cluster unless one is given or the machine has no Citus; true when it started one. */
async function startCitus(): Promise<boolean> {
  if (process.env.TEST_CITUS_URL) return false;
  if (process.env.TEST_CITUS === 'off') {
    console.log('citus: skipped (TEST_CITUS=off)');
    return false;
  }
  const port = String(await freePorts(3));
  try {
    process.env.TEST_CITUS_URL = execFileSync(citusScript, ['start', citusDir, port], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return true;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status !== 3) throw err;
    // The script exits 3 when Citus is not installed (and says so); any other failure fails the run.
    console.log('citus: skipped (Citus is not installed into this machine\'s PostgreSQL; ../shared/citus/install.sh installs it)');
    rmSync(citusDir, { recursive: true, force: true });
    return false;
  }
}
