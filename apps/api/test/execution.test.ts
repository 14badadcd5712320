/**
 * Execution API on both engines, with data built here and figures computed by hand:
 * as of 2024-06-30, contract year 2024-01-01…2024-12-31 (366 days) has run 182 days → 182/366 = 0.497268;
 * a year from 2024-04-01 (365 days) has run 91 → 0.249315.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { createBatchWithVarieties, createRegion, createSelectedProduct } from '@vbp/db/factories';
import { createAgreedVolume, createInstitution, createProduct, createPurchases } from '@vbp/db/execution-factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, readSheet, readWithOpenpyxl, openTestApp, signIn, type Client, type TestApp } from './helpers';

const byValue = (a: { value: unknown }, b: { value: unknown }) => String(a.value).localeCompare(String(b.value));

const OWN = '320000';
const OTHER = '110000';
const DATE = '2024-06-30';

const months = (from: number, to: number, quantity: string) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`2024-${String(from + i).padStart(2, '0')}-01`, quantity]));

describe.each(TEST_ENGINES)('execution on %s', (engine) => {
  let t: TestApp;
  let office: Client;
  let nationalLeader: Client;
  let ids: { h1: number; h2: number; h3: number; v1: number; v2: number; batch: string; otherBatch: string; p1: number; n1: number };

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    await createRegion(db, { code: OWN, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: OTHER, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const { batch, varieties } = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: OWN });
    const [v1, v2] = varieties as [(typeof varieties)[number], (typeof varieties)[number]];
    const p1 = await createSelectedProduct(db, { batchId: batch.id, varietyId: v1.id, referencePrice: '10', selectedPrice: '4' });
    const p2 = await createSelectedProduct(db, { batchId: batch.id, varietyId: v2.id, referencePrice: null, selectedPrice: '3' });
    const n1 = await createProduct(db, { varietyId: v1.id });

    const h1 = await createInstitution(db, { regionCode: OWN, name: '南京第一医院', cityCode: '320100', cityName: '南京市', level: '三级' });
    const h2 = await createInstitution(db, { regionCode: OWN, name: '无锡第二医院', cityCode: '320200', cityName: '无锡市', level: '二级' });
    const year2024 = { regionCode: OWN, batchId: batch.id, periodStart: '2024-01-01', periodEnd: '2024-12-31' };
    await createAgreedVolume(db, { ...year2024, institutionId: h1.id, varietyId: v1.id, quantity: '1000' });
    await createAgreedVolume(db, { ...year2024, institutionId: h1.id, varietyId: v2.id, quantity: '500' });
    // H1 × V1: 100 a month of the selected product (July is after the date), 200 of a non-selected one
    await createPurchases(db, { regionCode: OWN, institutionId: h1.id, productId: p1.product.id, months: { ...months(1, 6, '100'), '2024-07-01': '100' } });
    await createPurchases(db, { regionCode: OWN, institutionId: h1.id, productId: n1.id, months: { '2024-03-01': '200' } });
    await createPurchases(db, { regionCode: OWN, institutionId: h1.id, productId: p2.product.id, months: months(1, 2, '50') });
    // H2 × V1: year 1 ended 2024-03-31 (its March counts there, and in savings), year 2 runs from 2024-04-01
    await createAgreedVolume(db, { regionCode: OWN, batchId: batch.id, institutionId: h2.id, varietyId: v1.id, contractYear: 1, periodStart: '2023-04-01', periodEnd: '2024-03-31', quantity: '1500' });
    await createAgreedVolume(db, { regionCode: OWN, batchId: batch.id, institutionId: h2.id, varietyId: v1.id, contractYear: 2, periodStart: '2024-04-01', periodEnd: '2025-03-31', quantity: '2000' });
    await createPurchases(db, { regionCode: OWN, institutionId: h2.id, productId: p1.product.id, months: { '2024-03-01': '999', ...months(4, 6, '100') } });

    // another province: its own batch, institution and purchases
    const other = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: OTHER });
    const v3 = other.varieties[0]!;
    const p3 = await createSelectedProduct(db, { batchId: other.batch.id, varietyId: v3.id, referencePrice: '2', selectedPrice: '1' });
    const h3 = await createInstitution(db, { regionCode: OTHER, name: '北京测试医院', cityCode: '110100', cityName: '北京市', level: '三级' });
    await createAgreedVolume(db, { regionCode: OTHER, batchId: other.batch.id, institutionId: h3.id, varietyId: v3.id, periodStart: '2024-01-01', periodEnd: '2024-12-31', quantity: '100' });
    await createPurchases(db, { regionCode: OTHER, institutionId: h3.id, productId: p3.product.id, months: { '2024-01-01': '30' } });

    // the factories write raw rows; the product's writers keep the execution summaries, so they are built here
    await rebuildSummaries(db);
    ids = { h1: h1.id, h2: h2.id, h3: h3.id, v1: v1.id, v2: v2.id, batch: batch.code, otherBatch: other.batch.code, p1: p1.product.id, n1: n1.id };
    office = await signIn(t.app, await createTestUser(db, 'office', OWN));
    nationalLeader = await signIn(t.app, await createTestUser(db, 'leader', '100000'));
  });
  afterAll(() => t?.database.close());

  it('rolls up by institution with hand-computed completion, time progress, behind flag and non-selected share', async () => {
    const res = await office.get(`/api/execution?region=${OWN}&date=${DATE}&by=institution`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byKey = Object.fromEntries(res.body.items.map((r: { key: string }) => [r.key, r]));
    // H1: 600 + 100 of 1000 + 500 agreed; expected 1500 × 182/366 = 745.902; 200 non-selected of 900 bought
    expect(byKey[String(ids.h1)]).toMatchObject({
      name: '南京第一医院',
      institutionId: ids.h1,
      level: '三级',
      regionCode: OWN,
      agreed: '1500',
      purchased: '700',
      expected: '745.902',
      completion: 0.466667,
      timeProgress: 0.497268,
      behind: false,
      nonSelectedShare: 0.222222,
      items: 2,
    });
    // H2: 300 of 2000 (March is year 1's); expected 2000 × 91/365 = 498.630; 0.15 < 0.249315 × 0.8
    expect(byKey[String(ids.h2)]).toMatchObject({ agreed: '2000', purchased: '300', expected: '498.630', completion: 0.15, timeProgress: 0.249315, behind: true, nonSelectedShare: 0, items: 1 });
    // sorted by gap: H2 (−0.099) before H1 (−0.031)
    expect(res.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h2), String(ids.h1)]);
    // the whole filter: 1000 of 3500, expected 1244.532; 1000 ≥ 995.63 so not behind
    expect(res.body.totals).toEqual({
      agreed: '3500',
      purchased: '1000',
      expected: '1244.532',
      completion: 0.285714,
      timeProgress: 0.355581,
      behind: false,
      nonSelectedShare: 0.166667,
      items: 3,
    });
    expect(res.body).toMatchObject({ region: OWN, date: DATE, threshold: 0.8, by: 'institution', total: 2, behindCount: 1 });
    expect(res.body.options.cities).toEqual([
      { value: '320100', label: '南京市' },
      { value: '320200', label: '无锡市' },
    ]);
    expect(res.body.options.levels.map((l: { value: string }) => l.value)).toEqual(['三级', '二级']);
    expect(res.body.options.batches.map((b: { value: string }) => b.value)).toEqual([ids.batch]);
    expect(res.body.source).toMatchObject({ synthetic: false, periodsFrom: '2023-04-01', periodsTo: '2025-03-31', purchasesThrough: '2024-07-01' });
  });

  it('rolls up by variety, city and batch', async () => {
    const variety = await office.get(`/api/execution?region=${OWN}&date=${DATE}&by=variety`);
    const v = Object.fromEntries(variety.body.items.map((r: { key: string }) => [r.key, r]));
    // V1: 900 of 3000, expected 497.268 + 498.630; V2: 100 of 500
    expect(v[String(ids.v1)]).toMatchObject({ agreed: '3000', purchased: '900', expected: '995.898', completion: 0.3, timeProgress: 0.331966, behind: false, nonSelectedShare: 0.181818 });
    expect(v[String(ids.v2)]).toMatchObject({ agreed: '500', purchased: '100', expected: '248.634', completion: 0.2, timeProgress: 0.497268, behind: true, nonSelectedShare: 0 });

    const city = await office.get(`/api/execution?region=${OWN}&date=${DATE}&by=city&sort=name`);
    expect(city.body.items.map((r: { key: string; name: string; purchased: string }) => [r.key, r.name, r.purchased])).toEqual([
      ['320100', '南京市', '700'],
      ['320200', '无锡市', '300'],
    ]);
    const batch = await office.get(`/api/execution?region=${OWN}&date=${DATE}&by=batch`);
    expect(batch.body.items).toHaveLength(1);
    expect(batch.body.items[0]).toMatchObject({ key: ids.batch, agreed: '3500', purchased: '1000', completion: 0.285714 });
  });

  it('filters by city, level, batch and behind-only, and pages', async () => {
    const city = await office.get(`/api/execution?region=${OWN}&date=${DATE}&city=320100`);
    expect(city.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h1)]);
    expect(city.body.totals).toMatchObject({ agreed: '1500', purchased: '700' });
    // options stay those of the whole region, so a filter can be changed
    expect(city.body.options.cities).toHaveLength(2);

    const level = await office.get(`/api/execution?region=${OWN}&date=${DATE}&level=${encodeURIComponent('二级')}`);
    expect(level.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h2)]);

    const behind = await office.get(`/api/execution?region=${OWN}&date=${DATE}&behind=true`);
    expect(behind.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h2)]);
    expect(behind.body).toMatchObject({ total: 1, behindCount: 1, allRows: 2 });
    expect(behind.body.totals.agreed).toBe('3500');

    const lenient = await office.get(`/api/execution?region=${OWN}&date=${DATE}&threshold=0.5`);
    expect(lenient.body.behindCount).toBe(0);

    const none = await office.get(`/api/execution?region=${OWN}&date=${DATE}&batch=${ids.otherBatch}`);
    expect(none.body).toMatchObject({ total: 0, items: [] });
    expect(none.body.totals).toMatchObject({ agreed: '0', completion: null });

    const page2 = await office.get(`/api/execution?region=${OWN}&date=${DATE}&pageSize=1&page=2`);
    expect(page2.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h1)]);

    const byName = await office.get(`/api/execution?region=${OWN}&date=${DATE}&sort=agreed&order=desc`);
    expect(byName.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h2), String(ids.h1)]);

    // nothing in force yet
    const early = await office.get(`/api/execution?region=${OWN}&date=2022-06-30`);
    expect(early.body).toMatchObject({ total: 0, totals: { items: 0, completion: null } });
  });

  it('refuses bad input with the one error shape', async () => {
    const bad = await office.get(`/api/execution?region=${OWN}&date=2024-02-30&threshold=2&by=hospital`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['by', 'date', 'threshold']);
    const unknown = await nationalLeader.get(`/api/execution?region=990000&date=${DATE}`);
    expect(unknown.status).toBe(404);
  });

  it('keeps a province to itself: 403 across provinces and for every province at once', async () => {
    for (const path of [
      `/api/execution?region=${OTHER}&date=${DATE}`,
      `/api/execution?region=100000&date=${DATE}`,
      `/api/execution/summary?region=${OTHER}&date=${DATE}`,
      `/api/execution/institutions/${ids.h3}?region=${OTHER}&date=${DATE}`,
      `/api/execution/export.xlsx?region=${OTHER}&date=${DATE}`,
    ]) {
      const res = await office.get(path);
      expect([path, res.status, res.body?.error?.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    // another province's institution asked for under one's own region is not found there
    expect((await office.get(`/api/execution/institutions/${ids.h3}?region=${OWN}&date=${DATE}`)).status).toBe(404);
  });

  it('lets a national user read every province and each one', async () => {
    const nation = await nationalLeader.get(`/api/execution?region=100000&date=${DATE}&by=province&sort=name`);
    expect(nation.status).toBe(200);
    expect(nation.body.items.map((r: { key: string; purchased: string }) => [r.key, r.purchased]).sort()).toEqual([
      [OTHER, '30'],
      [OWN, '1000'],
    ]);
    expect(nation.body.totals).toMatchObject({ agreed: '3600', purchased: '1030' });
    const other = await nationalLeader.get(`/api/execution?region=100000&date=${DATE}&batch=${ids.otherBatch}`);
    expect(other.body.items.map((r: { key: string }) => r.key)).toEqual([String(ids.h3)]);
    expect(other.body.items[0]).toMatchObject({ completion: 0.3, regionCode: OTHER });
  });

  it('drills into an institution: contract years by variety with the products bought', async () => {
    const res = await office.get(`/api/execution/institutions/${ids.h1}?region=${OWN}&date=${DATE}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.institution).toMatchObject({ id: ids.h1, name: '南京第一医院', cityName: '南京市', level: '三级' });
    expect(res.body.totals).toMatchObject({ agreed: '1500', purchased: '700', completion: 0.466667, behind: false });
    const v1 = res.body.rows.find((r: { varietyId: number }) => r.varietyId === ids.v1);
    expect(v1).toMatchObject({
      batchCode: ids.batch,
      contractYear: 1,
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      agreed: '1000',
      purchased: '600',
      expected: '497.268',
      completion: 0.6,
      timeProgress: 0.497268,
      behind: false,
      nonSelectedShare: 0.25,
    });
    expect(v1.products.map((p: { productId: number; selected: boolean; nonSelected: boolean; quantity: string }) => [p.productId, p.selected, p.nonSelected, p.quantity])).toEqual([
      [ids.p1, true, false, '600'],
      [ids.n1, false, true, '200'],
    ]);
    expect(v1.products[0]).toMatchObject({ referencePrice: '10.0000', selectedPrice: '4.0000' });
    const v2 = res.body.rows.find((r: { varietyId: number }) => r.varietyId === ids.v2);
    expect(v2).toMatchObject({ purchased: '100', completion: 0.2, behind: true });
  });

  it('summarises for the overview: totals, savings, counts and the most behind', async () => {
    const res = await office.get(`/api/execution/summary?region=${OWN}&date=${DATE}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totals).toMatchObject({ agreed: '3500', purchased: '1000', completion: 0.285714, timeProgress: 0.355581, behind: false, nonSelectedShare: 0.166667 });
    // P1 bought 600 (H1) + 999 (H2, year 1) + 300 (H2, year 2) = 1899 at 10 − 4; P2 has no reference price
    expect(res.body.savings).toEqual({ saving: '11394.00', spendAtReference: '18990.00', spendAtSelected: '7596.00', itemsWithoutReference: 1 });
    expect(res.body.institutions).toEqual({ total: 2, behind: 1 });
    expect(res.body.varieties).toEqual({ total: 2, behind: 1 });
    expect(res.body.behindInstitutions.map((r: { key: string }) => r.key)).toEqual([String(ids.h2)]);
    expect(res.body.behindVarieties.map((r: { key: string }) => r.key)).toEqual([String(ids.v2)]);
  });

  it('exports the filter as XLSX with Chinese headers and every row', async () => {
    const res = await t.app.request(`/api/execution/export.xlsx?region=${OWN}&date=${DATE}&by=institution`, { headers: { cookie: office.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`execution-${OWN}-${DATE}-institution.xlsx`);
    expect([res.headers.get('x-total-rows'), res.headers.get('x-exported-rows'), res.headers.get('x-row-cap')]).toEqual(['2', '2', '20000']);
    const rows = await readSheet(res, '执行进度');
    expect(String(rows[0]?.[0])).toContain('截至 2024-06-30');
    expect(String(rows[2]?.[0])).toContain('共 2 行');
    expect(rows[3]).toEqual(['医疗机构', '编码 · 城市', '级别', '约定采购量', '中选产品采购量', '按序时应采购量', '完成率', '序时进度', '完成率−序时进度', '是否滞后', '非中选占比', '约定量条目数']);
    expect(rows[4]?.[0]).toBe('无锡第二医院');
    expect(String(rows[4]?.[1])).toContain('无锡市');
    expect(rows[4]?.slice(2)).toEqual(['二级', 2000, 300, 498.63, 0.15, 0.249315, -0.099315, '滞后', 0, 1]);
    expect(rows[5]?.[0]).toBe('南京第一医院');
    expect(rows).toHaveLength(6);
  });

  it('exports formula-like and number-like text as exactly that text: no formula, no number, nothing added', async () => {
    const db = t.database.db;
    const { batch, varieties } = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: OTHER });
    const names = ['=HYPERLINK("http://x","点我")', '=1+1', '-5', '+86 25 1234', '@x'];
    for (const name of names) {
      const h = await createInstitution(db, { regionCode: OTHER, name, cityCode: '110100', cityName: '北京市' });
      // a year of its own, so the other tests' figures do not change
      await createAgreedVolume(db, { regionCode: OTHER, batchId: batch.id, institutionId: h.id, varietyId: varieties[0]!.id, periodStart: '2030-01-01', periodEnd: '2030-12-31', quantity: '10' });
    }
    await rebuildSummaries(db, OTHER);
    const res = await t.app.request(`/api/execution/export.xlsx?region=${OTHER}&date=2030-06-30`, { headers: { cookie: nationalLeader.cookie! } });
    expect(res.status).toBe(200);
    const file = Buffer.from(await res.arrayBuffer());
    const rows = await readSheet(new Response(file), '执行进度');
    expect(rows.slice(4).map((r) => r?.[0]).sort()).toEqual([...names].sort());
    expect(rows.flat().some((cell) => typeof cell === 'object' && cell !== null && !(cell instanceof Date))).toBe(false);
    // as a spreadsheet reads it: text cells (openpyxl's 's', not 'f' or 'n'), and no apostrophe shown
    const cells = readWithOpenpyxl(file, '执行进度', 'A');
    if (cells) expect(cells.slice(4).sort(byValue)).toEqual(names.map((name) => ({ value: name, type: 's' })).sort(byValue));
  });
});
