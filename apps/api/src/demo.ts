import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '@vbp/db';
import { generateSynthetic } from '@vbp/seeds/synthetic/generate';

/** The province whose labelled synthetic execution data the demo shows. */
export const DEMO_REGION = '320000';

/** Loads the demo's synthetic data once (it is labelled synthetic everywhere it appears); true when it did now. */
export async function ensureDemoData(database: Database, log: (message: string, fields?: Record<string, unknown>) => void): Promise<boolean> {
  const [existing] = await selectRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from uploads where is_synthetic and region_code = ${DEMO_REGION} and status = 'committed'`,
  );
  if ((existing?.n ?? 0) > 0) return false;
  log('loading synthetic demo data', { region: DEMO_REGION });
  const result = await generateSynthetic(database, { regionCode: DEMO_REGION, seed: 1 });
  log('synthetic demo data loaded', { ...result });
  return true;
}
