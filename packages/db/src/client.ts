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
import * as schema from './schema/index';

export type Schema = typeof schema;

/** A drizzle database on either engine, or a transaction inside one: domain code takes this first. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** Applies the committed migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The underlying driver, for bulk paths (COPY) that drizzle does not wrap. */
  driver: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; client: postgres.Sql };
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface CreateDatabaseOptions {
  /** A PostgreSQL connection string; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; `memory://` for a throwaway in-memory database. */
  dataDir?: string | undefined;
  /** An already open PGlite (e.g. a clone of a migrated template in tests). */
  pglite?: PGlite;
  /** Connection pool size for PostgreSQL. */
  maxConnections?: number;
}

/**
 * The one database factory: `url` set → a PostgreSQL server through the `postgres` driver; otherwise
 * an embedded PGlite stored under `dataDir`. The same schema and migrations run on both.
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  return openPglite(options.pglite ?? (await openPgliteClient(options.dataDir ?? '.data')));
}

async function openPgliteClient(dataDir: string): Promise<PGlite> {
  if (dataDir.startsWith('memory://')) return PGlite.create(dataDir);
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return PGlite.create(dir);
}

function openPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    driver: { kind: 'pglite', client },
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
  };
}

function openPostgres(url: string, max: number): Database {
  // `onnotice` silenced: PostgreSQL prints NOTICEs for idempotent DDL (IF NOT EXISTS) during migration.
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'vbp-tracker' } });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    driver: { kind: 'postgres', client },
    migrate: () => migratePostgres(db as never, { migrationsFolder }),
    close: () => client.end({ timeout: 5 }),
  };
}
