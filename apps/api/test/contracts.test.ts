/**
 * GET /api/contracts (合同: contract periods and renewals) and the overview's cut figures by batch, on both
 * engines, with data built by the factories; the ending-soon window follows the province's alert days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractPeriod, ContractPeriods } from '@vbp/contracts/contract-periods';
import type { Overview } from '@vbp/contracts/api';
import { addDays } from '@vbp/contracts/dates';
import { createBatchWithVarieties, createImplementation, createRegion, createSelectedProduct } from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type TestApp } from './helpers';

const DATE = '2024-10-01';

describe.each(TEST_ENGINES)('contracts and cuts by batch on %s', (engine) => {
  let t: TestApp;
  let region: string;
  let other: string;
  /** Batch codes by role in the scenario. */
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    region = (await createRegion(db)).code;
    other = (await createRegion(db)).code;

    // ending in 91 days, renewed by a batch that starts the day after, in this region
    const ending = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: region, publishedAvgCut: '0.5500', publishedCutNote: '平均降幅55%' });
    await createImplementation(db, { batchId: ending.batch.id, regionCode: region, startOn: '2022-01-01', contractEndOn: '2024-12-31', source: '通知一' });
    const renewal = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: region, renewalOfId: ending.batch.id });
    await createImplementation(db, { batchId: renewal.batch.id, regionCode: region, startOn: '2025-01-01', contractEndOn: '2027-12-31', estimated: true });
    // ending in 30 days, no renewal: pending
    const pending = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: region });
    await createImplementation(db, { batchId: pending.batch.id, regionCode: region, startOn: '2023-06-01', contractEndOn: '2024-10-31', estimated: true });
    // national, end unknown here; in the other province it ends in 2025-03
    const national = await createBatchWithVarieties(db, 3, { level: 'national' });
    await createImplementation(db, { batchId: national.batch.id, regionCode: region, startOn: '2021-02-01', startPrecision: 'month' });
    await createImplementation(db, { batchId: national.batch.id, regionCode: other, startOn: '2021-01-01', contractEndOn: '2025-03-31' });
    // starts after the as-of date: not listed
    const later = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: region });
    await createImplementation(db, { batchId: later.batch.id, regionCode: region, startOn: '2025-06-01' });
    // ended before the date without a renewal
    const ended = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: region, productType: 'consumable' });
    await createImplementation(db, { batchId: ended.batch.id, regionCode: region, startOn: '2020-01-01', contractEndOn: '2022-12-31' });
    Object.assign(codes, { ending: ending.batch.code, renewal: renewal.batch.code, pending: pending.batch.code, national: national.batch.code, later: later.batch.code, ended: ended.batch.code });

    // prices: `ending` 2 varieties, cuts 0.6 and (0.2, 0.4 → 0.3); mean over varieties 0.45; `national` one cut 0.9
    const [a, b] = ending.varieties;
    await createSelectedProduct(db, { batchId: ending.batch.id, varietyId: a!.id, referencePrice: '10', selectedPrice: '4' });
    await createSelectedProduct(db, { batchId: ending.batch.id, varietyId: b!.id, referencePrice: '10', selectedPrice: '8', isSynthetic: true });
    await createSelectedProduct(db, { batchId: ending.batch.id, varietyId: b!.id, referencePrice: '10', selectedPrice: '6' });
    await createSelectedProduct(db, { batchId: national.batch.id, varietyId: national.varieties[0]!.id, referencePrice: '100', selectedPrice: '10' });
    await createSelectedProduct(db, { batchId: national.batch.id, varietyId: national.varieties[1]!.id, referencePrice: null, selectedPrice: '1' });
  });
  afterAll(() => t?.database.close());

  const byCode = (items: ContractPeriod[], code: string | undefined) => items.find((i) => i.batchCode === code);

  it('lists the region’s contract periods by start, with expiry state and renewal', async () => {
    const res = await t.get<ContractPeriods>(`/api/contracts?region=${region}&date=${DATE}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ region: { code: region }, date: DATE, windowDays: 180, windowSource: 'default' });
    const items = res.body.items;
    expect(items.map((i) => i.batchCode)).toEqual([codes.ended, codes.national, codes.ending, codes.pending]);
    expect(byCode(items, codes.later)).toBeUndefined();
    expect(byCode(items, codes.ending)).toMatchObject({
      startOn: '2022-01-01',
      contractEndOn: '2024-12-31',
      daysLeft: 91,
      state: 'ending_soon',
      renewal: 'renewed',
      renewedBy: { code: codes.renewal, startOn: '2025-01-01' },
      renewedRegionCount: 1,
      regionCount: 1,
      estimated: false,
      source: '通知一',
    });
    expect(byCode(items, codes.pending)).toMatchObject({ daysLeft: 30, state: 'ending_soon', renewal: 'pending', renewedBy: null, estimated: true });
    expect(byCode(items, codes.national)).toMatchObject({ contractEndOn: null, daysLeft: null, state: 'unknown_end', renewal: 'not_needed', startPrecision: 'month' });
    expect(byCode(items, codes.ended)).toMatchObject({ state: 'ended', renewal: 'pending', productType: 'consumable' });
  });

  it('lists the renewal batch once it has started, with the batch it renews', async () => {
    const res = await t.get<ContractPeriods>(`/api/contracts?region=${region}&date=2025-02-01`);
    expect(byCode(res.body.items, codes.renewal)).toMatchObject({ renewalOf: codes.ending, state: 'running', estimated: true });
    expect(byCode(res.body.items, codes.ending)).toMatchObject({ state: 'ended', renewal: 'renewed' });
  });

  it('folds a national batch’s provinces into one period for 全国', async () => {
    const res = await t.get<ContractPeriods>(`/api/contracts?region=100000&date=${DATE}`);
    expect(res.status).toBe(200);
    expect(res.body.items.every((i) => i.level === 'national')).toBe(true);
    expect(byCode(res.body.items, codes.national)).toMatchObject({
      regionCount: 2,
      startOn: '2021-01-01',
      startPrecision: 'day',
      contractEndOn: '2025-03-31',
      daysLeft: 181,
      state: 'running',
      renewedRegionCount: 0,
    });
  });

  it('keeps provincial users to their province and 全国, and refuses bad input in the one error shape', async () => {
    const office = await signIn(t.app, await createTestUser(t.database.db, 'office', region));
    expect((await office.get(`/api/contracts?region=${region}&date=${DATE}`)).status).toBe(200);
    expect((await office.get(`/api/contracts?region=100000&date=${DATE}`)).status).toBe(200);
    const forbidden = await office.get(`/api/contracts?region=${other}&date=${DATE}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');

    const bad = await t.get(`/api/contracts?region=${region}&date=2024-02-30`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), messageZh: expect.any(String) });
    expect(bad.body.error.issues[0].path).toBe('date');
    expect((await t.get('/api/contracts?region=999999')).status).toBe(404);
  });

  it('gives the overview the same ending contracts, with their renewal', async () => {
    const res = await t.get<Overview>(`/api/overview?region=${region}&date=${DATE}`);
    expect(res.body.contractsEndingSoon).toEqual([
      { batchCode: codes.pending, batchNameZh: expect.any(String), regionCode: region, contractEndOn: '2024-10-31', daysLeft: 30, renewedBy: null },
      { batchCode: codes.ending, batchNameZh: expect.any(String), regionCode: region, contractEndOn: '2024-12-31', daysLeft: 91, renewedBy: codes.renewal },
    ]);
    expect(res.body.contractWindow).toEqual({ days: 180, source: 'default' });
    // the national batch has no known end here (it may be ending too); the one starting later is not in force
    expect(res.body.contractsEndUnknown).toBe(1);
    // 全国: its end is known in the other province
    expect((await t.get<Overview>(`/api/overview?region=100000&date=${DATE}`)).body.contractsEndUnknown).toBe(0);
  });

  it('reports cuts by batch, sorted, with the published cut beside, and the distribution of product cuts', async () => {
    const res = await t.get<Overview>(`/api/overview?region=${region}&date=${DATE}`);
    expect(res.status).toBe(200);
    const cuts = res.body.cutsByBatch;
    // every batch implemented by the date, computed cuts first (largest first), the rest after
    expect(cuts.map((c) => c.batchCode)).toEqual([codes.national, codes.ending, ...[codes.ended, codes.pending].sort()]);
    expect(cuts[0]).toMatchObject({ level: 'national', plainMean: 0.9, productCount: 2, varietyCount: 2, publishedAvgCut: null });
    expect(cuts[1]).toMatchObject({
      plainMean: 0.45,
      volumeWeightedMean: null,
      productCount: 3,
      syntheticProductCount: 1,
      publishedAvgCut: 0.55,
      publishedCutNote: '平均降幅55%',
    });
    expect(cuts[2]).toMatchObject({ plainMean: null, productCount: 0 });

    // product cuts 0.6, 0.2, 0.4, 0.9 (the product without a reference price has none)
    const drug = res.body.cutDistribution.drug;
    expect(drug).toHaveLength(10);
    expect(drug.map((b) => b.count)).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 0, 1]);
    expect(drug[2]).toEqual({ from: 0.2, to: 0.3, count: 1 });
    expect(res.body.cutDistribution.consumable.reduce((n, b) => n + b.count, 0)).toBe(0);

    // 全国: national batches only
    const nation = await t.get<Overview>(`/api/overview?region=100000&date=${DATE}`);
    expect(nation.body.cutsByBatch.every((c) => c.level === 'national')).toBe(true);
    expect(nation.body.cutsByBatch.find((c) => c.batchCode === codes.national)?.plainMean).toBe(0.9);
  });

  it('takes the ending-soon window from the province’s largest alert day, on the overview and the contracts page', async () => {
    const db = t.database.db;
    const own = (await createRegion(db)).code;
    const in120 = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: own });
    await createImplementation(db, { batchId: in120.batch.id, regionCode: own, startOn: '2023-01-01', contractEndOn: addDays(DATE, 120) });
    const in60 = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: own });
    await createImplementation(db, { batchId: in60.batch.id, regionCode: own, startOn: '2023-02-01', contractEndOn: addDays(DATE, 60) });
    const office = await signIn(t.app, await createTestUser(db, 'office', own));
    const read = async () => {
      const overview = await office.get(`/api/overview?region=${own}&date=${DATE}`);
      const page = await office.get(`/api/contracts?region=${own}&date=${DATE}`);
      expect([overview.status, page.status]).toEqual([200, 200]);
      const { contractsEndingSoon, contractWindow } = overview.body as Overview;
      const { windowDays, windowSource, items } = page.body as ContractPeriods;
      return {
        overview: { window: contractWindow, ending: contractsEndingSoon.map((c) => [c.batchCode, c.daysLeft]) },
        page: { windowDays, windowSource, states: items.map((i) => [i.batchCode, i.state, i.renewal]) },
      };
    };

    // the defaults: both end within 180 days
    expect(await read()).toEqual({
      overview: { window: { days: 180, source: 'default' }, ending: [[in60.batch.code, 60], [in120.batch.code, 120]] },
      page: { windowDays: 180, windowSource: 'default', states: [[in120.batch.code, 'ending_soon', 'pending'], [in60.batch.code, 'ending_soon', 'pending']] },
    });

    const put = await office.send('PUT', '/api/settings', { regionCode: own, contractAlertDays: [30, 90, 7] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // the same URLs, read again after the change: the cached answers moved with the setting
    expect(await read()).toEqual({
      overview: { window: { days: 90, source: 'setting' }, ending: [[in60.batch.code, 60]] },
      page: { windowDays: 90, windowSource: 'setting', states: [[in120.batch.code, 'running', 'not_needed'], [in60.batch.code, 'ending_soon', 'pending']] },
    });

    // 全国 keeps its own window (the default), not the province's
    const nation = await office.get(`/api/contracts?region=100000&date=${DATE}`);
    expect(nation.body).toMatchObject({ windowDays: 180, windowSource: 'default' });
    expect((await office.get(`/api/overview?region=100000&date=${DATE}`)).body.contractWindow).toEqual({ days: 180, source: 'default' });
  });
});
