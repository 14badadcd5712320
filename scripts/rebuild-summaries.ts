/**
 * `pnpm db:rebuild-summaries [--region 320000]`: computes the execution summaries again from the raw tables,
 * in one transaction (repair; the summaries are otherwise kept up to date by every write). DATABASE_URL set
 * → that PostgreSQL server; otherwise the embedded database under DATA_DIR (default .data), refused while the
 * server (or another tool) has it open: one process at a time can open it.
 */
import { parseArgs } from 'node:util';
import { rebuildSummaries, summaryRowCounts } from '../packages/core/src/summaries/maintain';
import { DataDirLockedError, lockEmbeddedDatabase } from '../packages/db/src/data-dir-lock';
import { createDatabase, refreshStatistics } from '../packages/db/src/index';

const { values } = parseArgs({ options: { region: { type: 'string' } }, strict: true });
if (values.region !== undefined && !/^\d{6}$/.test(values.region)) {
  console.error(`--region must be a six-digit region code: ${values.region}`);
  process.exit(2);
}
const where = { url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR };
const lock = await lockEmbeddedDatabase(where, 'rebuild-summaries').catch((err: unknown) => {
  if (!(err instanceof DataDirLockedError)) throw err;
  console.error(`${err.message}\nStop the server first / 请先停止服务。`);
  process.exit(1);
});
const database = await createDatabase(where);
try {
  await database.migrate();
  const started = performance.now();
  await database.db.transaction((tx) => rebuildSummaries(tx, values.region));
  await refreshStatistics(database.db, ['execution_months', 'execution_savings', 'execution_unvalued', 'execution_institution_months', 'execution_variety_months'], { onCluster: 'analyze' });
  const rows = await summaryRowCounts(database.db);
  console.log(JSON.stringify({ rebuilt: values.region ?? 'all', seconds: Math.round((performance.now() - started) / 100) / 10, rows }));
} finally {
  await database.close();
  await lock?.release();
}
