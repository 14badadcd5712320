/**
 * `pnpm bench [--json FILE] [--rows N] [--runs N] [--only ingest,copy,api,calc,web]`
 * `pnpm bench --scale small|province [--json FILE] [--plans FILE]`: execution at scale (scripts/bench/scale.ts), with the
 *   ingest and the web app's initial JavaScript (and for `small`, the embedded PGlite default with the demo data);
 *   `small` takes a few minutes, `province` much longer (BENCH.md);
 *   `--plans` writes the reads' EXPLAIN (ANALYZE, BUFFERS) plans with and without each index (scripts/bench/plans.ts).
 * `pnpm bench --engine citus --scale small [--provinces N]`: the same on a Citus cluster (a throwaway coordinator and
 *   two workers, or BENCH_CITUS_URL), with the 全国 views across N provinces (default 3; docs/scale.md).
 *
 * Figures are reported as ratios against a baseline measured in the same run (these machines are shared
 * and noisy): bulk load against the database's own COPY, API reads against `/api/auth/me`, and the first
 * view's JavaScript against its budget, purchases ingest through the API against COPY, and the coverage series against computing it date by date.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchApi, openPglite, openPostgres } from './bench/api';
import { benchCalc } from './bench/calc';
import { benchIngest } from './bench/ingest';
import { benchCopyPglite, benchCopyPostgres } from './bench/copy';
import { benchCitus, benchPostgres, freshDatabase } from './bench/postgres';
import { benchEmbedded, benchScale, type Engine, type Scale } from './bench/scale';
import { measureInitialJs } from '../apps/web/build/initial-js';

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    scale: { type: 'string' },
    plans: { type: 'string' },
    engine: { type: 'string', default: 'postgres' },
    provinces: { type: 'string' },
  },
});
if (values.engine !== 'postgres' && values.engine !== 'citus') {
  console.error(`--engine must be postgres or citus, got ${values.engine}`);
  process.exit(2);
}
const engine = values.engine as Engine;
if (engine === 'citus' && !values.scale) {
  console.error('--engine citus measures the execution at scale: give --scale small (or province)');
  process.exit(2);
}
if (values.scale !== undefined && values.scale !== 'small' && values.scale !== 'province') {
  console.error(`--scale must be small or province, got ${values.scale}`);
  process.exit(2);
}
const scale = values.scale as Scale | undefined;
// on Citus only the execution at scale is measured: the rest does not depend on the engine of the server
const only = new Set((values.only ?? (engine === 'citus' ? 'scale' : scale === 'small' ? 'scale,embedded,ingest,web' : scale ? 'scale,ingest,web' : 'ingest,copy,api,calc,web')).split(','));
// the small scale finishes in minutes: its ingest file is smaller than the province's million rows
const rows = scale === 'small' && values.rows === '1000000' ? 200_000 : Number(values.rows);
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const work = join(root, '.bench', `run-${process.pid}`);
mkdirSync(work, { recursive: true });

const report: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
const pg = engine === 'citus' ? await benchCitus() : only.has('copy') || only.has('api') || only.has('ingest') || only.has('scale') ? await benchPostgres() : undefined;
try {
  if (only.has('scale') && pg && scale) {
    console.error(`scale: generating the ${scale} data set on ${engine} and measuring the execution views …`);
    const result = await benchScale(pg.serverUrl, work, scale, {
      plans: values.plans && resolve(values.plans),
      engine,
      ...(values.provinces ? { provinces: Number(values.provinces) } : {}),
    });
    Object.assign(report, { scale: result.scale, views: result.views, execution: result.execution, overview: result.overview, cache: result.cache, summaries: result.summaries, nation: result.nation, nationExecution: result.nationExecution });
    console.table(Object.fromEntries(Object.entries(result.views).map(([view, v]) => [view, { coldP50: v.cold.p50, coldAnyDateP50: v.coldPast.p50, coldAnyDateP95: v.coldPast.p95, warm1P95: v.warm1.p95, warm16P95: v.warm16.p95, warm16PerSec: v.warm16.perSecond }])));
    console.log(`scale ${scale}: execution ${JSON.stringify(result.execution)}; overview ${JSON.stringify(result.overview)}; cache ${JSON.stringify(result.cache)}; summaries ${JSON.stringify(result.summaries)}`);
    if (result.nation) console.table(Object.fromEntries(Object.entries(result.nation).map(([view, v]) => [`全国 ${view}`, { coldP50: v.cold.p50, coldAnyDateP50: v.coldPast.p50, coldAnyDateP95: v.coldPast.p95, warm16P95: v.warm16.p95, warm16PerSec: v.warm16.perSecond }])));
  }
  if (only.has('embedded') && scale === 'small') {
    console.error('embedded: the demo data on PGlite (the default engine), the execution views through the server …');
    const embedded = await benchEmbedded(work);
    report.embedded = embedded;
    console.log(`embedded: ${embedded.purchases} purchases; slowest view cold p50 ${embedded.maxColdP50Ms} ms at the end of the data, ${embedded.maxColdPastP50Ms} ms at an earlier date (target 300 ms)`);
  }
  if (only.has('ingest') && pg) {
    console.error(`ingest: a ${rows}-row purchases CSV through POST /api/uploads and commit, against COPY …`);
    const ingest = await benchIngest(pg.serverUrl, work, rows);
    report.ingest = ingest;
    console.log(`ingest: ${ingest.rowsPerSec} rows/s end to end vs COPY ${ingest.copyRowsPerSec} rows/s → ratio ${ingest.ratioToCopy}; server peak RSS ${ingest.peakRssMb} MB (${ingest.fileMb} MB file; upload+validate ${ingest.phases.uploadAndValidateSec} s, commit ${ingest.phases.commitSec} s)`);
  }
  if (only.has('copy') && pg) {
    console.error(`copy: ${rows} purchase rows × ${runs} runs on PostgreSQL …`);
    const postgres = await benchCopyPostgres(pg.serverUrl, rows, runs);
    const pgliteRows = Math.min(rows, 200_000);
    console.error(`copy: ${pgliteRows} purchase rows × ${runs} runs on PGlite …`);
    const pglite = await benchCopyPglite(join(work, 'copy-pglite'), pgliteRows, runs);
    report.copy = { postgres, pglite };
    console.table([postgres, pglite]);
  }
  if (only.has('api') && pg) {
    console.error('api: filling PostgreSQL and PGlite with the reference seed and the Jiangsu demo data …');
    const created = await freshDatabase(pg.serverUrl, 'vbp_bench_api');
    try {
      const postgres = await benchApi(openPostgres(created.url), runs * 10);
      const pglite = await benchApi(openPglite(join(work, 'api-pglite')), runs * 10);
      report.api = { postgres, pglite };
      for (const r of [postgres, pglite]) {
        console.log(`api on ${r.engine}: /api/auth/me ${r.meMs} ms`);
        console.table(r.reads);
      }
    } finally {
      await created.drop();
    }
  }
  if (only.has('calc')) {
    const calc = await benchCalc(runs * 10);
    report.calc = calc;
    console.log(`calc: coverage series of ${calc.facts} facts × ${calc.dates} months: ${calc.seriesMs} ms in one sweep, ${calc.perDateMs} ms date by date (${calc.speedup}× faster)`);
  }
  if (only.has('web')) {
    const vite = join(root, 'apps/web/node_modules/vite/bin/vite.js');
    const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: join(root, 'apps/web'), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('web build failed');
    const web = measureInitialJs();
    report.web = web;
    if (web) console.log(`web: initial JavaScript ${web.initialJsGzipKb} KB gzip (budget ${web.budgetKb} KB)`);
  }
} finally {
  pg?.stop();
  rmSync(work, { recursive: true, force: true });
}

if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
