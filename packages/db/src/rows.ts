import type { SQL } from 'drizzle-orm';
import type { Db } from './client';

/**
 * Runs raw SQL and returns its rows on either engine (postgres-js answers an array, PGlite an object
 * with `rows`). Column names come back as written in the SQL: alias them in camelCase.
 */
export async function selectRows<T extends object>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
