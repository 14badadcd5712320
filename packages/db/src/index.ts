export { createDatabase, migrationsFolder } from './client';
export type { CreateDatabaseOptions, Database, Db, DbKind, Schema, Tx } from './client';
export { selectRows } from './rows';
