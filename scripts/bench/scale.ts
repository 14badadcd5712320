/**
 * Execution at a province's scale, through the real server on PostgreSQL. A deterministic synthetic data set
 * (`small`: the demo, 300 institutions × 24 months; `province`: 3,000 institutions × 36 months at 3.3 times
 * the density, over 20 million purchases) is generated; then, each against a baseline of the same run:
 * - every execution view and the overview, cold (nothing from the cache: each request asks with another
 *   warning threshold, at the end of the data as a leader's morning view does, or at an earlier date) and warm
 *   (the same URL: answered from the cache by data version) with 1 and 16 clients at once;
 * - the raw GROUP BY over purchases a BI tool would run for the same execution summary (our own raw path,
 *   kept for the equality tests), and the overview computed without the cache, against the API's p50;
 * - what keeping the summaries fresh costs a commit: a correction file of up to a million purchases, the
 *   summaries' part of its commit against the rest (the server logs both).
 * `--engine citus` runs the same on a Citus cluster (the tables distributed by province, docs/scale.md);
 * `--provinces N` generates N provinces of the same shape (the first is measured as above) and measures the
 * 全国 views across them too (default 1; 3 on Citus).
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import postgres from 'postgres';
import { OverviewQuery } from '../../packages/contracts/src/api';
import { addDays, addMonths, monthEnd } from '../../packages/contracts/src/dates';
import { ExecutionSummaryQuery } from '../../packages/contracts/src/execution';
import { ensureInitialUsers } from '../../packages/core/src/auth/bootstrap';
import { getExecutionSummary } from '../../packages/core/src/queries/execution';
import { getOverview } from '../../packages/core/src/queries/overview';
import { createDatabase, refreshStatistics } from '../../packages/db/src/index';
import { loadReferenceData } from '../../seeds/src/reference/load';
import { generateSynthetic } from '../../seeds/src/synthetic/generate';
import { median, round, time } from './measure';
import { explainReads } from './plans';
import { freshCitusDatabase, freshDatabase } from './postgres';
import { BENCH_ADMIN_PASSWORD, commitUpload, signInAdmin, startBenchServer, uploadFile, waitForUpload, type Session } from './server';

export type Scale = 'small' | 'province';

const SCALES: Record<Scale, { institutions: number; months: number; density: number; correctionRows: number }> = {
  small: { institutions: 300, months: 24, density: 1, correctionRows: 200_000 },
  province: { institutions: 3000, months: 36, density: 3.3, correctionRows: 1_000_000 },
};
const REGION = '320000';
/** The provinces generated with `--provinces N`, in this order (the first is REGION). */
const PROVINCES = ['320000', '110000', '440000', '330000', '370000', '510000'];
const NATION = '100000';
export type Engine = 'postgres' | 'citus';
const DATE = '2024-12-31';
/** An earlier date: the contract years' months up to it are summed (the totals do not hold). */
const PAST_DATE = '2024-06-30';

interface Latency {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

function summarise(samples: number[], seconds: number): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 1);
  return { requests: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), perSecond: round(sorted.length / seconds, 1) };
}

/** `clients` loops asking `next()` for `seconds`; every answer must be 200. */
async function load(session: Session, next: () => string, clients: number, seconds: number): Promise<Latency> {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const url = next();
        const started = performance.now();
        const res = await fetch(url, { headers: { cookie: session.cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        samples.push(performance.now() - started);
      }
    }),
  );
  return summarise(samples, seconds);
}

/**
 * `count` distinct dates spread through the data's months (the last `months` months up to DATE's), none the
 * end of the data: month ends and days inside a month in turn, each set `offset` days apart from another's
 * (`offset` < 8 keeps every date of every set distinct), so no date is asked twice in a run.
 */
export function datesThroughData(count: number, months: number, offset = 0): string[] {
  const first = addMonths(`${DATE.slice(0, 7)}-01`, -(months - 1));
  return Array.from({ length: count }, (_, i) => {
    const month = addMonths(first, Math.floor(((i + 0.5) * (months - 1)) / count));
    return i % 2 === 0 ? addDays(monthEnd(month), -offset) : addDays(month, 9 + offset);
  });
}

/**
 * Cold: requests one after another, none answered from the cache: `latest`, `count` at the end of the data
 * with another warning threshold each time (the threshold changes nothing of the work; the overview has none,
 * so it is asked on the days before the end of the data, one each); otherwise one at each of `dates`, dates nobody
 * asked before.
 */
async function cold(session: Session, url: (date: string) => string, count: number, latest: boolean, dates: readonly string[] = []): Promise<Latency> {
  const samples: number[] = [];
  const started = performance.now();
  const thresholdless = url(DATE).includes('/api/overview');
  for (let i = 0; i < (latest ? count : dates.length); i++) {
    // (the overview at DATE itself, the end of the data, is prepared by the server's start: not asked)
    const target = !latest ? url(dates[i]!) : thresholdless ? url(addDays(DATE, -i - 1)) : `${url(DATE)}&threshold=0.${70 + i}`;
    const t = performance.now();
    const res = await fetch(target, { headers: { cookie: session.cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${target} answered ${res.status}`);
    samples.push(performance.now() - t);
  }
  return summarise(samples, (performance.now() - started) / 1000);
}

/** The 全国 views a national leader opens: the summary, the lists by province and by variety, the overview. */
function nationUrls(base: string): Record<string, (date: string) => string> {
  const api = (path: string) => (date: string) => `${base}${path.replace('{date}', date)}`;
  return {
    summary: api(`/api/execution/summary?region=${NATION}&date={date}`),
    byProvince: api(`/api/execution?region=${NATION}&date={date}&by=province`),
    byVariety: api(`/api/execution?region=${NATION}&date={date}&by=variety`),
    overview: api(`/api/overview?region=${NATION}&date={date}`),
  };
}

/** The execution views and the overview, by name: each a URL at a date. */
function viewUrls(base: string, institutionId: number): Record<string, (date: string) => string> {
  const api = (path: string) => (date: string) => `${base}${path.replace('{date}', date)}`;
  return {
    summary: api(`/api/execution/summary?region=${REGION}&date={date}`),
    byInstitution: api(`/api/execution?region=${REGION}&date={date}&by=institution`),
    byVariety: api(`/api/execution?region=${REGION}&date={date}&by=variety`),
    byCity: api(`/api/execution?region=${REGION}&date={date}&by=city`),
    byBatch: api(`/api/execution?region=${REGION}&date={date}&by=batch`),
    institution: api(`/api/execution/institutions/${institutionId}?region=${REGION}&date={date}`),
    overview: api(`/api/overview?region=${REGION}&date={date}`),
  };
}

export interface EmbeddedResult {
  purchases: number;
  views: Record<string, { cold: Latency; coldPast: Latency; warm16: Latency }>;
  /** The slowest view's cold p50, at the end of the data and at dates through the data (target: 300 ms). */
  maxColdP50Ms: number;
  maxColdPastP50Ms: number;
}

/**
 * The embedded default (PGlite, as `pnpm start` runs it) with the demo data: every execution view and the
 * overview through the real server, cold and warm.
 */
export async function benchEmbedded(work: string): Promise<EmbeddedResult> {
  const dataDir = join(work, 'embedded');
  const shape = SCALES.small;
  const database = await createDatabase({ dataDir });
  let purchases = 0;
  try {
    await database.migrate();
    await loadReferenceData(database.db);
    await ensureInitialUsers(database.db, { adminPassword: BENCH_ADMIN_PASSWORD, demo: false });
    purchases = (await generateSynthetic(database, { regionCode: REGION, seed: 1, institutions: shape.institutions, months: shape.months, density: shape.density })).purchases;
  } finally {
    await database.close();
  }
  const server = await startBenchServer('', dataDir);
  try {
    const session = await signInAdmin(server.base);
    const list = (await (await fetch(`${server.base}/api/execution?region=${REGION}&date=${DATE}&by=institution&pageSize=1`, { headers: { cookie: session.cookie } })).json()) as {
      items: { institutionId: number }[];
    };
    const views: EmbeddedResult['views'] = {};
    for (const [view, url] of Object.entries(viewUrls(server.base, list.items[0]!.institutionId))) {
      const c = await cold(session, url, 8, true);
      const past = await cold(session, url, 0, false, datesThroughData(6, shape.months));
      const warm16 = await load(session, () => url(DATE), 16, 4);
      views[view] = { cold: c, coldPast: past, warm16 };
      console.error(`embedded: ${view}: cold p50 ${c.p50} ms (an earlier date ${past.p50} ms); warm p95 ${warm16.p95} ms (16 clients, ${warm16.perSecond}/s)`);
    }
    const all = Object.values(views);
    return { purchases, views, maxColdP50Ms: Math.max(...all.map((v) => v.cold.p50)), maxColdPastP50Ms: Math.max(...all.map((v) => v.coldPast.p50)) };
  } finally {
    await server.stop();
  }
}

export interface ScaleResult {
  scale: {
    name: Scale;
    engine: Engine;
    provinces: number;
    institutions: number;
    months: number;
    density: number;
    purchases: number;
    agreedVolumes: number;
    summaryRows: number;
    generateSec: number;
    /** On Citus: the worker nodes and the shards of each distributed table. */
    cluster?: { workers: number; shardsPerTable: number };
  };
  views: Record<string, { cold: Latency; coldPast: Latency; warm1: Latency; warm16: Latency }>;
  execution: {
    summaryP95Ms: number;
    listP95Ms: number;
    coldSummaryP50Ms: number;
    coldListP50Ms: number;
    coldPastSummaryP50Ms: number;
    coldPastListP50Ms: number;
    /** The slowest execution view's cold p95 at dates through the data (target: 300 ms). */
    coldAnyDateP95Ms: number;
    /** 16 readers at once, each a cold summary at its own date: the slowest (target: 1 s). */
    coldConcurrent16MaxMs: number;
    /** Our raw path for the summary (the equality tests' reference). */
    rawSqlMs: number;
    /** The GROUP BY a BI tool runs: a year's purchases by institution. */
    rawGroupByMs: number;
    speedupVsRawSql: number;
    /** The BI GROUP BY's time ÷ the cold summary's p50 at dates through the data (target: ≥ 10). */
    coldSpeedupVsRawSql: number;
  };
  overview: { p95Ms: number; coldP50Ms: number; coldP95Ms: number; uncachedMs: number; speedupVsRawSql: number };
  /** Whether answers outlive writes that do not change them (a follow-up note, another province's settings). */
  cache: { survivesUnrelatedWrite: boolean };
  summaries: { commitOverheadRatio: number; rows: number; commitMs: number; summarisingMs: number };
  /** The 全国 views across every generated province (with `--provinces` above 1). */
  nation?: Record<string, { cold: Latency; coldPast: Latency; warm16: Latency }>;
  /** The execution figures of issue 23 for 全国: the slowest view's cold p95 at dates through the data, 16 cold summaries at once. */
  nationExecution?: { coldAnyDateP95Ms: number; coldConcurrent16MaxMs: number };
}

/** Asks `url` once; the answer's time and ETag (answers must be 200, or 304 when `etag` is still current). */
async function ask(session: Session, url: string, etag?: string): Promise<{ ms: number; status: number; etag: string | null }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie: session.cookie, ...(etag ? { 'if-none-match': etag } : {}) } });
  await res.arrayBuffer();
  if (res.status !== 200 && !(etag && res.status === 304)) throw new Error(`${url} answered ${res.status}`);
  return { ms: performance.now() - started, status: res.status, etag: res.headers.get('etag') };
}

/**
 * Whether the execution answers outlive writes that do not change them: 江苏's summary and list by
 * institution are asked, then a follow-up note is written in 江苏 and 北京's settings are changed, then both
 * are asked again with their ETags: 304 for both (the same data versions, the same answer) is true.
 */
async function survivesUnrelatedWrite(base: string, session: Session, urls: Array<string>, institutionId: number): Promise<boolean> {
  const before = await Promise.all(urls.map((url) => ask(session, url)));
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  };
  await send('POST', '/api/follow-ups', { regionCode: REGION, institutionId, reason: 'other', note: '基准测试：与执行数据无关的写入', dueOn: DATE });
  await send('PUT', '/api/settings', { regionCode: '110000', progressWarningThreshold: 0.75 });
  const after = await Promise.all(urls.map((url, i) => ask(session, url, before[i]!.etag ?? undefined)));
  return after.every((a) => a.status === 304);
}

/** `plans`: a file to write the plans of the reads to, with and without each index they use (plans.ts). */
export async function benchScale(
  serverUrl: string,
  work: string,
  name: Scale,
  options: { plans?: string | undefined; engine?: Engine; provinces?: number } = {},
): Promise<ScaleResult> {
  const shape = SCALES[name];
  const engine = options.engine ?? 'postgres';
  const provinces = PROVINCES.slice(0, Math.max(1, Math.min(options.provinces ?? (engine === 'citus' ? 3 : 1), PROVINCES.length)));
  const created = engine === 'citus' ? await freshCitusDatabase(serverUrl, `vbp_bench_scale_${name}`) : await freshDatabase(serverUrl, `vbp_bench_scale_${name}`);
  try {
    // the data set, deterministic (seed 1)
    const database = await createDatabase({ url: created.url, maxConnections: 2 });
    let generateSec = 0;
    try {
      await database.migrate();
      await loadReferenceData(database.db);
      await ensureInitialUsers(database.db, { adminPassword: BENCH_ADMIN_PASSWORD, demo: false });
      let last = 0;
      const generated = await time(async () => {
        for (const [i, regionCode] of provinces.entries())
          await generateSynthetic(database, {
            regionCode,
            seed: i + 1,
            institutions: shape.institutions,
            months: shape.months,
            density: shape.density,
            onProgress: (p) => {
              if (performance.now() - last < 5000 && p.done !== p.total) return;
              last = performance.now();
              console.error(`scale ${name} (${regionCode}): ${p.phase} ${p.done.toLocaleString('en')} / ${p.total.toLocaleString('en')}`);
            },
          });
      });
      generateSec = round(generated.ms / 1000, 1);
      await refreshStatistics(database.db, undefined, { onCluster: 'analyze' });
    } finally {
      await database.close();
    }
    const sql = postgres(created.url, { max: 2, onnotice: () => {} });
    // synthetic products have no NHSA codes; a clerk's file names products by them
    await sql`update products set nhsa_code = 'SYN' || lpad(id::text, 7, '0') where nhsa_code is null and is_synthetic`;
    const counts = (await sql<{ purchases: string; agreed: string; summary: string }[]>`
      select (select count(*) from purchases)::text as purchases, (select count(*) from agreed_volumes)::text as agreed, (select count(*) from execution_months)::text as summary`)[0]!;
    console.error(`scale ${name} on ${engine}: ${Number(counts.purchases).toLocaleString('en')} purchases in ${provinces.length} province(s), ${Number(counts.agreed).toLocaleString('en')} agreed volumes (generated in ${generateSec} s)`);
    const cluster =
      engine === 'citus'
        ? (
            await sql<{ workers: number; shards: number }[]>`
              select (select count(*) from pg_dist_node where groupid <> 0)::int as workers,
                     (select count(*) from pg_dist_shard where logicalrelid = 'purchases'::regclass)::int as shards`
          ).map((r) => ({ workers: r.workers, shardsPerTable: r.shards }))[0]
        : undefined;

    if (options.plans) {
      const [first] = await sql<{ id: number }[]>`select id from institutions where region_code = ${REGION} order by id limit 1`;
      const [server] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
      const citus = engine === 'citus';
      const plans = await explainReads(created.url, { region: REGION, dates: [DATE, PAST_DATE], institutionId: first!.id, indexes: !citus });
      // on a cluster, the 全国 reads too: how they fan out over the shards
      const nationPlans = citus && provinces.length > 1 ? await explainReads(created.url, { region: NATION, dates: [DATE], institutionId: first!.id, indexes: false }) : '';
      const heading = [
        `# Query plans at the ${name} scale${citus ? ' on a Citus cluster' : ''}`,
        '',
        `Written by \`pnpm bench${citus ? ' --engine citus' : ''} --scale ${name} --plans FILE\` on ${new Date().toISOString().slice(0, 10)}: region ${REGION}, ${Number(counts.purchases).toLocaleString('en')} purchases,`,
        `${Number(counts.agreed).toLocaleString('en')} agreed volumes, ${Number(counts.summary).toLocaleString('en')} summary month rows; PostgreSQL ${server!.version}, default settings.`,
        citus
          ? `Citus: ${cluster?.workers} workers, ${cluster?.shardsPerTable} shards per distributed table, ${provinces.length} provinces. Each statement the reads send, under EXPLAIN (ANALYZE, BUFFERS): \`Task Count: 1\` is a router query (one shard); the 全国 reads follow.`
          : 'Each statement the reads send, under EXPLAIN (ANALYZE, BUFFERS); then, for every index those plans use, the same\nstatements with the index dropped in a transaction that is rolled back (decision 008).',
        '',
      ];
      writeFileSync(options.plans, `${heading.join('\n')}\n${plans}\n${nationPlans ? `\n# 全国 (${provinces.length} provinces)\n\n${nationPlans}\n` : ''}`);
      console.error(`scale ${name}: plans written to ${options.plans}`);
    }

    // the raw baselines, on a connection of the benchmark's own
    const direct = await createDatabase({ url: created.url, maxConnections: 2 });
    const summaryQuery = ExecutionSummaryQuery.parse({ region: REGION, date: DATE });
    const rawSamples: number[] = [];
    const uncachedOverview: number[] = [];
    try {
      for (let i = 0; i < 3; i++) rawSamples.push((await time(() => getExecutionSummary(direct.db, summaryQuery, { from: 'raw' }))).ms);
      for (let i = 0; i < 5; i++) uncachedOverview.push((await time(() => getOverview(direct.db, OverviewQuery.parse({ region: REGION, date: DATE })))).ms);
    } finally {
      await direct.close();
    }
    const rawSqlMs = round(median(rawSamples), 1);
    // the GROUP BY a BI tool runs for the same question: a year's purchases by institution
    const year = Number(DATE.slice(0, 4));
    const groupBySamples: number[] = [];
    for (let i = 0; i < 3; i++)
      groupBySamples.push(
        (
          await time(
            async () =>
              await sql`select institution_id, sum(quantity) as quantity, sum(amount) as amount from purchases
                        where region_code = ${REGION} and month >= ${`${year}-01-01`} and month < ${`${year + 1}-01-01`}
                        group by institution_id`,
          )
        ).ms,
      );
    const rawGroupByMs = round(median(groupBySamples), 1);

    const server = await startBenchServer(created.url, join(work, `scale-${name}`));
    try {
      const session = await signInAdmin(server.base);
      const [institution] = await sql<{ id: number }[]>`select id from institutions where region_code = ${REGION} order by id limit 1`;
      const VIEWS = viewUrls(server.base, institution!.id);
      const views: ScaleResult['views'] = {};
      for (const [view, url] of Object.entries(VIEWS)) {
        const c = await cold(session, url, name === 'province' ? 6 : 12, true);
        const past = await cold(session, url, 0, false, datesThroughData(name === 'province' ? 12 : 8, shape.months));
        const warm1 = await load(session, () => url(DATE), 1, 3);
        const warm16 = await load(session, () => url(DATE), 16, 5);
        views[view] = { cold: c, coldPast: past, warm1, warm16 };
        console.error(`scale ${name}: ${view}: cold p50 ${c.p50} ms (an earlier date ${past.p50} ms); warm p95 ${warm1.p95} ms (1 client), ${warm16.p95} ms (16 clients, ${warm16.perSecond}/s)`);
      }
      const lists = ['byInstitution', 'byVariety', 'byCity', 'byBatch'].map((v) => views[v]!);
      // 16 readers at once, each a summary at a date nobody asked before
      const concurrent = await Promise.all(datesThroughData(16, shape.months, 3).map((date) => ask(session, VIEWS.summary!(date))));
      const coldConcurrent16MaxMs = round(Math.max(...concurrent.map((c) => c.ms)), 1);
      console.error(`scale ${name}: 16 cold summaries at once, each at its own date: slowest ${coldConcurrent16MaxMs} ms`);
      const cacheSurvives = await survivesUnrelatedWrite(server.base, session, [VIEWS.summary!(DATE), VIEWS.byInstitution!(DATE)], institution!.id);
      console.error(`scale ${name}: the answers ${cacheSurvives ? 'outlive' : 'do not outlive'} a follow-up note and another province's settings`);
      // 全国 across the provinces: each shard's part at once on a cluster, one after another on one server
      let nation: ScaleResult['nation'];
      let nationExecution: ScaleResult['nationExecution'];
      if (provinces.length > 1) {
        nation = {};
        const nationViews = nationUrls(server.base);
        for (const [view, url] of Object.entries(nationViews)) {
          const c = await cold(session, url, name === 'province' ? 4 : 8, true);
          const past = await cold(session, url, 0, false, datesThroughData(8, shape.months, 1));
          const warm16 = await load(session, () => url(DATE), 16, 4);
          nation[view] = { cold: c, coldPast: past, warm16 };
          console.error(`scale ${name}: 全国 ${view}: cold p50 ${c.p50} ms (an earlier date ${past.p50} ms); warm p95 ${warm16.p95} ms (16 clients, ${warm16.perSecond}/s)`);
        }
        const together = await Promise.all(datesThroughData(16, shape.months, 2).map((date) => ask(session, nationViews.summary!(date))));
        nationExecution = {
          coldAnyDateP95Ms: Math.max(...['summary', 'byProvince', 'byVariety'].map((v) => nation![v]!.coldPast.p95)),
          coldConcurrent16MaxMs: round(Math.max(...together.map((c) => c.ms)), 1),
        };
        console.error(`scale ${name}: 全国 ${JSON.stringify(nationExecution)}`);
      }

      // the cost of the summaries in a commit: a correction file (the latest purchases, quantities changed)
      const rows = Math.min(shape.correctionRows, Number(counts.purchases));
      const file = join(work, `correction-${name}.csv`);
      const out = createWriteStream(file);
      out.write('医疗机构编码,采购月份,医保编码,采购数量,采购金额\r\n');
      const cursor = sql`
        select i.code as institution, to_char(pu.month, 'YYYY-MM') as month, p.nhsa_code as product, (pu.quantity + 1)::text as quantity, pu.amount::text as amount
        from purchases pu join institutions i on i.region_code = pu.region_code and i.id = pu.institution_id join products p on p.id = pu.product_id
        where pu.region_code = ${REGION} order by pu.month desc, pu.institution_id, pu.product_id limit ${rows}`.cursor(20_000);
      for await (const batch of cursor) {
        const text = batch.map((r) => `${r.institution},${r.month},${r.product},${r.quantity},${r.amount ?? ''}\r\n`).join('');
        if (!out.write(text)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      const id = await uploadFile(server.base, session, file, { kind: 'purchases', region: REGION });
      await waitForUpload(server.base, session, id, ['validated']);
      await commitUpload(server.base, session, id);
      await waitForUpload(server.base, session, id, ['committed']);
      // the commit's log line follows its status by a moment (written once the transaction is done)
      const loggedCommit = () => server.logged('upload committed').find((l) => l.upload === id) as { ms: number; phases: { summarisingMs?: number } } | undefined;
      for (let waited = 0; !loggedCommit() && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      const committed = loggedCommit();
      if (!committed?.phases.summarisingMs) throw new Error('the commit did not log its phases');
      const summarisingMs = committed.phases.summarisingMs;

      return {
        scale: {
          name,
          engine,
          provinces: provinces.length,
          ...shape,
          purchases: Number(counts.purchases),
          agreedVolumes: Number(counts.agreed),
          summaryRows: Number(counts.summary),
          generateSec,
          ...(cluster ? { cluster } : {}),
        },
        views,
        execution: {
          summaryP95Ms: views.summary!.warm16.p95,
          listP95Ms: Math.max(...lists.map((l) => l.warm16.p95)),
          coldSummaryP50Ms: views.summary!.cold.p50,
          coldListP50Ms: Math.max(...lists.map((l) => l.cold.p50)),
          coldPastSummaryP50Ms: views.summary!.coldPast.p50,
          coldPastListP50Ms: Math.max(...lists.map((l) => l.coldPast.p50)),
          coldAnyDateP95Ms: Math.max(...[views.summary!, ...lists].map((l) => l.coldPast.p95)),
          coldConcurrent16MaxMs,
          rawSqlMs,
          rawGroupByMs,
          speedupVsRawSql: round(rawSqlMs / views.summary!.warm16.p50, 1),
          coldSpeedupVsRawSql: round(rawGroupByMs / views.summary!.coldPast.p50, 1),
        },
        overview: {
          p95Ms: views.overview!.warm16.p95,
          coldP50Ms: views.overview!.cold.p50,
          coldP95Ms: Math.max(views.overview!.cold.p95, views.overview!.coldPast.p95),
          uncachedMs: round(median(uncachedOverview), 1),
          speedupVsRawSql: round(median(uncachedOverview) / views.overview!.warm16.p50, 1),
        },
        cache: { survivesUnrelatedWrite: cacheSurvives },
        summaries: { commitOverheadRatio: round(summarisingMs / (committed.ms - summarisingMs), 2), rows, commitMs: committed.ms, summarisingMs },
        ...(nation ? { nation, nationExecution } : {}),
      };
    } finally {
      await server.stop();
      await sql.end();
    }
  } finally {
    await created.drop();
  }
}
