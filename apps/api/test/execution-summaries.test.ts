/**
 * The execution views read the summaries; the answers are exactly the ones the raw purchases give. On the
 * demo data (the labelled synthetic load of 江苏, as `pnpm start` makes it), on PGlite and PostgreSQL: every
 * rollup, with and without filters, at a month's end, inside a month, at the end of the data and on the last
 * day of a contract year and the day after, the
 * summary endpoint (savings included) and the export, compared field by field. And the summaries the
 * synthetic load maintained equal a rebuild from scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_GROUPS, ExecutionListQuery, ExecutionSummaryQuery } from '@vbp/contracts/execution';
import { exportExecution, getExecutionSummary, getInstitutionExecution, listExecution } from '@vbp/core/queries/execution';
import { sql } from 'drizzle-orm';
import { addDays, type IsoDate } from '@vbp/contracts/dates';
import { periodWeights, type ContractPeriod } from '@vbp/core/calc/completion';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { selectRows, type Database } from '@vbp/db';
import { createNation } from '@vbp/db/factories';
import { openTestDatabase, TEST_ENGINES } from '@vbp/db/testing';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { generateSynthetic } from '@vbp/seeds/synthetic/generate';
import { summariesEqualRebuild } from './summary-helpers';

const REGION = '320000';
/** A month's end, the end of the data, and a day inside a month (the month rows hold whole months). */
const DATES = ['2024-06-30', '2024-12-31', '2023-11-17'] as const;

describe.each(TEST_ENGINES)('execution summaries on %s (demo data)', (engine) => {
  // the raw path the summaries are compared with joins every purchase: minutes on a two-core cluster, and
  // on one server a CI run on a busy machine took the full minute a test had
  const SLOW = engine === 'citus' ? 300_000 : 180_000;
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await createNation(database.db);
    await loadReferenceData(database.db);
    await generateSynthetic(database, { regionCode: REGION, seed: 1 });
  }, 300_000);
  afterAll(async () => {
    await database?.close();
  });

  it('keeps summaries equal to a rebuild from the raw tables', async () => {
    await expect(summariesEqualRebuild(database.db)).resolves.toEqual({ equal: true, differences: [] });
  }, SLOW);

  /** Every rollup and filter, the summary, the export and a drill-down; `brief`: the summary and the two large rollups. */
  async function compareAt(date: string, brief = false, db = database.db) {
    if (brief) {
      for (const by of ['institution', 'variety'] as const) {
        const query = ExecutionListQuery.parse({ region: REGION, date, by, pageSize: 200 });
        expect(await listExecution(db, query), `${by} at ${date}`).toEqual(await listExecution(db, query, { from: 'raw' }));
      }
      const summaryQuery = ExecutionSummaryQuery.parse({ region: REGION, date });
      expect(await getExecutionSummary(db, summaryQuery)).toEqual(await getExecutionSummary(db, summaryQuery, { from: 'raw' }));
      return;
    }
    const base = ExecutionListQuery.parse({ region: REGION, date, pageSize: 200 });
    const unfiltered = await listExecution(db, base);
    expect(unfiltered.totals.items).toBeGreaterThan(1000);
    const filters = [
      {},
      { batch: unfiltered.options.batches[0]!.value },
      { city: unfiltered.options.cities[0]!.value },
      { level: unfiltered.options.levels[0]!.value },
    ];
    let compared = 0;
    for (const by of EXECUTION_GROUPS) {
      for (const filter of filters) {
        // every group unfiltered; the filters on the two rollups that have many rows
        if (Object.keys(filter).length && by !== 'institution' && by !== 'variety') continue;
        const query = ExecutionListQuery.parse({ region: REGION, date, by, pageSize: 200, ...filter });
        const [fromSummaries, fromRaw] = [await listExecution(db, query), await listExecution(db, query, { from: 'raw' })];
        expect(fromSummaries, `${by} ${JSON.stringify(filter)}`).toEqual(fromRaw);
        compared++;
      }
    }
    expect(compared).toBe(EXECUTION_GROUPS.length + 6);

    const summaryQuery = ExecutionSummaryQuery.parse({ region: REGION, date });
    const summary = await getExecutionSummary(db, summaryQuery);
    expect(summary).toEqual(await getExecutionSummary(db, summaryQuery, { from: 'raw' }));
    expect(Number(summary.savings.saving)).toBeGreaterThan(0);

    const exportQuery = ExecutionListQuery.parse({ region: REGION, date, by: 'institution', behind: 'true' });
    expect(await exportExecution(db, exportQuery)).toEqual(await exportExecution(db, exportQuery, { from: 'raw' }));

    const drillDown = { id: unfiltered.items.find((r) => r.institutionId !== null)!.institutionId!, region: REGION, date, threshold: 0.8 };
    const institution = await getInstitutionExecution(db, drillDown);
    expect(institution.rows.length).toBeGreaterThan(0);
    expect(institution).toEqual(await getInstitutionExecution(db, drillDown, { from: 'raw' }));
  }

  // (on a cluster, whose raw path takes minutes, every rollup at the first date and the large ones at the others)
  it.each(DATES)('answers every rollup at %s exactly as the raw purchases do', (date) => compareAt(date, engine === 'citus' && date !== DATES[0]), SLOW);

  it('answers exactly as the raw purchases do on the last day of a contract year and the day after', async () => {
    // the contract year most cells share, ending inside the data
    const [end] = await selectRows<{ end: string }>(
      database.db,
      sql`select period_end::text as "end" from agreed_volumes where region_code = ${REGION} and period_end < '2024-12-01'
          group by period_end order by count(*) desc limit 1`,
    );
    expect(end).toBeDefined();
    await compareAt(end!.end, engine === 'citus');
    await compareAt(addDays(end!.end, 1), engine === 'citus');
  }, SLOW * 2);

  it('answers exactly as the raw purchases do when contract years of odd lengths make the weights large', async () => {
    class RolledBack extends Error {}
    await database.db
      .transaction(async (tx) => {
        // two thirds of the institutions of the commonest contract year end it 17 or 40 days early: years of
        // 366, 349 and 326 days, whose common denominator (6.9 million) is past what the weights send as int8
        const [common] = await selectRows<{ start: string }>(
          tx,
          sql`select period_start::text as "start" from agreed_volumes where region_code = ${REGION} group by period_start order by count(*) desc limit 1`,
        );
        await tx.execute(sql`
          update agreed_volumes set period_end = period_end - case when institution_id % 3 = 1 then 17 else 40 end
          where region_code = ${REGION} and period_start = ${common!.start}::date and institution_id % 3 <> 0`);
        await rebuildSummaries(tx);
        const date = addDays(common!.start as IsoDate, 200);
        const inForce = await selectRows<ContractPeriod>(
          tx,
          sql`select period_start::text as "periodStart", period_end::text as "periodEnd" from execution_periods
              where region_code = ${REGION} and period_start <= ${date}::date and period_end >= ${date}::date`,
        );
        expect(periodWeights(inForce, date).lcm).toBeGreaterThanOrEqual(1n << 20n);
        await compareAt(date, true, tx);
        throw new RolledBack();
      })
      .catch((err: unknown) => {
        if (!(err instanceof RolledBack)) throw err;
      });
  }, SLOW * 2);
});
