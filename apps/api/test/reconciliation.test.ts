/**
 * 核对: the published figures beside the computed ones, from the real reference seed, through the real
 * HTTP app, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reconciliation, ReconciliationItem } from '@vbp/contracts/reconciliation';
import { TEST_ENGINES } from '@vbp/db/testing';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

const DATE = '2026-01-31';

describe.each(TEST_ENGINES)('reconciliation on %s', (engine) => {
  let t: TestApp;
  let office: Client;
  beforeAll(async () => {
    t = await openTestApp(engine);
    await loadReferenceData(t.database.db);
    office = await signIn(t.app, await createTestUser(t.database.db, 'office', '320000'));
  });
  afterAll(() => t?.database.close());

  const reconcile = async (query: string, client: Client = t) => {
    const res = await client.get<Reconciliation>(`/api/reconciliation?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const item = (body: Reconciliation, code: string): ReconciliationItem => {
    const found = body.items.find((i) => i.figure.code === code);
    expect(found, code).toBeDefined();
    return found!;
  };
  const kinds = (i: ReconciliationItem) => i.explanations.map((e) => e.kind);

  it('Beijing: 556 drugs and 13 consumable categories match at the report date, with the document and clause', async () => {
    const bj = await reconcile(`region=110000&date=${DATE}`);
    expect(bj.region).toBe('110000');
    expect(bj.items.every((i) => i.figure.regionCode === '110000')).toBe(true);

    const drugs = item(bj, 'BJ-2024-07-25-drug-varieties');
    expect(drugs).toMatchObject({ published: 556, computed: 556, computedAsOf: '2024-07-25', difference: 0, status: 'matches' });
    expect(drugs.scope).toEqual({ productType: 'drug', unit: 'variety', metricKind: 'count' });
    expect(drugs.figure.source).toMatchObject({ documentCode: 'BJ-2024-07-25-report', clause: '一(四)2', issuedOn: '2024-07-25' });
    // Beijing's provincial batches are placeholders until their results are uploaded: said, with the batches
    const placeholders = drugs.explanations.find((e) => e.kind === 'placeholders');
    expect(placeholders?.batches.length).toBeGreaterThan(0);
    expect(placeholders?.messageZh).toContain('占位');

    expect(item(bj, 'BJ-2024-07-25-consumable-categories')).toMatchObject({ published: 13, computed: 13, status: 'matches', scope: { unit: 'category' } });
    expect(item(bj, 'BJ-2024-07-25-national-drug-batches')).toMatchObject({ published: 9, computed: 9, status: 'matches' });
    expect(item(bj, 'BJ-2024-07-25-provincial-drug-batches')).toMatchObject({ published: 6, computed: 6, status: 'matches' });
  });

  it('Beijing: the average cut "more than 50%" has no computed value without prices, and says which batches lack them', async () => {
    const bj = await reconcile(`region=110000&date=${DATE}`);
    const cut = item(bj, 'BJ-2024-07-25-drug-avg-cut');
    expect(cut.figure.comparator).toBe('gt');
    expect(cut.published).toBe(0.5);
    expect(cut.scope.metricKind).toBe('fraction');
    // the reference seed loads no selected-product prices: the gap is a missing upload, not a wrong figure
    expect(cut).toMatchObject({ computed: null, difference: null, status: 'not_computed' });
    const missing = cut.explanations.find((e) => e.kind === 'missing_prices');
    expect(missing?.batches).toContain('D9');
    expect(missing?.message).toMatch(/of 15 batches/);
  });

  it('Beijing: the DRG-linked rounds are not modelled, and say so', async () => {
    const bj = await reconcile(`region=110000&date=${DATE}`);
    const linked = item(bj, 'BJ-2023-linked-electrophysiology-cut');
    expect(linked).toMatchObject({ computed: null, status: 'not_computed', published: 0.383 });
    expect(kinds(linked)).toEqual(['not_modelled']);
  });

  it('Inner Mongolia: 112 drugs from 3 national batches match; the 72.7% cut is not computed without prices', async () => {
    const nm = await reconcile(`region=150000&date=${DATE}`);
    expect(item(nm, 'NM-2020-drug-varieties')).toMatchObject({ published: 112, computed: 112, computedAsOf: '2020-12-31', status: 'matches' });
    const batches = item(nm, 'NM-2020-national-drug-batches');
    expect(batches).toMatchObject({ published: 3, computed: 3, status: 'matches' });
    expect(batches.explanations.find((e) => e.kind === 'counted_batches')?.batches).toEqual(['D1-expansion', 'D2', 'D3']);
    expect(item(nm, 'NM-2020-drug-avg-cut')).toMatchObject({ published: 0.727, status: 'not_computed' });
    // a batch's own cut (京津冀"3+6" 人工晶体), also without prices
    expect(item(nm, 'NM-2020-JJJ-3+6-IOL-avg-cut')).toMatchObject({ published: 0.326, status: 'not_computed', explanations: [expect.objectContaining({ kind: 'missing_prices', batches: ['JJJ-3+6-IOL'] })] });
  });

  it('全国: 374 is counted from D9 tender; the data counts D9 from its implementation and reaches 374 later', async () => {
    const cn = await reconcile(`region=100000&date=${DATE}`);
    const national = item(cn, 'CN-2023-11-25-drug-varieties');
    expect(national).toMatchObject({ published: 374, computed: 333, difference: -41, status: 'differs' });
    // `current` is the same count at the view's date: 374 once D9 is in force (and before D10)
    expect(item(await reconcile('region=100000&date=2024-06-30'), national.figure.code).current).toBe(374);
    const after = national.explanations.find((e) => e.kind === 'implemented_after');
    expect(after?.batches).toEqual(['D9']);
    expect(after?.message).toContain('+41');
    const reached = national.explanations.find((e) => e.kind === 'reached_on');
    expect(reached?.message).toMatch(/reaches 374 varieties on 2024-0\d-\d\d/);
    expect(national.figure.note).toContain('第九批');
  });

  it('Jiangsu: no published figures; the 550 and 30 are listed as targets', async () => {
    const js = await reconcile(`region=320000&date=${DATE}`);
    expect(js.items).toEqual([]);
    expect(js.targets.map((x) => [x.productType, x.count, x.unit]).sort()).toEqual([
      ['consumable', 30, 'variety'],
      ['drug', 550, 'variety'],
    ]);
    expect(js.targets.every((x) => x.source.clause === '一(一)' && x.source.issuedOn === '2024-10-28')).toBe(true);
  });

  it('without a region: every region for a national user (the nation included), sorted by region', async () => {
    const all = await reconcile(`date=${DATE}`);
    expect(all.region).toBeNull();
    const regions = [...new Set(all.items.map((i) => i.figure.regionCode))];
    expect(regions).toEqual(['100000', '110000', '150000']);
    expect(all.items).toHaveLength(16);
    expect(all.targets.map((x) => x.regionCode).sort()).toEqual(['110000', '320000', '320000']);
    // the same answer per row as asked region by region
    const bj = await reconcile(`region=110000&date=${DATE}`);
    expect(item(all, 'BJ-2024-07-25-drug-varieties')).toEqual(item(bj, 'BJ-2024-07-25-drug-varieties'));
  });

  it('a provincial office reads its province and the nation only', async () => {
    const own = await reconcile(`date=${DATE}`, office);
    expect([...new Set(own.items.map((i) => i.figure.regionCode))]).toEqual(['100000']);
    expect(own.targets.every((x) => x.regionCode === '320000')).toBe(true);
    expect((await office.get('/api/reconciliation?region=110000')).status).toBe(403);
    expect((await office.get('/api/reconciliation?region=100000')).status).toBe(200);
  });

  it('bad input answers in the one error shape', async () => {
    const res = await t.get('/api/reconciliation?region=11&date=2024-13-01');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), messageZh: expect.any(String) });
    expect((await t.get('/api/reconciliation?region=990000')).status).toBe(404);
  });
});
