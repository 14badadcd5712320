/**
 * The distributed layout on a Citus cluster (issue 11, docs/scale.md). The schema is the same on every engine;
 * on a database where the `citus` extension is present, `migrate()` ends by distributing it:
 * - execution tables (one province's institutions, agreed volumes, purchases and the summaries of them) are
 *   distributed by `region_code` and co-located, so every key, join and upsert of one province stays on one
 *   shard and a single-province read is a router query;
 * - everything else (regions, batches, varieties, products, accounts, uploads, …: small, read by every
 *   province, written rarely) is a reference table, copied whole to every node.
 * It is idempotent: a table already distributed is left alone, so a start of a distributed database does
 * nothing, and a database that already holds data is distributed with it (Citus moves the rows to the shards).
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { selectRows } from './rows';

/** The distribution column of every distributed table: the province. */
export const DISTRIBUTION_COLUMN = 'region_code';

/**
 * Distributed by `region_code`, co-located with the first (the group's anchor). Every primary, unique and
 * foreign key on them starts with `region_code`.
 */
export const DISTRIBUTED_TABLES = [
  'institutions',
  'agreed_volumes',
  'purchases',
  'purchase_revisions',
  'staged_purchases',
  'execution_months',
  'execution_savings',
  'execution_unvalued',
  'execution_institution_months',
  'execution_variety_months',
  'agreed_volume_sums',
  'execution_periods',
  'purchase_months',
  'follow_ups',
] as const;

/** Replicated to every node: the dimensions, accounts, uploads and bookkeeping. */
export const REFERENCE_TABLES = [
  'regions',
  'categories',
  'varieties',
  'products',
  'alliances',
  'alliance_members',
  'batches',
  'batch_varieties',
  'batch_strengths',
  'implementations',
  'selected_products',
  'province_volumes',
  'source_documents',
  'published_figures',
  'targets',
  'users',
  'sessions',
  'auth_throttle',
  'uploads',
  'upload_mappings',
  'upload_snapshots',
  'audit_log',
  'seed_state',
  'summary_state',
  'data_versions',
  'region_settings',
  'scenarios',
  'scenario_batches',
] as const;

/** Whether this database is a Citus coordinator (the extension is created in it). */
export async function isDistributed(db: Db): Promise<boolean> {
  const [row] = await selectRows<{ citus: boolean }>(db, sql`select exists (select 1 from pg_extension where extname = 'citus') as "citus"`);
  return row?.citus ?? false;
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/** Tables of this schema already known to Citus, with their kind ('h' hash-distributed, 'n' reference/local). */
async function citusTables(db: Db): Promise<Map<string, string>> {
  const rows = await selectRows<{ name: string; method: string; model: string }>(
    db,
    sql`select c.relname as "name", p.partmethod as "method", p.repmodel as "model"
        from pg_dist_partition p join pg_class c on c.oid = p.logicalrelid
        where c.relnamespace = current_schema()::regnamespace`,
  );
  // Reference tables are replicated ('t'); a Citus-local table lives on the coordinator only.
  return new Map(rows.map((r) => [r.name, r.method === 'h' ? 'distributed' : r.model === 't' ? 'reference' : 'local']));
}

/**
 * Distributes the schema on a Citus coordinator (see the header). Foreign keys are dropped for the time it
 * takes and put back after: Citus refuses to make a reference table of a table that a local table refers to,
 * and to distribute a table that a local one refers to, while every key of the final layout is one it
 * accepts (distributed → reference, distributed → distributed on `region_code`, reference → reference).
 * One transaction: on failure nothing is half-distributed.
 */
export async function distributeTables(db: Db): Promise<{ distributed: string[]; referenced: string[] }> {
  const known = await citusTables(db);
  const toReference = REFERENCE_TABLES.filter((t) => known.get(t) !== 'reference');
  const toDistribute = DISTRIBUTED_TABLES.filter((t) => known.get(t) !== 'distributed');
  if (toReference.length === 0 && toDistribute.length === 0) return { distributed: [], referenced: [] };
  await db.transaction(async (tx) => {
    // Creating shards and foreign keys in one transaction needs Citus's one-connection-per-node mode.
    await tx.execute(sql`set local citus.multi_shard_modify_mode to 'sequential'`);
    const keys = await selectRows<ForeignKey>(
      tx,
      sql`select conrelid::regclass::text as "table", conname as "name", pg_get_constraintdef(oid) as "definition"
          from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace order by conrelid::regclass::text, conname`,
    );
    for (const key of keys) await tx.execute(sql`alter table ${sql.identifier(key.table)} drop constraint ${sql.identifier(key.name)}`);
    // A table Citus made a "local" table of (it referred to a reference table) and that is still one without
    // its keys is undistributed first.
    const local = await citusTables(tx);
    for (const table of [...toReference, ...toDistribute]) {
      if (local.get(table) === 'local') await tx.execute(sql`select undistribute_table(${table})`);
    }
    for (const table of toReference) await tx.execute(sql`select create_reference_table(${table})`);
    const [anchor] = DISTRIBUTED_TABLES;
    for (const table of toDistribute) {
      const colocateWith = table === anchor ? 'default' : anchor;
      await tx.execute(sql`select create_distributed_table(${table}, ${DISTRIBUTION_COLUMN}, colocate_with => ${colocateWith})`);
    }
    for (const key of keys) await tx.execute(sql.raw(`alter table "${key.table}" add constraint "${key.name}" ${key.definition}`));
  });
  return { distributed: [...toDistribute], referenced: [...toReference] };
}

/**
 * Makes `table` (just created `like` a distributed table, e.g. an upload's staging table) distributed and
 * co-located with it, so that moving rows between them stays on each shard. Nothing on one server.
 */
export async function distributeLike(db: Db, table: string, like: (typeof DISTRIBUTED_TABLES)[number]): Promise<void> {
  if (!(await isDistributed(db))) return;
  await db.execute(sql`select create_distributed_table(${table}, ${DISTRIBUTION_COLUMN}, colocate_with => ${like})`);
}
