import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { distributeTables, isDistributed } from './distribution';
import { migrationLevel, type MigrationLevel } from './migrations';
import { PgliteThread, type PgliteClient } from './pglite-thread';
import { ReadSnapshots, type ReadLease } from './read-snapshot';
import * as schema from './schema/index';

export type Schema = typeof schema;

/** A drizzle database on either engine, or a transaction inside one: domain code takes this first. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** Applies the committed migrations (idempotent; on a server, one instance at a time). */
  migrate(): Promise<void>;
  /** Migrations applied to this database, and how many this code has. */
  migrationLevel(): Promise<MigrationLevel>;
  close(): Promise<void>;
  /** Where the embedded database keeps its files (null for a server or an in-memory database). */
  dataDir: string | null;
  /**
   * The database a read-only request uses: the main one, or, while a long write runs on PGlite, a snapshot
   * of the state before it (see read-snapshot.ts). Release the lease when the request is done.
   */
  readLease(): Promise<ReadLease>;
  /** Runs a long write; on PGlite readers are served from a snapshot meanwhile instead of waiting for it. */
  duringLongWrite<T>(write: () => Promise<T>): Promise<T>;
  /** The underlying driver, for bulk paths (COPY) that drizzle does not wrap. */
  driver: { kind: 'pglite'; client: PgliteClient } | { kind: 'postgres'; client: postgres.Sql };
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface CreateDatabaseOptions {
  /** A PostgreSQL connection string; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files (in `pglite/` under it); `memory://` for a throwaway in-memory database. */
  dataDir?: string | undefined;
  /** PGlite's own folder, exactly (instead of `dataDir/pglite`). */
  pgliteDir?: string | undefined;
  /** An already open PGlite (e.g. a clone of a migrated template in tests). */
  pglite?: PGlite;
  /** Connection pool size for PostgreSQL. */
  maxConnections?: number;
  /** Whether there is room for a read snapshot of this many bytes (PGlite; see read-snapshot.ts). */
  hasRoomFor?(bytes: number): Promise<boolean>;
  /** Where problems that do not fail a request are said. */
  warn?(message: string, error: unknown): void;
  /** Told every statement sent through drizzle (tests count them: no statement per row). */
  onQuery?(query: string, params: unknown[]): void;
}

/**
 * The one database factory: `url` set → a PostgreSQL server through the `postgres` driver; otherwise
 * an embedded PGlite stored under `dataDir`. The same schema and migrations run on both.
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10, options);
  if (options.pglite) return openPglite(options.pglite, null, options);
  const dataDir = options.dataDir ?? '.data';
  if (!options.pgliteDir && dataDir.startsWith('memory://')) return openPglite(await PGlite.create(dataDir), null, options);
  const dir = options.pgliteDir ?? pgliteDirectory(dataDir);
  mkdirSync(dir, { recursive: true });
  await ReadSnapshots.removeLeftovers(dir);
  // stored in a folder: on a thread of its own, so a long write does not hold the server's (pglite-thread.ts)
  return openPglite(await PgliteThread.open(dir), dir, options);
}

/** Where PGlite keeps its files under DATA_DIR. */
export function pgliteDirectory(dataDir: string): string {
  return resolve(dataDir, 'pglite');
}

const logger = (options: CreateDatabaseOptions) => (options.onQuery ? { logger: { logQuery: (query: string, params: unknown[]) => options.onQuery!(query, params) } } : {});

/** `client` is PGlite itself when the database lives in memory (tests), a `PgliteThread` when it is stored in `dataDir`. */
function openPglite(client: PGlite | PgliteThread, dataDir: string | null, options: CreateDatabaseOptions): Database {
  // drizzle's PGlite driver calls only `query` and `transaction`, which PgliteThread answers as PGlite does
  const wrapPglite = (c: PgliteClient) => drizzlePglite(c as PGlite, { schema, casing: 'snake_case', ...logger(options) }) as unknown as Db;
  const db = wrapPglite(client);
  const snapshots = new ReadSnapshots(client, db, {
    dataDir,
    wrap: wrapPglite,
    open: async (dir) => (dir !== null ? PgliteThread.open(dir) : ((await (client as PGlite).clone()) as PGlite)),
    ...(options.hasRoomFor ? { hasRoomFor: options.hasRoomFor } : {}),
    warn: options.warn ?? ((message, error) => console.error(JSON.stringify({ level: 'warn', message, error: error instanceof Error ? error.message : String(error) }))),
  });
  return {
    db,
    kind: 'pglite',
    dataDir,
    readLease: () => snapshots.lease(),
    duringLongWrite: (write) => snapshots.during(write),
    driver: { kind: 'pglite', client },
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    migrationLevel: () => migrationLevel(db, migrationsFolder),
    close: async () => {
      await snapshots.close();
      await client.close();
    },
  };
}

/** How long connecting to the server may take before a request fails (the driver's default is 30 s). */
const CONNECT_TIMEOUT_SECONDS = 5;
/** Memory a sort or hash of one statement may use before it spills to disk (the server's default: 4 MB). */
const READ_WORK_MEM = '16MB';
/** The wait before trying a broken connection again: short and fixed, so the first request after an outage succeeds. */
const RECONNECT_DELAY_SECONDS = 0.2;
/** pg_advisory_lock key of the migrations (any fixed number; "vbp" in ASCII). */
const MIGRATION_LOCK = 0x766270;

function openPostgres(url: string, max: number, options: CreateDatabaseOptions): Database {
  // `onnotice` silenced: PostgreSQL prints NOTICEs for idempotent DDL (IF NOT EXISTS) during migration.
  const client = postgres(url, {
    max,
    onnotice: () => {},
    // work_mem: a province's execution views sum tens of thousands of rows per answer; at the default 4 MB
    // their aggregates spilled to disk, which tripled the answer's time (decision 017)
    connection: { application_name: 'vbp-tracker', work_mem: READ_WORK_MEM },
    // While the server is away a request fails within seconds (503) instead of waiting on; when it is back
    // the next connection is tried at once: the driver's default waits longer after every failed attempt
    // (up to 20 s), so after an outage with many requests the first success came 9–15 s late.
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    backoff: () => RECONNECT_DELAY_SECONDS,
  });
  sequentialTransactionsOnCitus(client);
  const db = drizzlePostgres(client, { schema, casing: 'snake_case', ...logger(options) }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    dataDir: null,
    readLease: async () => ({ db, release() {} }),
    duringLongWrite: (write) => write(),
    driver: { kind: 'postgres', client },
    migrate: async () => {
      // Two instances starting together take turns: the second finds the migrations applied. The lock is
      // held on a connection of its own (not the pool's, which may have only one) and goes with it if this
      // process dies.
      const lock = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: CONNECT_TIMEOUT_SECONDS, connection: { application_name: 'vbp-tracker migration lock' } });
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(db as never, { migrationsFolder });
        // On a Citus coordinator the schema is distributed by province (idempotent; distribution.ts).
        if (await isDistributed(db)) await distributeTables(db);
      } finally {
        await lock.end({ timeout: 5 });
      }
    },
    migrationLevel: () => migrationLevel(db, migrationsFolder),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * How a transaction block runs on a Citus coordinator (nothing changes on one server; checked once per pool):
 * - over one connection per node (`multi_shard_modify_mode = sequential`): a write transaction reads or
 *   writes a province's shards and then changes a reference table they refer to (an upload's status, the
 *   data version), which Citus refuses after a parallel, many-connection step; reads outside transactions
 *   keep their parallelism;
 * - the coordinator's own copies of the reference tables through a connection too (`enable_local_execution
 *   = off`): after a local step Citus refuses the remote ones an ANALYZE of the work tables needs;
 * - `SET LOCAL` reaching the workers (`propagate_set_commands = local`): a writer's `work_mem` is where the
 *   sorts run.
 */
const CITUS_TRANSACTION_SETTINGS =
  "set local citus.multi_shard_modify_mode to 'sequential'; set local citus.enable_local_execution to off; set local citus.propagate_set_commands to 'local'";

function sequentialTransactionsOnCitus(client: postgres.Sql): void {
  let citus: Promise<boolean> | undefined;
  const isCitus = () => (citus ??= client`select exists (select 1 from pg_extension where extname = 'citus') as "citus"`.then(([row]) => Boolean(row?.citus)));
  const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (...args: unknown[]) => {
    const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
    if (!(await isCitus())) return begin(...args, fn);
    return begin(...args, async (tx: postgres.TransactionSql) => {
      await tx.unsafe(CITUS_TRANSACTION_SETTINGS);
      return fn(tx);
    });
  };
  Object.assign(client, { begin: wrapped });
}
