/**
 * No statement per row: the main reads send the same number of statements to the database for a small
 * province as for one ten times its size (an N+1 query would grow with the rows), and few of them. Counted
 * through drizzle's logger, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_AREAS, touchData } from '@vbp/core/data-version';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { addVarieties, createBatch, createImplementation, createRegion, createSelectedProduct, createTarget, createVariety } from '@vbp/db/factories';
import { createAgreedVolume, createInstitution, createPurchases } from '@vbp/db/execution-factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { openTestApp, type TestApp } from './helpers';

/** The statements a read may send: the session, the data versions, and its own queries. */
const MOST = 16;

describe.each(TEST_ENGINES)('statements per request on %s', (engine) => {
  let t: TestApp;
  let counting = false;
  let statements = 0;
  const regions = { small: { code: '420000', institutions: 2, varieties: 2 }, large: { code: '430000', institutions: 20, varieties: 10 } };
  const firstInstitution: Record<string, number> = {};

  beforeAll(async () => {
    t = await openTestApp(engine, { onQuery: () => void (counting && statements++) });
    const db = t.database.db;
    for (const [size, r] of Object.entries(regions)) {
      await createRegion(db, { code: r.code, nameZh: `区域${r.code}`, shortNameZh: `区域${r.code}`, nameEn: r.code });
      const batch = await createBatch(db, { code: `STMT-${size}-${engine}`, level: 'provincial', regionCode: r.code });
      await createImplementation(db, { batchId: batch.id, regionCode: r.code, startOn: '2024-01-01', contractEndOn: '2025-12-31' });
      const products: { varietyId: number; productId: number }[] = [];
      for (let v = 0; v < r.varieties; v++) {
        const variety = await createVariety(db);
        await addVarieties(db, batch.id, [variety.id]);
        const { product } = await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4' });
        products.push({ varietyId: variety.id, productId: product.id });
      }
      for (let i = 0; i < r.institutions; i++) {
        const inst = await createInstitution(db, { regionCode: r.code, name: `医院${r.code}-${i}`, cityCode: `${r.code.slice(0, 2)}0${i % 3}00`, cityName: `城市${i % 3}`, level: i % 2 ? '二级' : '三级' });
        firstInstitution[r.code] ??= inst.id;
        for (const p of products) {
          await createAgreedVolume(db, { regionCode: r.code, batchId: batch.id, institutionId: inst.id, varietyId: p.varietyId, periodStart: '2024-01-01', periodEnd: '2024-12-31', quantity: '1200' });
          await createPurchases(db, { regionCode: r.code, institutionId: inst.id, productId: p.productId, months: { '2024-01-01': '100', '2024-02-01': '90', '2024-03-01': '80' } });
        }
      }
      await createTarget(db, { regionCode: r.code, count: 10, dueOn: '2025-12-31', setOn: '2024-01-01' });
    }
    // the factories write raw rows: the summaries and the data version as the writers would leave them
    await rebuildSummaries(db);
    await touchData(db, DATA_AREAS, '100000');
  }, 300_000);
  afterAll(() => t?.database.close());

  const READS = (region: string) => [
    `/api/overview?region=${region}&date=2024-06-30`,
    `/api/coverage?region=${region}&type=drug&date=2024-06-30`,
    `/api/coverage/series?region=${region}&type=drug`,
    `/api/targets?region=${region}&date=2024-06-30`,
    `/api/batches?region=${region}`,
    `/api/contracts?region=${region}&date=2024-06-30`,
    `/api/reconciliation?region=${region}&date=2024-06-30`,
    `/api/execution/summary?region=${region}&date=2024-06-30`,
    ...['institution', 'variety', 'city', 'batch', 'province'].map((by) => `/api/execution?region=${region}&date=2024-06-30&by=${by}`),
    `/api/execution/institutions/${firstInstitution[region]}?region=${region}&date=2024-06-30`,
  ];

  async function count(path: string): Promise<number> {
    statements = 0;
    counting = true;
    const res = await t.get(path);
    counting = false;
    expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(200);
    return statements;
  }

  it('sends as many statements for ten times the rows, and few', async () => {
    const small = READS(regions.small.code);
    const large = READS(regions.large.code);
    const counts: Record<string, [number, number]> = {};
    for (let i = 0; i < small.length; i++) counts[small[i]!.split('?')[0]!.replace(/\/\d+$/, '/:id') + `#${i}`] = [await count(small[i]!), await count(large[i]!)];
    console.log(`statements per read on ${engine}: ${JSON.stringify(counts)}`);
    for (const [read, [few, many]] of Object.entries(counts)) {
      expect(many, `${read}: ${few} statements for the small province, ${many} for the large`).toBe(few);
      expect(few, read).toBeGreaterThan(0);
      expect(few, read).toBeLessThanOrEqual(MOST);
    }
  });
});
