/**
 * API reads on a realistically filled database (the real reference seed plus the labelled synthetic
 * demo data for Jiangsu): median latency of each read against `/api/health` in the same run.
 */
import { createApp } from '../../apps/api/src/app';
import { createDatabase, type Database } from '../../packages/db/src/index';
import { loadReferenceData } from '../../seeds/src/reference/load';
import { generateSynthetic } from '../../seeds/src/synthetic/generate';
import { medianMs, round } from './measure';

const READS = {
  overview: '/api/overview?region=320000&date=2024-12-31',
  coverage: '/api/coverage?region=110000&type=drug&date=2024-07-31',
  coverageSeries: '/api/coverage/series?region=320000&type=drug',
  targetsAllRegions: '/api/targets?date=2024-12-31',
  batchDetail: '/api/batches/D7',
  batchList: '/api/batches?region=320000&pageSize=50',
};

export interface ApiResult {
  engine: 'postgres' | 'pglite';
  healthMs: number;
  reads: Record<keyof typeof READS, { medianMs: number; ratioToHealth: number }>;
}

async function fill(database: Database) {
  await database.migrate();
  await loadReferenceData(database.db);
  await generateSynthetic(database, { regionCode: '320000', seed: 1 });
}

export async function benchApi(open: () => Promise<Database>, runs: number): Promise<ApiResult> {
  const database = await open();
  try {
    await fill(database);
    const app = createApp({ database });
    const get = async (path: string) => {
      const res = await app.request(path);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const healthMs = await medianMs(() => get('/api/health'), runs);
    const reads = {} as ApiResult['reads'];
    for (const [name, path] of Object.entries(READS) as [keyof typeof READS, string][]) {
      const ms = await medianMs(() => get(path), runs);
      reads[name] = { medianMs: round(ms), ratioToHealth: round(ms / healthMs, 1) };
    }
    return { engine: database.kind, healthMs: round(healthMs, 3), reads };
  } finally {
    await database.close();
  }
}

export const openPostgres = (url: string) => () => createDatabase({ url, maxConnections: 4 });
export const openPglite = (dataDir: string) => () => createDatabase({ dataDir });
