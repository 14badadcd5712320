/**
 * Databases on a Citus cluster, from its coordinator's URL: every database of a cluster is a cluster of its
 * own (the extension in it on every node, the workers registered in the coordinator's copy), so making one
 * takes a step per node. Used by the tests, the benchmark and docs/scale.md's operator steps.
 */
import postgres from 'postgres';

/** The same server URL with another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `run` on one connection to `url`, closed after. */
export async function onNode<T>(url: string, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/** Every node of the cluster behind a coordinator URL (a database where the workers are registered), the coordinator first. */
export async function clusterNodes(coordinatorUrl: string): Promise<string[]> {
  const rows = await onNode(coordinatorUrl, (admin) => admin<{ host: string; port: number }[]>`select nodename as host, nodeport as port from pg_dist_node where isactive order by groupid`);
  if (rows.length === 0) throw new Error(`${coordinatorUrl} is not a Citus coordinator with nodes (scripts/citus-throwaway.sh makes one)`);
  return rows.map((r) => {
    const u = new URL(coordinatorUrl);
    u.hostname = r.host;
    u.port = String(r.port);
    return u.toString();
  });
}

/**
 * Creates database `name` (empty) on every node of the cluster, with the citus extension and the nodes
 * registered on its coordinator; returns its coordinator URL.
 */
export async function createCitusDatabase(coordinatorUrl: string, name: string): Promise<string> {
  await onNode(coordinatorUrl, async (admin) => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
  });
  return addCitusToDatabase(coordinatorUrl, name);
}

/**
 * What an operator does to make a database of the coordinator (perhaps holding data already) a Citus one:
 * the same database on every worker, the extension everywhere, the workers registered. Returns its URL.
 * The product's next start (migrate) distributes the tables (distribution.ts).
 */
export async function addCitusToDatabase(coordinatorUrl: string, name: string): Promise<string> {
  const [coordinatorNode, ...workerNodes] = await clusterNodes(coordinatorUrl);
  for (const node of workerNodes)
    await onNode(node, async (admin) => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.unsafe(`CREATE DATABASE ${name}`);
    });
  for (const node of [coordinatorNode!, ...workerNodes]) await onNode(withDatabase(node, name), (db) => db.unsafe('CREATE EXTENSION IF NOT EXISTS citus'));
  const [coordinator, ...workers] = [coordinatorNode!, ...workerNodes].map((n) => new URL(withDatabase(n, name)));
  await onNode(coordinator!.toString(), async (db) => {
    await db`select citus_set_coordinator_host(${coordinator!.hostname}, ${Number(coordinator!.port)})`;
    for (const w of workers) await db`select citus_add_node(${w.hostname}, ${Number(w.port)}) where not exists (select 1 from pg_dist_node where nodename = ${w.hostname} and nodeport = ${Number(w.port)})`;
  });
  return coordinator!.toString();
}

/** Drops database `name` on every node of the cluster. */
export async function dropCitusDatabase(coordinatorUrl: string, name: string): Promise<void> {
  for (const node of await clusterNodes(coordinatorUrl)) await onNode(node, (admin) => admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
