/**
 * Bulk load: our `copyRows` against the database's own COPY fed the same rows as pre-encoded text
 * (the fastest a client can go), into the real `purchases` table, in the same run.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { createDatabase, type Database } from '../../packages/db/src/index';
import { copyRows } from '../../packages/db/src/copy';
import { freshDatabase } from './postgres';
import { median, peakRssMb, round, time } from './measure';

const COLUMNS = ['region_code', 'institution_id', 'product_id', 'month', 'quantity', 'amount', 'is_synthetic'] as const;

/** Deterministic, distinct purchase rows: institution × product × month. */
function* purchaseRows(count: number): Generator<readonly (string | number | boolean)[]> {
  for (let k = 0; k < count; k++) {
    const institution = (k % 3000) + 1;
    const rest = Math.floor(k / 3000);
    const product = (rest % 2000) + 1;
    const month = `20${20 + Math.floor(rest / 2000 / 12)}-${String((Math.floor(rest / 2000) % 12) + 1).padStart(2, '0')}-01`;
    const quantity = ((k * 7919) % 100000) / 10;
    yield ['320000', institution, product, month, quantity.toFixed(3), (quantity * 3.21).toFixed(2), true];
  }
}

function* textChunks(count: number, rowsPerChunk = 10_000): Generator<string> {
  let text = '';
  let n = 0;
  for (const row of purchaseRows(count)) {
    text += `${row.join('\t')}\n`;
    if (++n === rowsPerChunk) {
      yield text;
      text = '';
      n = 0;
    }
  }
  if (text) yield text;
}

async function truncate(database: Database) {
  await database.db.execute('truncate purchases' as never);
}

export interface CopyResult {
  engine: 'postgres' | 'pglite';
  rows: number;
  rowsPerSec: number;
  baselineRowsPerSec: number;
  ratioToCopy: number;
  peakRssMb: number;
}

/**
 * Runs the baseline and our load alternately (so both see the same machine load), emptying the table
 * before each, and reports the medians.
 */
async function compare(
  database: Database,
  engine: CopyResult['engine'],
  rows: number,
  runs: number,
  baseline: () => Promise<unknown>,
): Promise<CopyResult> {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let run = 0; run < runs; run++) {
    await truncate(database);
    theirs.push(rows / ((await time(baseline)).ms / 1000));
    await truncate(database);
    ours.push(rows / ((await time(() => copyRows(database, 'purchases', COLUMNS, purchaseRows(rows)))).ms / 1000));
  }
  const rowsPerSec = median(ours);
  const baselineRowsPerSec = median(theirs);
  return {
    engine,
    rows,
    rowsPerSec: Math.round(rowsPerSec),
    baselineRowsPerSec: Math.round(baselineRowsPerSec),
    ratioToCopy: round(rowsPerSec / baselineRowsPerSec),
    peakRssMb: peakRssMb(),
  };
}

export async function benchCopyPostgres(serverUrl: string, rows: number, runs: number): Promise<CopyResult> {
  const created = await freshDatabase(serverUrl, 'vbp_bench_copy');
  const database = await createDatabase({ url: created.url, maxConnections: 2 });
  try {
    await database.migrate();
    if (database.driver.kind !== 'postgres') throw new Error('expected postgres');
    const client = database.driver.client;
    return await compare(database, 'postgres', rows, runs, async () => {
      const writable = await client.unsafe(`COPY purchases (${COLUMNS.join(', ')}) FROM STDIN`).writable();
      await pipeline(Readable.from(textChunks(rows)), writable);
    });
  } finally {
    await database.close();
    await created.drop();
  }
}

export async function benchCopyPglite(dataDir: string, rows: number, runs: number): Promise<CopyResult> {
  const client = await PGlite.create(dataDir);
  const database = await createDatabase({ pglite: client });
  try {
    await database.migrate();
    return await compare(database, 'pglite', rows, runs, async () => {
      const blob = new Blob([...textChunks(rows)]);
      await client.query(`COPY purchases (${COLUMNS.join(', ')}) FROM '/dev/blob'`, [], { blob });
    });
  } finally {
    await database.close();
  }
}
