/**
 * The monthly coverage series (one sweep over the facts) against the plain way (computeCoverage once
 * per month), on Beijing's real drug facts over ten years, in the same run.
 */
import { monthEnds } from '../../packages/contracts/src/dates';
import { computeCoverage, coverageSeries } from '../../packages/core/src/calc/coverage';
import { loadCoverageFacts } from '../../packages/core/src/queries/coverage-facts';
import { createDatabase } from '../../packages/db/src/index';
import { loadReferenceData } from '../../seeds/src/reference/load';
import { medianMs, round } from './measure';

export interface CalcResult {
  facts: number;
  dates: number;
  seriesMs: number;
  perDateMs: number;
  speedup: number;
}

export async function benchCalc(runs: number): Promise<CalcResult> {
  const database = await createDatabase({ dataDir: 'memory://' });
  try {
    await database.migrate();
    await loadReferenceData(database.db);
    const facts = await loadCoverageFacts(database.db, '110000', 'drug');
    const dates = monthEnds('2015-01-01', '2024-12-31');
    const seriesMs = await medianMs(async () => coverageSeries(facts, dates, 'variety'), runs);
    const perDateMs = await medianMs(async () => dates.map((d) => computeCoverage(facts, d, 'variety')), runs);
    return { facts: facts.length, dates: dates.length, seriesMs: round(seriesMs), perDateMs: round(perDateMs), speedup: round(perDateMs / seriesMs, 1) };
  } finally {
    await database.close();
  }
}
