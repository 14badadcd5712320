/**
 * Vitest global setup: makes a real PostgreSQL server available to the database tests.
 * `TEST_DATABASE_URL` set (CI starts a server, see .ci/run) → that server is used; otherwise a throwaway
 * server is started from the local PostgreSQL binaries and stopped afterwards.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { prepareTemplateDatabase } from '../../packages/db/src/testing';

const root = resolve(import.meta.dirname, '../..');
const script = resolve(root, 'scripts/postgres-throwaway.sh');
const dir = resolve(root, '.test-data/postgres');

export default async function setup(): Promise<() => void> {
  let started = false;
  if (!process.env.TEST_DATABASE_URL) {
    const port = process.env.TEST_POSTGRES_PORT ?? '55433';
    process.env.TEST_DATABASE_URL = execFileSync(script, ['start', dir, port], { encoding: 'utf8' }).trim();
    started = true;
  }
  await prepareTemplateDatabase(process.env.TEST_DATABASE_URL);
  return () => {
    if (started) execFileSync(script, ['stop', dir], { stdio: 'inherit' });
  };
}
