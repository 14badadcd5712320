/**
 * Whether the execution summaries as maintained equal a rebuild from the raw tables: the current rows are
 * copied aside, the summaries rebuilt, and the two compared row for row (EXCEPT ALL both ways), inside a
 * transaction that is then rolled back, so the maintained summaries stay as they were.
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
      for (const table of TABLES) await tx.execute(sql.raw(`create temporary table maintained_${table} on commit drop as select * from ${table}`));
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
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  return { equal: differences.length === 0, differences };
}
