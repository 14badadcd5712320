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

export async function benchCopyPostgres(serverUrl: string, rows: number, runs: number): Promise<CopyResult> {
  const created = await freshDatabase(serverUrl, 'vbp_bench_copy');
  const database = await createDatabase({ url: created.url, maxConnections: 2 });
  try {
    await database.migrate();
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < runs; run++) {
      // alternate so both see the same machine load
      await truncate(database);
      const raw = await time(async () => {
        if (database.driver.kind !== 'postgres') throw new Error('expected postgres');
        const writable = await database.driver.client
          .unsafe(`COPY purchases (${COLUMNS.join(', ')}) FROM STDIN`)
          .writable();
        await pipeline(Readable.from(textChunks(rows)), writable);
      });
      baseline.push(rows / (raw.ms / 1000));
      await truncate(database);
      const mine = await time(() => copyRows(database, 'purchases', COLUMNS, purchaseRows(rows)));
      ours.push(rows / (mine.ms / 1000));
    }
    const rowsPerSec = median(ours);
    const baselineRowsPerSec = median(baseline);
    return { engine: 'postgres', rows, rowsPerSec: Math.round(rowsPerSec), baselineRowsPerSec: Math.round(baselineRowsPerSec), ratioToCopy: round(rowsPerSec / baselineRowsPerSec), peakRssMb: peakRssMb() };
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
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < runs; run++) {
      await truncate(database);
      const raw = await time(async () => {
        const blob = new Blob([...textChunks(rows)]);
        await client.query(`COPY purchases (${COLUMNS.join(', ')}) FROM '/dev/blob'`, [], { blob });
      });
      baseline.push(rows / (raw.ms / 1000));
      await truncate(database);
      const mine = await time(() => copyRows(database, 'purchases', COLUMNS, purchaseRows(rows)));
      ours.push(rows / (mine.ms / 1000));
    }
    const rowsPerSec = median(ours);
    const baselineRowsPerSec = median(baseline);
    return { engine: 'pglite', rows, rowsPerSec: Math.round(rowsPerSec), baselineRowsPerSec: Math.round(baselineRowsPerSec), ratioToCopy: round(rowsPerSec / baselineRowsPerSec), peakRssMb: peakRssMb() };
  } finally {
    await database.close();
  }
}
