/**
 * Planner statistics after bulk writes. PostgreSQL's autovacuum analyzes a table some time after a large
 * load; PGlite has no background workers, so it never does, and the planner keeps guessing a handful of
 * rows for tables that hold hundreds of thousands. Measured on the demo data (511k purchases) without
 * statistics: the execution summary for 全国 took 158 s in one statement, 5 s after ANALYZE. So every bulk
 * writer (synthetic data, upload commits and reverts) analyzes the tables it wrote, on both engines, and
 * an embedded database is analyzed once at start (data written by an older version).
 * On a Citus cluster the statistics that matter are the shards', on the workers, which are PostgreSQL
 * servers with their own autovacuum; an ANALYZE from the coordinator would run on every shard of every table
 * (hundreds of statements after each commit), so a commit leaves them to the workers' autovacuum. A bulk load
 * (the synthetic data, a rebuild) asks for them (`onCluster: 'analyze'`): one table at a time, since Citus
 * refuses a statement that analyzes several distributed tables at once. Without them, the raw path's first
 * read after the demo load ran for over nine minutes on a shard instead of one second (a nested loop over
 * half a million purchases the planner took for none). (The summaries' work tables, made and read within one
 * transaction, are analyzed where they are made: packages/core/src/summaries/maintain.ts.)
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { isDistributed } from './distribution';

/** The tables whose size changes with execution data: the ones bulk writers touch. */
export const BULK_TABLES = ['purchases', 'agreed_volumes', 'institutions', 'selected_products', 'products', 'batch_varieties', 'varieties', 'implementations', 'province_volumes', 'execution_months', 'execution_savings', 'execution_unvalued', 'execution_institution_months', 'execution_variety_months', 'agreed_volume_sums', 'execution_periods', 'purchase_months'] as const;
export type BulkTable = (typeof BULK_TABLES)[number];

/**
 * ANALYZE the given tables (all bulk tables by default). Outside a transaction: statistics are not rolled back
 * with one. On a Citus cluster nothing unless `onCluster` is 'analyze' (a bulk load, outside any transaction).
 */
export async function refreshStatistics(db: Db, tables: readonly BulkTable[] = BULK_TABLES, options: { onCluster?: 'skip' | 'analyze' } = {}): Promise<void> {
  const unique = [...new Set(tables)];
  if (unique.length === 0) return;
  if (!(await isDistributed(db))) {
    await db.execute(sql.raw(`analyze ${unique.join(', ')}`));
    return;
  }
  if (options.onCluster !== 'analyze') return;
  for (const table of unique) await db.execute(sql.raw(`analyze ${table}`));
}
