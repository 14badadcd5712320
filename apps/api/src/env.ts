import type { Database, Db } from '@vbp/db';

/** What every handler can read from the context. */
export interface AppEnv {
  Variables: {
    db: Db;
    database: Database;
    requestId: string;
  };
}
