export { createDatabase, migrationsFolder, pgliteDirectory } from './client';
export type { ReadLease } from './read-snapshot';
export type { CreateDatabaseOptions, Database, Db, DbKind, Schema, Tx } from './client';
export { selectRows } from './rows';
export { copyRows, encodeValue, withTransaction, type CopyFunction, type CopyOptions, type CopyRow, type CopyValue, type TransactionHandle } from './copy';
export { BULK_TABLES, refreshStatistics, type BulkTable } from './statistics';
export { isUnreachable } from './errors';
export { DISTRIBUTED_TABLES, REFERENCE_TABLES, distributeLike, distributeTables, isDistributed } from './distribution';
export { knownMigrations, migrationLevel, type MigrationLevel } from './migrations';
