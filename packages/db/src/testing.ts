/**
 * Test databases on every engine, migrated once and copied per test file:
 * - PGlite: one migrated template per worker, `clone()`d for each database (~0.6 s instead of ~5 s);
 * - PostgreSQL: the global setup migrates a template database on the throwaway server, and each test
 *   database is `CREATE DATABASE … TEMPLATE` of it;
 * - Citus (when the machine has it): the same on every node of a throwaway cluster. The template is made
 *   and distributed on the coordinator and the workers together, then closed to connections (Citus's
 *   maintenance daemon would otherwise hold it open), and each test database is copied from it node by node:
 *   the copies carry the cluster's metadata and the shards, under the new name on every node.
 * Tests never share a database, so they do not depend on each other's data or order.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { createDatabase, type CreateDatabaseOptions, type Database, type DbKind } from './client';
import { addCitusToDatabase, clusterNodes, createCitusDatabase, dropCitusDatabase, onNode, withDatabase } from './cluster';

export { addCitusToDatabase, createCitusDatabase, dropCitusDatabase };

export const TEMPLATE_DATABASE = 'vbp_test_template';

let pgliteTemplate: Promise<PGlite> | undefined;

function migratedPgliteTemplate(): Promise<PGlite> {
  pgliteTemplate ??= (async () => {
    const client = await PGlite.create();
    const database = await createDatabase({ pglite: client });
    await database.migrate();
    return client;
  })();
  return pgliteTemplate;
}

/** The URL of the test PostgreSQL server, set by the global setup (see scripts/test/global-setup.ts). */
export function testPostgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through `pnpm test`');
  return url;
}


/** Creates the migrated template database on the test server (called once by the global setup). */
export async function prepareTemplateDatabase(serverUrl: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const database = await createDatabase({ url: withDatabase(serverUrl, TEMPLATE_DATABASE), maxConnections: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

/** A fresh, migrated, empty PostgreSQL database on the test server, by URL; `drop()` removes it. */
export async function createTestPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = testPostgresUrl();
  const name = `vbp_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** The engines the tests run on: the two a user has, and a Citus cluster where the machine has Citus. */
export type TestEngine = DbKind | 'citus';

/** The URL of the test Citus coordinator (`postgres` database), set by the global setup when Citus is there. */
export function testCitusUrl(): string | undefined {
  return process.env.TEST_CITUS_URL || undefined;
}

/** Tests make few shards per table: a test database is copied and dropped dozens of times a run. */
export const TEST_SHARD_COUNT = 4;

/** Creates the migrated, distributed template database on every node of the test cluster (global setup). */
export async function prepareCitusTemplate(coordinatorUrl: string): Promise<void> {
  const nodes = await clusterNodes(coordinatorUrl);
  const coordinator = new URL(await createCitusDatabase(coordinatorUrl, TEMPLATE_DATABASE));
  await onNode(coordinator.toString(), (db) => db.unsafe(`ALTER DATABASE ${TEMPLATE_DATABASE} SET citus.shard_count = ${TEST_SHARD_COUNT}`));
  const database = await createDatabase({ url: coordinator.toString(), maxConnections: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  for (const node of nodes)
    await onNode(node, async (admin) => {
      await admin.unsafe(`ALTER DATABASE ${TEMPLATE_DATABASE} ALLOW_CONNECTIONS false`);
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${TEMPLATE_DATABASE} and pid <> pg_backend_pid()`;
    });
}

/** A fresh copy of the distributed template on every node of the test cluster; `drop()` removes it. */
async function createTestCitusDatabase(coordinatorUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const nodes = await clusterNodes(coordinatorUrl);
  const name = `vbp_test_${randomBytes(6).toString('hex')}`;
  // Sessions to the template end a moment after they are terminated: CREATE DATABASE waits up to 5 s for them.
  for (const node of [...nodes].reverse()) await onNode(node, (admin) => admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  return {
    url: withDatabase(coordinatorUrl, name),
    drop: () => dropCitusDatabase(coordinatorUrl, name),
  };
}

/** A fresh, migrated, empty database of the given engine; `close()` also drops a server one. */
export async function openTestDatabase(kind: TestEngine, options: Pick<CreateDatabaseOptions, 'onQuery'> = {}): Promise<Database> {
  if (kind === 'pglite') {
    const template = await migratedPgliteTemplate();
    return createDatabase({ pglite: (await template.clone()) as PGlite, ...options });
  }
  const citus = kind === 'citus' ? testCitusUrl() : undefined;
  if (kind === 'citus' && !citus) throw new Error('TEST_CITUS_URL is not set: the Citus engine runs only where the global setup started a cluster');
  const created = citus ? await createTestCitusDatabase(citus) : await createTestPostgresDatabase();
  const database = await createDatabase({ url: created.url, maxConnections: 4, ...options });
  return {
    ...database,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}

/** Every database test runs on each: PGlite, PostgreSQL, and a Citus cluster where the machine has Citus. */
export const TEST_ENGINES: readonly TestEngine[] = testCitusUrl() ? ['pglite', 'postgres', 'citus'] : ['pglite', 'postgres'];
