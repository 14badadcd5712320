/**
 * Whether the execution summaries as maintained equal a rebuild from the raw tables: the current rows are
 * copied aside, the summaries rebuilt, and the two compared row for row (EXCEPT ALL both ways), inside a
 * transaction that is then rolled back, so the maintained summaries stay as they were.
 */
import { sql } from 'drizzle-orm';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { selectRows, type Db } from '@vbp/db';

const TABLES = ['execution_months', 'execution_savings', 'execution_unvalued', 'execution_institution_totals', 'execution_variety_totals', 'purchase_months'] as const;
/** `last_month` is an upper bound as maintained (a revert does not lower it): compared as such, not for equality. */
const COMPARED: Record<(typeof TABLES)[number], string> = {
  execution_months: '*',
  execution_savings: '*',
  execution_unvalued: '*',
  execution_institution_totals: 'region_code, period_end, period_start, institution_id, batch_id, agreed, items, purchased, non_selected, bought',
  execution_variety_totals: 'region_code, period_end, period_start, batch_id, variety_id, agreed, items, purchased, non_selected, bought',
  purchase_months: '*',
};

class RolledBack extends Error {}

export async function summariesEqualRebuild(db: Db): Promise<{ equal: boolean; differences: string[] }> {
  let differences: string[] = [];
  await db
    .transaction(async (tx) => {
      for (const table of TABLES) await tx.execute(sql.raw(`create temporary table maintained_${table} on commit drop as select * from ${table}`));
      await rebuildSummaries(tx);
      for (const table of TABLES) {
        const columns = COMPARED[table];
        const rows = await selectRows<{ side: string; row: string }>(
          tx,
          sql.raw(`(select 'maintained only' as side, to_jsonb(x)::text as row from (select ${columns} from maintained_${table} except all select ${columns} from ${table}) x)
                   union all
                   (select 'rebuild only', to_jsonb(x)::text from (select ${columns} from ${table} except all select ${columns} from maintained_${table}) x)
                   order by 2 limit 20`),
        );
        differences = [...differences, ...rows.map((r) => `${table} ${r.side}: ${r.row}`)];
        if (columns !== '*') {
          // the maintained bound is never below the month the rows say is the last
          const keys = columns.split(', ').slice(0, 5).join(', ');
          const below = await selectRows<{ row: string }>(
            tx,
            sql.raw(`select to_jsonb(r)::text as row from ${table} r join maintained_${table} m using (${keys})
                     where r.last_month is not null and (m.last_month is null or m.last_month < r.last_month) limit 5`),
          );
          differences = [...differences, ...below.map((r) => `${table} last_month below the rebuild's: ${r.row}`)];
        }
      }
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  return { equal: differences.length === 0, differences };
}
