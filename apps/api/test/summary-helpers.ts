/**
 * Whether the execution summaries as maintained equal a rebuild from the raw tables: the current rows are
 * copied aside, the summaries rebuilt, and the two compared row for row (EXCEPT ALL both ways), inside a
 * transaction that is then rolled back, so the maintained summaries stay as they were. The contract periods
 * listed (execution_periods) may be more than a rebuild lists, never fewer than the maintained month rows have.
 */
import { sql } from 'drizzle-orm';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { selectRows, type Db } from '@vbp/db';

const TABLES = ['execution_months', 'execution_savings', 'execution_unvalued', 'execution_institution_months', 'execution_variety_months', 'agreed_volume_sums', 'purchase_months'] as const;

class RolledBack extends Error {}

export async function summariesEqualRebuild(db: Db): Promise<{ equal: boolean; differences: string[] }> {
  let differences: string[] = [];
  await db
    .transaction(async (tx) => {
      for (const table of [...TABLES, 'execution_periods']) await tx.execute(sql.raw(`create temporary table maintained_${table} on commit drop as select * from ${table}`));
      await rebuildSummaries(tx);
      for (const table of TABLES) {
        const rows = await selectRows<{ side: string; row: string }>(
          tx,
          sql.raw(`(select 'maintained only' as side, to_jsonb(x)::text as row from (select * from maintained_${table} except all select * from ${table}) x)
                   union all
                   (select 'rebuild only', to_jsonb(x)::text from (select * from ${table} except all select * from maintained_${table}) x)
                   order by 2 limit 20`),
        );
        differences = [...differences, ...rows.map((r) => `${table} ${r.side}: ${r.row}`)];
      }
      // the periods listed may be more than the month rows have (a period stays until a rebuild), never fewer
      for (const table of ['execution_institution_months', 'execution_variety_months']) {
        const unlisted = await selectRows<{ row: string }>(
          tx,
          sql.raw(`select to_jsonb(x)::text as row from (select distinct region_code, period_end, period_start from ${table}
                   except select region_code, period_end, period_start from maintained_execution_periods) x order by 1 limit 20`),
        );
        differences = [...differences, ...unlisted.map((r) => `${table} period not in execution_periods: ${r.row}`)];
      }
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  return { equal: differences.length === 0, differences };
}
