/**
 * Purchases ingest, end to end, against PostgreSQL's own COPY of the same rows in the same run:
 * a 1,000,000-row CSV is streamed to the real server (a separate process, as deployed) through
 * POST /api/uploads, validated (staged with COPY) and committed; the baseline is `COPY purchases` of
 * the same rows, already resolved to ids, into a table with the same keys. The server's peak RSS is read
 * from /proc (VmHWM) — it must stay bounded whatever the file size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createDatabase, type Database } from '../../packages/db/src/index';
import { ensureInitialUsers } from '../../packages/core/src/auth/bootstrap';
import { loadReferenceData } from '../../seeds/src/reference/load';
import { purchaseRow, writePurchasesCsv } from '../lib/purchases-csv';
import { freshDatabase } from './postgres';
import { round, time } from './measure';

const REGION = '320000';
const INSTITUTIONS = 3000;
const PRODUCTS = 2000;
const SHAPE = { institutions: INSTITUTIONS, products: PRODUCTS };
const rowOf = (k: number) => purchaseRow(k, SHAPE);
const ADMIN_PASSWORD = 'bench-admin-password';

export interface IngestResult {
  rows: number;
  fileMb: number;
  rowsPerSec: number;
  copyRowsPerSec: number;
  ratioToCopy: number;
  peakRssMb: number;
  phases: { uploadAndValidateSec: number; commitSec: number };
}

/** The region's institutions and the products (with NHSA codes) the file refers to. */
async function prepare(database: Database) {
  await database.migrate();
  await loadReferenceData(database.db);
  await ensureInitialUsers(database.db, { adminPassword: ADMIN_PASSWORD, demo: false });
  if (database.driver.kind !== 'postgres') throw new Error('the ingest bench runs on PostgreSQL');
  const sql = database.driver.client;
  await sql`insert into institutions (region_code, code, name) select ${REGION}, 'H' || lpad(g::text, 5, '0'), '基准医院' || g from generate_series(1, ${INSTITUTIONS}) g`;
  const [variety] = await sql`select id from varieties where product_type = 'drug' limit 1`;
  await sql`insert into products (variety_id, company, spec, nhsa_code) select ${variety!.id}, '基准企业', g || 'mg', 'X' || lpad(g::text, 6, '0') from generate_series(1, ${PRODUCTS}) g`;
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function startServer(url: string, dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/api/src/index.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, PORT: '0', WEB_ROOT: '', DATA_DIR: dataDir, VBP_DEMO: '0', VBP_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const m = /"url":"(http:[^"]+)"/.exec(output);
    if (m) return { child, base: m[1]! };
  }
  throw new Error(`the server did not start: ${output}`);
}

/** A multipart body streamed from the file (never held in memory). */
function multipart(path: string, fields: Record<string, string>) {
  const boundary = `----vbp${Date.now()}`;
  async function* body() {
    for (const [k, v] of Object.entries(fields)) yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="purchases.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { body: Readable.from(body()), type: `multipart/form-data; boundary=${boundary}` };
}

async function waitFor(base: string, cookie: string, id: number, until: string[]): Promise<{ status: string; counts: Record<string, number> }> {
  for (;;) {
    const view = (await (await fetch(`${base}/api/uploads/${id}`, { headers: { cookie } })).json()) as { status: string; counts: Record<string, number>; errors: unknown[] };
    if (until.includes(view.status)) return view;
    if (['invalid', 'failed'].includes(view.status)) throw new Error(`upload ${id} ended ${view.status}: ${JSON.stringify(view.errors).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function benchIngest(serverUrl: string, work: string, rows: number): Promise<IngestResult> {
  const csv = join(work, 'purchases.csv');
  await writePurchasesCsv(csv, rows, SHAPE);
  const fileMb = round(statSync(csv).size / 1024 / 1024, 1);

  // the baseline: PostgreSQL's COPY of the same rows, resolved, into the real purchases table
  const baseDb = await freshDatabase(serverUrl, 'vbp_bench_ingest_copy');
  const baseline = await createDatabase({ url: baseDb.url, maxConnections: 2 });
  let copyRowsPerSec = 0;
  try {
    await prepare(baseline);
    const sql = (baseline.driver as { client: import('postgres').Sql }).client;
    const ids = new Map((await sql<{ code: string; id: number }[]>`select code, id from institutions`).map((r) => [r.code, r.id]));
    const pids = new Map((await sql<{ code: string; id: number }[]>`select nhsa_code as code, id from products where nhsa_code like 'X%'`).map((r) => [r.code, r.id]));
    const copied = await time(async () => {
      const writable = await sql.unsafe('COPY purchases (region_code, institution_id, product_id, month, quantity, amount) FROM STDIN').writable();
      async function* lines() {
        let chunk = '';
        for (let k = 0; k < rows; k++) {
          const r = rowOf(k);
          chunk += `${REGION}\t${ids.get(`H${String(r.institution).padStart(5, '0')}`)}\t${pids.get(`X${String(r.product).padStart(6, '0')}`)}\t${r.month}\t${r.quantity}\t${r.amount}\n`;
          if (chunk.length > 1 << 20) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      }
      await pipeline(Readable.from(lines()), writable);
    });
    copyRowsPerSec = rows / (copied.ms / 1000);
  } finally {
    await baseline.close();
    await baseDb.drop();
  }

  // ours: the real server, the real endpoint
  const ourDb = await freshDatabase(serverUrl, 'vbp_bench_ingest');
  const prepared = await createDatabase({ url: ourDb.url, maxConnections: 2 });
  await prepare(prepared);
  await prepared.close();
  const { child, base } = await startServer(ourDb.url, join(work, 'server-data'));
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const started = performance.now();
    const form = multipart(csv, { kind: 'purchases', region: REGION });
    const res = await fetch(`${base}/api/uploads`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': form.type }, body: form.body as never, duplex: 'half' } as RequestInit);
    const { id } = (await res.json()) as { id: number };
    const validated = await waitFor(base, cookie, id, ['validated']);
    if (validated.counts.valid !== rows) throw new Error(`expected ${rows} valid rows, got ${JSON.stringify(validated.counts)}`);
    const validatedAt = performance.now();
    await fetch(`${base}/api/uploads/${id}/commit`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ acknowledgeWarnings: true }) });
    await waitFor(base, cookie, id, ['committed']);
    const done = performance.now();
    const rowsPerSec = rows / ((done - started) / 1000);
    return {
      rows,
      fileMb,
      rowsPerSec: Math.round(rowsPerSec),
      copyRowsPerSec: Math.round(copyRowsPerSec),
      ratioToCopy: round(rowsPerSec / copyRowsPerSec),
      peakRssMb: peakRss(child.pid!),
      phases: { uploadAndValidateSec: round((validatedAt - started) / 1000, 1), commitSec: round((done - validatedAt) / 1000, 1) },
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await ourDb.drop();
  }
}
