/**
 * API reads on a realistically filled database (the real reference seed plus the labelled synthetic
 * demo data for Jiangsu), signed in: median latency of each read against `/api/auth/me` (a session
 * lookup, the least a signed-in request does) in the same run.
 */
import { createApp } from '../../apps/api/src/app';
import { ensureInitialUsers } from '../../packages/core/src/auth/bootstrap';
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
  meMs: number;
  reads: Record<keyof typeof READS, { medianMs: number; ratioToMe: number }>;
}

const ADMIN_PASSWORD = 'bench-admin-password';

async function fill(database: Database) {
  await database.migrate();
  await loadReferenceData(database.db);
  await generateSynthetic(database, { regionCode: '320000', seed: 1 });
  await ensureInitialUsers(database.db, { adminPassword: ADMIN_PASSWORD, demo: false });
}

export async function benchApi(open: () => Promise<Database>, runs: number): Promise<ApiResult> {
  const database = await open();
  try {
    await fill(database);
    const app = createApp({ database });
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0];
    if (login.status !== 200 || !cookie) throw new Error(`bench sign-in failed: ${login.status}`);
    const get = async (path: string) => {
      const res = await app.request(path, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    // the baseline is a signed-in request that touches the database (session lookup + select 1)
    const meMs = await medianMs(() => get('/api/auth/me'), runs);
    const reads = {} as ApiResult['reads'];
    for (const [name, path] of Object.entries(READS) as [keyof typeof READS, string][]) {
      const ms = await medianMs(() => get(path), runs);
      reads[name] = { medianMs: round(ms), ratioToMe: round(ms / meMs, 1) };
    }
    return { engine: database.kind, meMs: round(meMs, 3), reads };
  } finally {
    await database.close();
  }
}

export const openPostgres = (url: string) => () => createDatabase({ url, maxConnections: 4 });
export const openPglite = (dataDir: string) => () => createDatabase({ dataDir });
