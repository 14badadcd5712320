import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addVarieties,
  createBatch,
  createBatchWithVarieties,
  createDocument,
  createImplementation,
  createRegion,
  createSelectedProduct,
  createTarget,
  createVariety,
} from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { openTestApp, type TestApp } from './helpers';
import { touchData } from '@vbp/core/data-version';

describe.each(TEST_ENGINES)('API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(engine);
  });
  afterAll(() => t?.database.close());

  it('answers health with the engine in use', async () => {
    const res = await t.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, db: engine, demo: false, version: expect.stringMatching(/^\d+\.\d+\.\d+$/), migrations: { applied: expect.any(Number), expected: expect.any(Number), latest: expect.any(String) } });
    // the database has had every migration this code has
    expect(res.body.migrations.applied).toBe(res.body.migrations.expected);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('lists regions with the nation first', async () => {
    await createRegion(t.database.db, { code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu', sortOrder: 10 });
    const res = await t.get('/api/regions');
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ code: '100000', kind: 'nation' });
    expect(res.body.items.map((r: { code: string }) => r.code)).toContain('320000');
  });

  describe('coverage', () => {
    let region: string;
    let other: string;
    beforeAll(async () => {
      const db = t.database.db;
      region = (await createRegion(db)).code;
      other = (await createRegion(db)).code;
      // a pilot and an expansion tendering the same 3 varieties: they count 3, not 6
      const pilot = await createBatchWithVarieties(db, 3, { level: 'national', code: `PILOT-${region}` });
      const expansion = await createBatch(db, { level: 'national', code: `EXP-${region}` });
      await addVarieties(db, expansion.id, pilot.varieties.map((v) => v.id));
      await createImplementation(db, { batchId: pilot.batch.id, regionCode: other, startOn: '2019-03-01' });
      await createImplementation(db, { batchId: expansion.id, regionCode: region, startOn: '2019-12-01', contractEndOn: '2020-11-30' });
      // a provincial batch: 2 selected varieties, 1 failed (流标) which covers nothing
      const own = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: region });
      const failed = await createVariety(db);
      await addVarieties(db, own.batch.id, [failed.id], 'failed');
      await createImplementation(db, { batchId: own.batch.id, regionCode: region, startOn: '2021-06-01', estimated: true });
      // a consumable batch does not count for drugs
      const stents = await createBatchWithVarieties(db, 4, { productType: 'consumable' });
      await createImplementation(db, { batchId: stents.batch.id, regionCode: region, startOn: '2021-01-01' });
    });

    it('counts distinct varieties of batches implemented on or before the date', async () => {
      const before = await t.get(`/api/coverage?region=${region}&type=drug&date=2019-11-30`);
      expect(before.body).toMatchObject({ cumulative: 0, inForce: 0 });
      const mid = await t.get(`/api/coverage?region=${region}&type=drug&date=2020-06-30`);
      expect(mid.status).toBe(200);
      expect(mid.body).toMatchObject({ cumulative: 3, inForce: 3, byLevel: { national: 3, alliance: 0, provincial: 0 } });
      const later = await t.get(`/api/coverage?region=${region}&type=drug&date=2021-06-01`);
      // the national contract ended 2020-11-30: cumulative keeps it, in force does not
      expect(later.body).toMatchObject({ cumulative: 5, inForce: 2, inForceUnknownEnd: 2, byLevel: { national: 3, provincial: 2 } });
      expect(later.body.batches.map((b: { code: string }) => b.code)).toEqual([`EXP-${region}`, expect.any(String)]);
      const consumables = await t.get(`/api/coverage?region=${region}&type=consumable&date=2021-06-01`);
      expect(consumables.body.cumulative).toBe(4);
    });

    it('counts the nation from national batches only, from their first implementation anywhere', async () => {
      const nation = await t.get(`/api/coverage?region=100000&type=drug&date=2019-06-30`);
      expect(nation.status).toBe(200);
      expect(nation.body.byLevel.provincial).toBe(0);
      expect(nation.body.batches.map((b: { code: string }) => b.code)).toContain(`PILOT-${region}`);
    });

    it('gives a monthly series that ends on the date asked', async () => {
      const res = await t.get(`/api/coverage/series?region=${region}&type=drug&from=2019-10-01&to=2021-06-15`);
      expect(res.status).toBe(200);
      const points = res.body.points as { date: string; cumulative: number }[];
      expect(points[0]).toMatchObject({ date: '2019-10-31', cumulative: 0 });
      expect(points.at(-1)).toMatchObject({ date: '2021-06-15', cumulative: 5 });
      expect(points.find((p) => p.date === '2019-12-31')?.cumulative).toBe(3);
    });

    it('rejects bad parameters with what and where, in Chinese and English', async () => {
      const res = await t.get(`/api/coverage?region=${region}&type=drug&date=2024-02-30`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', requestId: expect.any(String) });
      expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'date', value: '2024-02-30' })]);
      expect(res.body.error.messageZh).toContain('date');
      const type = await t.get(`/api/coverage?region=${region}&type=pills`);
      expect(type.status).toBe(400);
      expect(type.body.error.issues[0]).toMatchObject({ path: 'type', value: 'pills' });
    });

    it('answers 404 for an unknown region', async () => {
      const res = await t.get('/api/coverage?region=999999&type=drug');
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', messageZh: expect.stringContaining('999999') });
    });
  });

  describe('batches', () => {
    let code: string;
    let region: string;
    beforeAll(async () => {
      const db = t.database.db;
      region = (await createRegion(db)).code;
      const { batch, varieties } = await createBatchWithVarieties(db, 2, {
        nameZh: '检索用批次甲',
        publishedAvgCut: '0.5300',
        publishedVarietyCount: 2,
        source: 'https://example.org/source',
      });
      code = batch.code;
      const [a, b] = varieties;
      await createSelectedProduct(db, { batchId: batch.id, varietyId: a!.id, referencePrice: '10.0000', selectedPrice: '4.0000' });
      await createSelectedProduct(db, { batchId: batch.id, varietyId: a!.id, referencePrice: '10.0000', selectedPrice: '6.0000' });
      await createSelectedProduct(db, { batchId: batch.id, varietyId: b!.id, referencePrice: null, selectedPrice: '1.2300' });
      await createImplementation(db, { batchId: batch.id, regionCode: region, startOn: '2022-05-01', contractEndOn: '2024-04-30' });
      const renewal = await createBatch(db, { renewalOfId: batch.id, nameZh: '检索用批次甲接续' });
      await createImplementation(db, { batchId: renewal.id, regionCode: region, startOn: '2024-05-01' });
    });

    it('filters by region and text, and pages', async () => {
      const res = await t.get(`/api/batches?region=${region}&q=${encodeURIComponent('检索用')}&pageSize=1`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(res.body.items).toHaveLength(1);
      const second = await t.get(`/api/batches?region=${region}&q=${encodeURIComponent('检索用')}&pageSize=1&page=2`);
      expect(second.body.items[0].code).not.toBe(res.body.items[0].code);
      const none = await t.get(`/api/batches?region=${region}&type=consumable`);
      expect(none.body.total).toBe(0);
    });

    it('shows a batch with counts, computed and published cuts, implementations and its renewal chain', async () => {
      const res = await t.get(`/api/batches/${code}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code, varietyCount: 2, productCount: 3, placeholderCount: 0, published: { avgCut: 0.53 } });
      // variety a: mean of 60% and 40% = 50%; variety b has no reference price
      expect(res.body.cuts.plainMean).toBeCloseTo(0.5, 6);
      expect(res.body.products.map((p: { cut: number | null }) => p.cut).sort()).toEqual([0.4, 0.6, null].sort());
      expect(res.body.implementations).toEqual([expect.objectContaining({ regionCode: region, startOn: '2022-05-01', contractEndOn: '2024-04-30' })]);
      expect(res.body.renewalChain.map((b: { code: string }) => b.code)).toEqual([code, expect.any(String)]);
    });

    it('answers 404 for an unknown batch', async () => {
      const res = await t.get('/api/batches/NO-SUCH-BATCH');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('NO-SUCH-BATCH');
    });
  });

  describe('targets', () => {
    it('lists own and national per-province targets with progress, status and source', async () => {
      const db = t.database.db;
      const region = (await createRegion(db)).code;
      const doc = await createDocument(db, { titleZh: '某省通知', issuedOn: '2020-01-01' });
      const { batch } = await createBatchWithVarieties(db, 10, { level: 'provincial', regionCode: region });
      await createImplementation(db, { batchId: batch.id, regionCode: region, startOn: '2020-06-01' });
      await createTarget(db, { regionCode: region, count: 10, setOn: '2020-01-01', dueOn: '2021-12-31', documentId: doc.id, clause: '一(一)' });
      await createTarget(db, { regionCode: '100000', scope: 'each_province', count: 20, setOn: '2020-01-01', dueOn: '2020-12-31', documentId: doc.id });
      const res = await t.get(`/api/targets?region=${region}&date=2021-01-31`);
      expect(res.status).toBe(200);
      const own = res.body.items.find((x: { ownerRegionCode: string }) => x.ownerRegionCode === region);
      expect(own).toMatchObject({ count: 10, source: { titleZh: '某省通知', clause: '一(一)' }, progress: { current: 10, status: 'met', fraction: 1 } });
      const national = res.body.items.find((x: { ownerRegionCode: string }) => x.ownerRegionCode === '100000');
      expect(national).toMatchObject({ regionCode: region, progress: { current: 10, status: 'behind' } });
      expect(national.expectedPath[0]).toEqual({ date: '2020-01-01', value: 0 });
      expect(national.expectedPath.at(-1)).toEqual({ date: '2020-12-31', value: 20 });
    });
  });

  describe('overview', () => {
    it('gathers coverage, targets and cuts, and says when prices are synthetic', async () => {
      const db = t.database.db;
      const region = (await createRegion(db)).code;
      const { batch, varieties } = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: region });
      await createImplementation(db, { batchId: batch.id, regionCode: region, startOn: '2023-01-01', contractEndOn: '2024-12-31' });
      const real = await t.get(`/api/overview?region=${region}&date=2024-10-01`);
      expect(real.status).toBe(200);
      expect(real.body).toMatchObject({ syntheticData: false, coverage: { drug: { cumulative: 2 } }, cuts: { drug: { productCount: 0, plainMean: null } } });
      // the contract ends within 180 days of the date, and no renewal follows
      expect(real.body.contractsEndingSoon).toEqual([expect.objectContaining({ batchCode: batch.code, daysLeft: 91, renewedBy: null })]);

      await createSelectedProduct(db, { batchId: batch.id, varietyId: varieties[0]!.id, referencePrice: '20', selectedPrice: '5', isSynthetic: true });
      // written by a factory, not by the product's writers: the data version is moved by hand, as they move it
      await touchData(db, 'reference', '100000');
      const demo = await t.get(`/api/overview?region=${region}&date=2024-10-01`);
      expect(demo.body.syntheticData).toBe(true);
      expect(demo.body.cuts.drug).toMatchObject({ productCount: 1, syntheticProductCount: 1, plainMean: 0.75 });
    });
  });

  it('serves the OpenAPI document and readable docs', async () => {
    const doc = await t.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/regions', '/api/batches', '/api/batches/{code}', '/api/coverage', '/api/targets', '/api/overview']),
    );
    const page = await t.app.request('/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/docs/init.js');
    expect(await (await t.app.request('/api/docs/init.js')).text()).toContain('/api/openapi.json');
    const asset = await t.app.request('/api/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect((await t.app.request('/api/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('answers unknown API paths with the error shape', async () => {
    const res = await t.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
