/**
 * The execution views read the summaries; the answers are exactly the ones the raw purchases give. On the
 * demo data (the labelled synthetic load of 江苏, as `pnpm start` makes it), on PGlite and PostgreSQL: every
 * rollup, with and without filters, at a date inside the contract years and at the end of the data, the
 * summary endpoint (savings included) and the export, compared field by field. And the summaries the
 * synthetic load maintained equal a rebuild from scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_GROUPS, ExecutionListQuery, ExecutionSummaryQuery } from '@vbp/contracts/execution';
import { exportExecution, getExecutionSummary, getInstitutionExecution, listExecution } from '@vbp/core/queries/execution';
import type { Database } from '@vbp/db';
import { createNation } from '@vbp/db/factories';
import { openTestDatabase, TEST_ENGINES } from '@vbp/db/testing';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { generateSynthetic } from '@vbp/seeds/synthetic/generate';
import { summariesEqualRebuild } from './summary-helpers';

const REGION = '320000';
const DATES = ['2024-06-30', '2024-12-31'] as const;

describe.each(TEST_ENGINES)('execution summaries on %s (demo data)', (engine) => {
  // the raw path the summaries are compared with joins every purchase: minutes on a two-core cluster
  const SLOW = engine === 'citus' ? 300_000 : 60_000;
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

  it.each(DATES)('answers every rollup at %s exactly as the raw purchases do', async (date) => {
    const db = database.db;
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
  }, SLOW);
});
