/**
 * Purchases ingest, end to end, against PostgreSQL's own COPY of the same rows in the same run:
 * a 1,000,000-row CSV is streamed to the real server (a separate process, as deployed) through
 * POST /api/uploads, validated (staged with COPY) and committed; the baseline is `COPY purchases` of
 * the same rows, already resolved to ids, into a table with the same keys. The server's peak RSS is read
 * from /proc (VmHWM) — it must stay bounded whatever the file size.
 */
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { createDatabase, type Database } from '../../packages/db/src/index';
import { ensureInitialUsers } from '../../packages/core/src/auth/bootstrap';
import { loadReferenceData } from '../../seeds/src/reference/load';
import { purchaseRow, writePurchasesCsv } from '../lib/purchases-csv';
import { freshDatabase } from './postgres';
import { BENCH_ADMIN_PASSWORD, commitUpload, signInAdmin, startBenchServer, uploadFile, waitForUpload } from './server';
import { round, time } from './measure';

const REGION = '320000';
const INSTITUTIONS = 3000;
const PRODUCTS = 2000;
const SHAPE = { institutions: INSTITUTIONS, products: PRODUCTS };
const rowOf = (k: number) => purchaseRow(k, SHAPE);

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
  await ensureInitialUsers(database.db, { adminPassword: BENCH_ADMIN_PASSWORD, demo: false });
  if (database.driver.kind !== 'postgres') throw new Error('the ingest bench runs on PostgreSQL');
  const sql = database.driver.client;
  await sql`insert into institutions (region_code, code, name) select ${REGION}, 'H' || lpad(g::text, 5, '0'), '基准医院' || g from generate_series(1, ${INSTITUTIONS}) g`;
  const [variety] = await sql`select id from varieties where product_type = 'drug' limit 1`;
  await sql`insert into products (variety_id, company, spec, nhsa_code) select ${variety!.id}, '基准企业', g || 'mg', 'X' || lpad(g::text, 6, '0') from generate_series(1, ${PRODUCTS}) g`;
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
  const server = await startBenchServer(ourDb.url, join(work, 'server-data'));
  try {
    const session = await signInAdmin(server.base);
    const started = performance.now();
    const id = await uploadFile(server.base, session, csv, { kind: 'purchases', region: REGION });
    const validated = await waitForUpload(server.base, session, id, ['validated']);
    if (validated.counts.valid !== rows) throw new Error(`expected ${rows} valid rows, got ${JSON.stringify(validated.counts)}`);
    const validatedAt = performance.now();
    await commitUpload(server.base, session, id);
    await waitForUpload(server.base, session, id, ['committed']);
    const done = performance.now();
    const rowsPerSec = rows / ((done - started) / 1000);
    return {
      rows,
      fileMb,
      rowsPerSec: Math.round(rowsPerSec),
      copyRowsPerSec: Math.round(copyRowsPerSec),
      ratioToCopy: round(rowsPerSec / copyRowsPerSec),
      peakRssMb: server.peakRssMb(),
      phases: { uploadAndValidateSec: round((validatedAt - started) / 1000, 1), commitSec: round((done - validatedAt) / 1000, 1) },
    };
  } finally {
    await server.stop();
    await ourDb.drop();
  }
}
