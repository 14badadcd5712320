/**
 * Province agreed volumes (各省约定采购量) through the real upload path on every engine: the joint
 * procurement office's table as published (万 units, a province written once over its rows, names copied
 * from a PDF, 新疆（含兵团）, a failed tender, a variety of another batch), loaded by a national clerk for every
 * province and by a provincial clerk for their own rows, read back per province to the unit with the
 * allocation check, and reverted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addVarieties, createBatchWithVarieties, createImplementation, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { touchData } from '@vbp/core/data-version';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { createAgreedVolume, createPurchases } from '@vbp/db/execution-factories';
import { institutions } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type TestApp } from './helpers';

const BOM = '\uFEFF';

/** The table's rows: region as written, variety, strength, volume in 10,000 units (or 流标). */
const ROWS: [string, string, string, string][] = [
  ['北京', '阿托伐他汀钙片', '10mg', '12.5'],
  ['', '阿托伐他汀钙片', '20mg*', '3.0001'],
  ['湖 北', '阿托伐他汀钙片', '10mg', '20'],
  ['新疆\n（含兵团）', '阿托伐他汀钙片', '10mg', '1.2'],
  ['江苏', '阿托伐他汀钙片', '10mg', '30'],
  ['江苏', '瑞舒伐他汀钙片', '5mg', '8.25'],
  ['北京', '孟鲁司特钠片', '10mg', '流标'],
  ['北京', '别的批次片', '1g', '5'],
];
const PROVINCE_OF: Record<string, string> = { 北京: '110000', '湖 北': '420000', '新疆\n（含兵团）': '650000', 江苏: '320000' };

function csv(rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return BOM + ['第十批国家组织药品集中采购各省首年约定采购量', '地区,品种,规格,首年约定采购量（万片/万支/万袋）', ...rows.map((r) => r.map(cell).join(','))].join('\r\n');
}

/** What the file says each province's total is, in minimum units (the 万 column × 10,000, exact), counted rows only. */
function expectedTotals(rows: readonly (readonly string[])[], counted: ReadonlySet<string>): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  let region = '';
  for (const [written, variety, , volume] of rows) {
    if (written) region = PROVINCE_OF[written]!;
    if (!counted.has(variety!) || !/^\d/.test(volume!)) continue;
    const [whole, frac = ''] = volume!.split('.');
    const units = BigInt(whole!) * 10_000n + BigInt((frac + '0000').slice(0, 4));
    totals.set(region, (totals.get(region) ?? 0n) + units);
  }
  return totals;
}

describe.each(TEST_ENGINES)('province agreed volumes on %s', (engine) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vbp-volumes-test-'));
    t = await openTestApp(engine, { uploads: { dir, maxBytes: 2 * 1024 * 1024 } });
    for (const [code, name, short] of [['110000', '北京市', '北京'], ['420000', '湖北省', '湖北'], ['650000', '新疆维吾尔自治区', '新疆'], ['660000', '新疆生产建设兵团', '兵团'], ['320000', '江苏省', '江苏']] as const)
      await createRegion(t.database.db, { code, nameZh: name, shortNameZh: short, nameEn: short });
  });
  afterAll(async () => {
    await t?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every province’s volumes for a national clerk and only its own for a provincial one, to the unit, and reverts', async () => {
    const db = t.database.db;
    const { batch } = await createBatchWithVarieties(db, 0, { code: `V10${engine}` });
    const atorvastatin = await createVariety(db, { key: '阿托伐他汀|口服常释剂型', nameZh: '阿托伐他汀钙片' });
    const rosuvastatin = await createVariety(db, { key: '瑞舒伐他汀|口服常释剂型', nameZh: '瑞舒伐他汀钙片' });
    const montelukast = await createVariety(db, { key: '孟鲁司特|口服常释剂型', nameZh: '孟鲁司特钠片' });
    await addVarieties(db, batch.id, [atorvastatin.id, rosuvastatin.id]);
    await addVarieties(db, batch.id, [montelukast.id], 'failed');

    const nationalClerk = await signIn(t.app, await createTestUser(db, 'clerk', '100000'));
    const form = (fields: Record<string, string>, content: string) => {
      const data = new FormData();
      data.append('file', new Blob([content]), '各省约定采购量.csv');
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      return data;
    };
    const res = await nationalClerk.sendForm('/api/uploads', form({ kind: 'province-volumes', batch: batch.code }, csv(ROWS)));
    expect([res.status, res.body.status], JSON.stringify(res.body.errors)).toEqual([201, 'validated']);
    expect(res.body.counts).toMatchObject({ valid: 7, notSelected: 1, unselectedVarieties: 1, new: 6, changed: 0, unchanged: 0, otherRegions: 0 });
    expect(res.body.warnings.map((w: { row: number; code: string }) => [w.row, w.code])).toEqual([[10, 'UNSELECTED_VARIETY']]);
    expect(res.body.notices.map((n: { value: string }) => n.value)).toEqual(['湖 北', '新疆\n（含兵团）']);
    const committed = await nationalClerk.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
    expect(committed.body.status, JSON.stringify(committed.body)).toBe('committed');

    // every province's total is the sum of its rows in the file, to the unit
    const totals = expectedTotals(ROWS, new Set(['阿托伐他汀钙片', '瑞舒伐他汀钙片']));
    for (const [region, units] of totals) {
      const read = await t.get(`/api/batches/${batch.code}/volumes?region=${region}`);
      expect([read.status, read.body.total], region).toEqual([200, String(units)]);
    }
    const beijing = (await t.get(`/api/batches/${batch.code}/volumes?region=110000`)).body;
    expect(beijing).toMatchObject({ region: '110000', unit: 'minimum unit', varietyCount: 1, contractYear: 1 });
    expect(beijing.items).toEqual([
      { variety: '阿托伐他汀钙片', varietyId: atorvastatin.id, spec: '10mg', isMainStrength: false, quantity: '125000', unit: null },
      { variety: '阿托伐他汀钙片', varietyId: atorvastatin.id, spec: '20mg', isMainStrength: true, quantity: '30001', unit: null },
    ]);
    const nation = (await t.get(`/api/batches/${batch.code}/volumes?region=100000`)).body;
    expect(nation.regions.map((r: { region: string; total: string }) => [r.region, r.total]).sort()).toEqual(
      [...totals].map(([region, units]) => [region, String(units)]).sort(),
    );
    expect(nation.varietyCount).toBe(2);

    // the allocation check: Beijing's hospitals have agreed 100,000 of the 155,001 tablets; in the first contract
    // year (from Beijing's implementation date) they bought 31,000, in the second 9,000 (not counted)
    await createImplementation(db, { batchId: batch.id, regionCode: '110000', startOn: '2025-01-01' });
    const [hospital] = await db.insert(institutions).values({ regionCode: '110000', code: `BJ${engine}`, name: '北京示例医院' }).returning();
    await createAgreedVolume(db, { regionCode: '110000', institutionId: hospital!.id, batchId: batch.id, varietyId: atorvastatin.id, periodStart: '2025-01-01', periodEnd: '2025-12-31', quantity: '100000' });
    await createAgreedVolume(db, { regionCode: '110000', institutionId: hospital!.id, batchId: batch.id, varietyId: atorvastatin.id, periodStart: '2026-01-01', periodEnd: '2026-12-31', quantity: '100000', contractYear: 2 });
    const { product } = await createSelectedProduct(db, { batchId: batch.id, varietyId: atorvastatin.id, referencePrice: '2', selectedPrice: '0.5', nhsaCode: `XBJ${engine}` });
    await createPurchases(db, { regionCode: '110000', institutionId: hospital!.id, productId: product.id, months: { '2025-03-01': '21000', '2025-11-01': '10000', '2026-02-01': '9000' } });
    await rebuildSummaries(db);
    await touchData(db, ['reference', 'execution'], '100000'); // written past the API: the cached answers must know
    const allocated = (await t.get(`/api/batches/${batch.code}/volumes?region=110000`)).body;
    expect(allocated.allocation).toEqual([
      { varietyId: atorvastatin.id, variety: '阿托伐他汀钙片', quantity: '155001', allocated: '100000', ratio: 0.645157, purchased: '31000', completion: 0.199999 },
    ]);
    const secondYear = (await t.get(`/api/batches/${batch.code}/volumes?region=110000&contractYear=2`)).body;
    expect([secondYear.total, secondYear.allocation]).toEqual(['0', []]);

    // a Jiangsu clerk loads the same national table: only Jiangsu's rows, the rest skipped with one warning
    const jiangsuClerk = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
    const changed = ROWS.map((r) => (r[0] === '江苏' && r[1] === '阿托伐他汀钙片' ? ([r[0], r[1], r[2], '31'] as typeof r) : r));
    const own = await jiangsuClerk.sendForm('/api/uploads', form({ kind: 'province-volumes', batch: batch.code }, csv(changed)));
    expect([own.body.status, own.body.regionCode]).toEqual(['validated', '320000']);
    expect(own.body.counts).toMatchObject({ otherRegions: 6, new: 0, changed: 1, unchanged: 1 });
    expect(own.body.warnings.map((w: { code: string }) => w.code)).toEqual(['OTHER_REGIONS_SKIPPED']);
    expect((await jiangsuClerk.send('POST', `/api/uploads/${own.body.id}/commit`, { acknowledgeWarnings: true })).body.status).toBe('committed');
    expect((await jiangsuClerk.get(`/api/batches/${batch.code}/volumes?region=320000`)).body.total).toBe('392500');
    expect((await jiangsuClerk.get(`/api/batches/${batch.code}/volumes?region=110000`)).status).toBe(403);
    expect((await t.get(`/api/batches/${batch.code}/volumes?region=110000`)).body.total).toBe('155001');

    // reverts: Jiangsu's back to the national table's, then nothing
    const ownReverted = await t.send('POST', `/api/uploads/${own.body.id}/revert`);
    expect(ownReverted.body.status, JSON.stringify(ownReverted.body)).toBe('reverted');
    expect((await t.get(`/api/batches/${batch.code}/volumes?region=320000`)).body.total).toBe('382500');
    const reverted = await t.send('POST', `/api/uploads/${res.body.id}/revert`);
    expect(reverted.body.status, JSON.stringify(reverted.body)).toBe('reverted');
    expect((await t.get(`/api/batches/${batch.code}/volumes?region=100000`)).body).toMatchObject({ total: '0', varietyCount: 0, items: [], regions: [] });
  });

  it('refuses volumes for a batch whose list of selected varieties is not loaded, and takes the same file once it is', async () => {
    const db = t.database.db;
    // the batch as the reference seed registers it before its results are published: placeholder varieties
    const { batch } = await createBatchWithVarieties(db, 3, { code: `D3${engine}`, varietiesArePlaceholders: true }, { isPlaceholder: true });
    const clerk = await signIn(t.app, await createTestUser(db, 'clerk', '100000'));
    const send = (kind: string, name: string, content: string) => {
      const data = new FormData();
      data.append('file', new Blob([content]), name);
      data.append('kind', kind);
      data.append('batch', batch.code);
      return clerk.sendForm('/api/uploads', data);
    };
    const volumes = csv(ROWS);
    const refused = await send('province-volumes', '各省约定采购量.csv', volumes);
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'CONFLICT']);
    expect(refused.body.error.message).toBe(`Batch ${batch.code}'s list of selected varieties is not loaded yet: load its results table first (upload kind: batch results)`);
    expect(refused.body.error.messageZh).toBe(`批次 ${batch.code} 的中选品种名单尚未载入：请先上传该批次的中选结果表（上传类型：中选结果）`);
    expect((await clerk.get(`/api/uploads?kind=province-volumes`)).body.items.filter((u: { batchCode: string }) => u.batchCode === batch.code)).toEqual([]);

    // the batch's results, then the same file
    const results = BOM + ['通用名,剂型,规格,包装,企业,中选价格,最高有效申报价', '阿托伐他汀钙片,口服常释剂型,10mg,7片/盒,甲药业,0.5,2', '瑞舒伐他汀钙片,口服常释剂型,5mg,7片/盒,乙药业,0.4,2'].join('\r\n');
    const loaded = await send('batch-results', '中选结果.csv', results);
    expect([loaded.body.status, loaded.body.counts.placeholdersReplaced], JSON.stringify(loaded.body.errors)).toEqual(['validated', 3]);
    expect((await clerk.send('POST', `/api/uploads/${loaded.body.id}/commit`, {})).body.status).toBe('committed');
    const accepted = await send('province-volumes', '各省约定采购量.csv', volumes);
    expect([accepted.body.status, accepted.body.counts.new], JSON.stringify(accepted.body.errors)).toEqual(['validated', 6]);
    expect((await clerk.send('POST', `/api/uploads/${accepted.body.id}/commit`, { acknowledgeWarnings: true })).body.status).toBe('committed');
    expect((await t.get(`/api/batches/${batch.code}/volumes?region=110000`)).body.total).toBe('155001');

    // a file none of whose rows would be counted (the batch chosen is the wrong one) is refused, not committed empty
    const stray = await send('province-volumes', '别的批次.csv', csv([['北京', '别的批次片', '1g', '5'], ['江苏', '另一个片', '2g', '6']]));
    expect([stray.body.status, stray.body.counts.unselectedVarieties]).toEqual(['invalid', 2]);
    expect(stray.body.errors.map((e: { code: string; row: number | null }) => [e.code, e.row])).toEqual([['NOTHING_COUNTED', null]]);
    expect(stray.body.errors[0].messageZh).toContain('文件中的 2 行都不会被保存或计入');
  });

  it('serves its template like the other kinds', async () => {
    const clerk = await signIn(t.app, await createTestUser(t.database.db, 'clerk', '320000'));
    const xlsx = await t.app.request('/api/templates/province-volumes.xlsx', { headers: { cookie: clerk.cookie! } });
    expect([xlsx.status, xlsx.headers.get('content-disposition')]).toEqual([200, expect.stringContaining('province-volumes-template.xlsx')]);
    const text = await (await t.app.request('/api/templates/province-volumes.csv', { headers: { cookie: clerk.cookie! } })).text();
    expect(text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe('地区,品种,剂型,规格,协议年度,首年约定采购量,单位');
  });
});
