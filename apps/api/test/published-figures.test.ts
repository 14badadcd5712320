/**
 * The real figures the product must reproduce (DOMAIN.md), from the real reference seed, through the
 * real HTTP app, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENGINES } from '@vbp/db/testing';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { openTestApp, type TestApp } from './helpers';

describe.each(TEST_ENGINES)('published figures on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(engine);
    await loadReferenceData(t.database.db);
  });
  afterAll(() => t?.database.close());

  const coverage = async (region: string, date: string, type = 'drug', unit = 'variety') => {
    const res = await t.get(`/api/coverage?region=${region}&type=${type}&date=${date}&unit=${unit}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('national: 9 drug batches = 374 varieties at 2024-06-30 (the 4+7 expansion adds none)', async () => {
    const nation = await coverage('100000', '2024-06-30');
    expect(nation.cumulative).toBe(374);
    expect(nation.byLevel).toEqual({ national: 374, alliance: 0, provincial: 0 });
  });

  it('Inner Mongolia: 3 national batches, 112 drugs at 2021-03-31', async () => {
    const im = await coverage('150000', '2021-03-31');
    expect(im.cumulative).toBe(112);
    expect(im.batches.map((b: { code: string }) => b.code)).toEqual(['D1-expansion', 'D2', 'D3']);
  });

  it('Beijing: 556 drugs at 2024-07-31 (9 national batches + 6 provincial) and 13 consumable categories', async () => {
    const bj = await coverage('110000', '2024-07-31');
    expect(bj.cumulative).toBe(556);
    expect(bj.byLevel).toEqual({ national: 374, alliance: 0, provincial: 182 });
    const categories = await coverage('110000', '2024-07-31', 'consumable', 'category');
    expect(categories.cumulative).toBe(13);
  });

  it('Jiangsu: the 550-drug and 30-consumable targets with their source', async () => {
    const res = await t.get('/api/targets?region=320000&date=2024-12-31');
    expect(res.status).toBe(200);
    const own = res.body.items.filter((x: { ownerRegionCode: string }) => x.ownerRegionCode === '320000');
    expect(own.map((x: { productType: string; count: number; unit: string }) => [x.productType, x.count, x.unit]).sort()).toEqual([
      ['consumable', 30, 'variety'],
      ['drug', 550, 'variety'],
    ]);
    for (const target of own) {
      expect(target.source.clause).toContain('一');
      expect(target.source.issuedOn).toBe('2024-10-28');
      expect(target.progress).toMatchObject({ status: expect.stringMatching(/^(met|on_track|at_risk|behind)$/) });
    }
    // and the national per-province ones Jiangsu reports against
    const national = res.body.items.filter((x: { scope: string }) => x.scope === 'each_province');
    expect(national.map((x: { count: number }) => x.count).sort((a: number, b: number) => a - b)).toEqual([5, 350, 500]);
  });

  it('shows the published figure beside the computed one for Beijing', async () => {
    const res = await t.get('/api/overview?region=110000&date=2024-07-31');
    expect(res.status).toBe(200);
    expect(res.body.coverage.drug.cumulative).toBe(556);
    const published = res.body.publishedFigures.find((f: { metric: string }) => f.metric === 'drug_varieties_cumulative');
    expect(published).toMatchObject({ value: '556', source: { clause: expect.any(String) } });
  });
});
