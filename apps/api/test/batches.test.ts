/**
 * The batch list's filters (year, status as of a date in a region) and figures (computed cut beside the
 * published one), and the batch page's cut histogram, on both engines. Each test builds its own region
 * and batches with the factories and filters by that region, so no test sees another's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '@vbp/contracts/dates';
import { createBatch, createBatchWithVarieties, createImplementation, createRegion, createSelectedProduct } from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type TestApp } from './helpers';

interface Item {
  code: string;
  status: string;
  firstStartOn: string | null;
  firstStartEstimated: boolean;
  contractEndOn: string | null;
  computedAvgCut: number | null;
  published: { avgCut: number | null };
}

describe.each(TEST_ENGINES)('batch list and page on %s', (engine) => {
  let t: TestApp;
  let region: string;
  let other: string;
  const codes = {} as Record<'renewed' | 'ended' | 'upcoming' | 'unrecorded' | 'running' | 'endUnknown' | 'renewal', string>;

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    region = (await createRegion(db)).code;
    other = (await createRegion(db)).code;
    // renewed on 2023-01-01: its contract ended and a renewal started in the region
    const renewed = await createBatch(db, { announcedOn: '2019-09-01', implementedOn: '2020-01-01' });
    await createImplementation(db, { batchId: renewed.id, regionCode: region, startOn: '2020-01-01', contractEndOn: '2021-12-31' });
    const renewal = await createBatch(db, { renewalOfId: renewed.id, announcedOn: '2021-09-01' });
    await createImplementation(db, { batchId: renewal.id, regionCode: region, startOn: '2022-01-01', estimated: true });
    // ended: the same contract, no renewal
    const ended = await createBatch(db, { announcedOn: '2019-10-01' });
    await createImplementation(db, { batchId: ended.id, regionCode: region, startOn: '2020-02-01', contractEndOn: '2021-12-31' });
    // upcoming: starts after the date in the region, but has started elsewhere
    const upcoming = await createBatch(db, { announcedOn: '2022-08-01' });
    await createImplementation(db, { batchId: upcoming.id, regionCode: region, startOn: '2024-01-01', estimated: true });
    await createImplementation(db, { batchId: upcoming.id, regionCode: other, startOn: '2022-12-01' });
    // unrecorded: the region's own batch, no implementation recorded
    const unrecorded = await createBatch(db, { level: 'provincial', regionCode: region, announcedOn: '2022-03-01' });
    // end not published: started, so whether it still runs is not known
    const endUnknown = await createBatch(db, { announcedOn: '2018-12-01' });
    await createImplementation(db, { batchId: endUnknown.id, regionCode: region, startOn: '2019-03-01', estimated: true });
    // running: started, its published end still ahead
    const running = await createBatch(db, { announcedOn: '2020-06-01' });
    await createImplementation(db, { batchId: running.id, regionCode: region, startOn: '2020-10-01', contractEndOn: '2023-09-30' });
    Object.assign(codes, {
      renewed: renewed.code,
      renewal: renewal.code,
      ended: ended.code,
      upcoming: upcoming.code,
      unrecorded: unrecorded.code,
      running: running.code,
      endUnknown: endUnknown.code,
    });
  });
  afterAll(() => t?.database.close());

  const list = async (query: string) => {
    const res = await t.get(`/api/batches?${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: Item[]; total: number; asOf: string };
  };
  const statusOf = (items: Item[]) => Object.fromEntries(items.map((i) => [i.code, i.status]));

  it('gives each batch its status in the region on the date, by the documented rule', async () => {
    const body = await list(`region=${region}&date=2023-01-01`);
    expect(body.asOf).toBe('2023-01-01');
    expect(statusOf(body.items)).toEqual({
      [codes.renewed]: 'renewed',
      [codes.renewal]: 'end_unknown',
      [codes.ended]: 'ended',
      [codes.upcoming]: 'upcoming',
      [codes.unrecorded]: 'unrecorded',
      [codes.running]: 'running',
      [codes.endUnknown]: 'end_unknown',
    });
    // a year earlier the renewed batch still ran and its renewal had not started
    const before = statusOf((await list(`region=${region}&date=2021-06-30`)).items);
    expect(before[codes.renewed]).toBe('running');
    expect(before[codes.renewal]).toBe('upcoming');
    expect(before[codes.ended]).toBe('running');
    // and after its end the running one has ended too
    expect(statusOf((await list(`region=${region}&date=2023-10-01`)).items)[codes.running]).toBe('ended');
  });

  it('states the dates in the scope: first start (estimated or not) and the contract end', async () => {
    const items = (await list(`region=${region}&date=2023-01-01`)).items;
    const byCode = new Map(items.map((i) => [i.code, i]));
    expect(byCode.get(codes.ended)).toMatchObject({ firstStartOn: '2020-02-01', firstStartEstimated: false, contractEndOn: '2021-12-31' });
    expect(byCode.get(codes.endUnknown)).toMatchObject({ firstStartOn: '2019-03-01', firstStartEstimated: true, contractEndOn: null });
    expect(byCode.get(codes.running)).toMatchObject({ firstStartOn: '2020-10-01', firstStartEstimated: false, contractEndOn: '2023-09-30' });
    expect(byCode.get(codes.upcoming)).toMatchObject({ firstStartOn: '2024-01-01', firstStartEstimated: true });
    expect(byCode.get(codes.unrecorded)).toMatchObject({ firstStartOn: null, firstStartEstimated: false, contractEndOn: null });
    // without a region: every region counts, so the batch that starts in 2024 here has started elsewhere
    const everywhere = await list(`q=${codes.upcoming}&date=2023-01-01`);
    expect(everywhere.items.find((i) => i.code === codes.upcoming)).toMatchObject({ status: 'end_unknown', firstStartOn: '2022-12-01' });
  });

  it('filters by status, and the total counts the filtered batches', async () => {
    const ended = await list(`region=${region}&date=2023-01-01&status=ended`);
    expect(ended.items.map((i) => i.code)).toEqual([codes.ended]);
    expect(ended.total).toBe(1);
    const open = await list(`region=${region}&date=2023-01-01&status=end_unknown&pageSize=1`);
    expect(open.total).toBe(2);
    expect(open.items).toHaveLength(1);
    expect((await list(`region=${region}&date=2023-01-01&status=running`)).items.map((i) => i.code)).toEqual([codes.running]);
  });

  it('filters by the year of announcement or of the first implementation', async () => {
    const y2020 = await list(`region=${region}&year=2020`);
    // announced in 2019, started 2020 (published date, or the region's first start); or announced in 2020
    expect(y2020.items.map((i) => i.code).sort()).toEqual([codes.renewed, codes.ended, codes.running].sort());
    const y2022 = await list(`region=${region}&year=2022`);
    expect(y2022.items.map((i) => i.code).sort()).toEqual([codes.renewal, codes.upcoming, codes.unrecorded].sort());
  });

  it('measures status today when no date is given', async () => {
    expect((await list(`region=${region}`)).asOf).toBe(todayInChina());
  });

  it('refuses a status, year or date it does not know, in the one error shape', async () => {
    for (const query of ['status=finished', 'year=1800', 'date=2023-02-30']) {
      const res = await t.get(`/api/batches?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), messageZh: expect.any(String) });
    }
  });

  it('shows a provincial user their own region’s statuses only among the batches they may see', async () => {
    const office = await signIn(t.app, await createTestUser(t.database.db, 'office', region));
    const res = await office.get(`/api/batches?region=${region}&date=2023-01-01&status=unrecorded`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: Item) => i.code)).toEqual([codes.unrecorded]);
    const foreign = await office.get(`/api/batches?region=${other}&level=provincial`);
    expect(foreign.body.total).toBe(0);
  });

  describe('cuts', () => {
    let code: string;
    beforeAll(async () => {
      const db = t.database.db;
      const { batch, varieties } = await createBatchWithVarieties(db, 3, { publishedAvgCut: '0.5300', announcedOn: '2015-01-01' });
      code = batch.code;
      const [a, b, c] = varieties;
      await createSelectedProduct(db, { batchId: batch.id, varietyId: a!.id, referencePrice: '10.0000', selectedPrice: '4.0000' }); // 60%
      await createSelectedProduct(db, { batchId: batch.id, varietyId: a!.id, referencePrice: '10.0000', selectedPrice: '7.0000' }); // 30%
      await createSelectedProduct(db, { batchId: batch.id, varietyId: b!.id, referencePrice: '3.0000', selectedPrice: '0.3000' }); // 90%
      await createSelectedProduct(db, { batchId: batch.id, varietyId: c!.id, referencePrice: null, selectedPrice: '1.0000' }); // no cut
      await createSelectedProduct(db, { batchId: batch.id, varietyId: c!.id, referencePrice: '2.0000', selectedPrice: '2.2000' }); // −10%
    });

    it('lists the computed plain mean cut beside the published one, equal to the batch page’s', async () => {
      const item = (await list(`q=${code}`)).items.find((i) => i.code === code);
      const detail = (await t.get(`/api/batches/${code}`)).body;
      // varieties: a (60+30)/2 = 45%, b 90%, c −10% → 41.67%
      expect(item?.computedAvgCut).toBeCloseTo(0.416667, 6);
      expect(item?.computedAvgCut).toBe(detail.cuts.plainMean);
      expect(item?.published.avgCut).toBe(0.53);
    });

    it('bins the product cuts in 10-point bins, zero-filled, a price rise below 0', async () => {
      const detail = (await t.get(`/api/batches/${code}`)).body as { cutHistogram: { from: number; to: number; count: number }[] };
      expect(detail.cutHistogram.map((b) => b.from)).toEqual([-0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
      expect(detail.cutHistogram.at(-1)).toEqual({ from: 0.9, to: 1, count: 1 });
      expect(Object.fromEntries(detail.cutHistogram.filter((b) => b.count > 0).map((b) => [b.from, b.count]))).toEqual({ '-0.1': 1, '0.3': 1, '0.6': 1, '0.9': 1 });
      expect(detail.cutHistogram.reduce((n, b) => n + b.count, 0)).toBe(4);
    });

    it('has an all-zero histogram for a batch without products', async () => {
      const detail = (await t.get(`/api/batches/${codes.ended}`)).body as { cutHistogram: { count: number }[]; cuts: { plainMean: number | null } };
      expect(detail.cutHistogram).toHaveLength(10);
      expect(detail.cutHistogram.every((b) => b.count === 0)).toBe(true);
      expect((await list(`q=${codes.ended}`)).items[0]?.computedAvgCut).toBeNull();
    });
  });
});
