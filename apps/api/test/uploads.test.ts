/**
 * Uploads through the real HTTP app on both engines: each kind validated, committed in one transaction
 * and reverted to exactly the state before (compared row for row), with the error paths a clerk meets.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { selectRows } from '@vbp/db';
import { addVarieties, createBatch, createBatchWithVarieties, createImplementation, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { institutions } from '@vbp/db/schema';
import { createAgreedVolume } from '@vbp/db/execution-factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';
import { summariesEqualRebuild } from './summary-helpers';

const BOM = '\uFEFF';

function form(fields: Record<string, string>, fileName: string, content: string | Uint8Array): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append('file', new Blob([content]), fileName);
  return data;
}

function upload(client: Client, _app: TestApp['app'], fields: Record<string, string>, fileName: string, content: string | Uint8Array) {
  return client.sendForm('/api/uploads', form(fields, fileName, content));
}

/** A table's rows as text, for before/after comparisons. */
async function dump(t: TestApp, table: string, where: string): Promise<string[]> {
  const rows = await selectRows<{ r: string }>(t.database.db, sql.raw(`select to_jsonb(x)::text as r from ${table} x where ${where} order by 1`));
  return rows.map((r) => r.r);
}

describe.each(TEST_ENGINES)('uploads on %s', (engine) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vbp-upload-test-'));
    t = await openTestApp(engine, { uploads: { dir, maxBytes: 2 * 1024 * 1024 } });
    await createRegion(t.database.db, { code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(t.database.db, { code: '110000', nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    await createRegion(t.database.db, { code: '120000', nameZh: '天津市', shortNameZh: '天津', nameEn: 'Tianjin' });
  });
  afterAll(async () => {
    await t?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a batch’s results over its placeholders, and a revert brings the placeholders back exactly', async () => {
    const { batch } = await createBatchWithVarieties(t.database.db, 3, { code: `R${engine}`, varietiesArePlaceholders: true }, { isPlaceholder: true });
    const before = [...(await dump(t, 'batch_varieties', `batch_id = ${batch.id}`)), ...(await dump(t, 'selected_products', `batch_id = ${batch.id}`))];
    const csv = [
      '第九批国家组织药品集采拟中选结果表',
      '通用名,剂型,规格,包装,生产企业,中选价格（元）,最高有效申报价,是否中选',
      '甲磺酸伊马替尼片,口服常释剂型,0.1g,60片/盒,甲制药有限公司,120.00,400.00,是',
      ',,0.1g,120片/盒,甲制药有限公司,236.00,800.00,是',
      '甲磺酸伊马替尼片,口服常释剂型,0.1g,60片/盒,乙制药有限公司,,410.00,否',
      '左乙拉西坦片,口服常释剂型,0.25g,30片/盒,丙药业,"1,250.50",3000,是',
    ].join('\r\n');
    const res = await upload(t.admin, t.app, { kind: 'batch-results', batch: batch.code }, '结果.csv', BOM + csv);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status, JSON.stringify(res.body.errors)).toBe('validated');
    expect(res.body.counts).toMatchObject({ valid: 3, notSelected: 1, placeholdersReplaced: 3, new: 3 });

    const committed = await t.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
    expect(committed.body.status, JSON.stringify(committed.body)).toBe('committed');
    const detail = await t.get(`/api/batches/${batch.code}`);
    expect(detail.body).toMatchObject({ varietyCount: 2, productCount: 3, placeholderCount: 0, varietiesArePlaceholders: false });
    expect(detail.body.products.map((p: { selectedPrice: string }) => Number(p.selectedPrice)).sort((a: number, b: number) => a - b)).toEqual([120, 236, 1250.5]);

    const reverted = await t.send('POST', `/api/uploads/${res.body.id}/revert`);
    expect(reverted.body.status).toBe('reverted');
    const after = [...(await dump(t, 'batch_varieties', `batch_id = ${batch.id}`)), ...(await dump(t, 'selected_products', `batch_id = ${batch.id}`))];
    expect(after).toEqual(before);
    expect((await t.get(`/api/batches/${batch.code}`)).body).toMatchObject({ placeholderCount: 3, productCount: 0, varietiesArePlaceholders: true });
  });

  it('loads the 4+7 pilot’s sheet as published: strengths under their variety, main strengths, a failed tender, cuts against the company average', async () => {
    const { batch } = await createBatchWithVarieties(t.database.db, 0, { code: `P47${engine}` });
    const csv = [
      '4+7城市药品集中采购拟中选结果',
      '序号,品种名,剂型,规格,采购数量（万片/万袋/万支）,拟中选企业,中选规格包装,每盒价格,最小规格价格,企业近三年平均价（最小规格）,降幅,原研企业及市场占比,备注',
      '1,阿托伐他汀钙片,片剂,10mg,7258.3,北京嘉林药业股份有限公司,7片/盒,2.94,0.42,2.56,83.59%,辉瑞 45%,',
      ',,,20mg*,17265.1,北京嘉林药业股份有限公司,7片/盒,6.6,0.94,6.06,84.49%,,',
      '2,孟鲁司特钠片,片剂,10mg*,2530,流标,,流标,流标,,,默沙东 60%,未接受议价',
    ].join('\r\n');
    const res = await upload(t.admin, t.app, { kind: 'batch-results', batch: batch.code }, '4+7.csv', BOM + csv);
    expect([res.body.status, res.body.counts], JSON.stringify(res.body.errors)).toEqual(['validated', expect.objectContaining({ valid: 2, notSelected: 1, invalid: 0 })]);
    expect(res.body.warnings).toEqual([]);
    expect((await t.send('POST', `/api/uploads/${res.body.id}/commit`, {})).body.status).toBe('committed');
    const detail = (await t.get(`/api/batches/${batch.code}`)).body;
    expect(detail.products.map((p: Record<string, unknown>) => [p.spec, p.isMainStrength, p.referencePrice, p.referenceBasis, Math.round((p.cut as number) * 10_000)])).toEqual([
      ['10mg', false, '2.5600', 'company_average', 8359],
      ['20mg', true, '6.0600', 'company_average', 8449],
    ]);
    expect(detail.varieties.map((v: { nameZh: string; outcome: string }) => [v.nameZh, v.outcome]).sort()).toEqual([['孟鲁司特钠片', 'failed'], ['阿托伐他汀钙片', 'selected']]);
    expect((await t.send('POST', `/api/uploads/${res.body.id}/revert`)).body.status).toBe('reverted');
  });

  it('reports each bad purchase row with its row and column, and commits nothing from an invalid file', async () => {
    const db = t.database.db;
    const [inst] = await db.insert(institutions).values({ regionCode: '320000', code: 'H001', name: '南京市第一医院' }).returning();
    const variety = await createVariety(db);
    const { batch } = await createBatchWithVarieties(db, 0);
    await addVarieties(db, batch.id, [variety.id]);
    await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: 'XA01' });
    const clerk = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
    const bad = ['医疗机构编码,采购月份,医保编码,采购数量,采购金额', 'H001,2024-03,XA01,100,400', 'H001,2024年4月,XX99,50,200', 'H999,2024-05,XA01,十,40'].join('\n');
    const res = await upload(clerk, t.app, { kind: 'purchases' }, 'purchases.csv', bad);
    expect(res.body.status).toBe('invalid');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: '医保编码', value: 'XX99', code: 'UNKNOWN_PRODUCT' }),
        expect.objectContaining({ row: 4, column: '采购数量', value: '十', messageZh: '第 4 行“采购数量”列的值“十”不是有效数字' }),
      ]),
    );
    expect((await t.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true })).status).toBe(409);

    // the same institution, product and month twice (three times): each key once, at its first row, naming the others
    const twice = ['医疗机构编码,采购月份,医保编码,采购数量,采购金额', 'H001,2024-03,XA01,100,400', 'H001,2024-04,XA01,1,4', 'H001,2024年3月,XA01,7,28', 'H001,2024-04-01,XA01,2,8', 'H001,2024-03,XA01,9,36'].join('\n');
    const doubled = await upload(clerk, t.app, { kind: 'purchases' }, 'twice.csv', twice);
    expect(doubled.body.status).toBe('invalid');
    expect(doubled.body.errors.filter((e: { code: string }) => e.code === 'DUPLICATE_ROW')).toEqual([
      expect.objectContaining({ row: 2, messageZh: expect.stringContaining('第 4、6 行') }),
      expect.objectContaining({ row: 3, messageZh: expect.stringContaining('第 5 行') }),
    ]);

    const good = ['医疗机构编码,采购月份,医保编码,采购数量,采购金额', 'H001,2024-03,XA01,100,400', 'H001,2024/4/1,XA01,50.5,202'].join('\n');
    const first = await upload(clerk, t.app, { kind: 'purchases' }, 'purchases.csv', good);
    expect(first.body).toMatchObject({ status: 'validated', counts: { valid: 2, new: 2 } });
    expect((await clerk.send('POST', `/api/uploads/${first.body.id}/commit`, { acknowledgeWarnings: false })).body.status).toBe('committed');
    const state1 = await dump(t, 'purchases', `institution_id = ${inst!.id}`);
    expect(state1).toHaveLength(2);

    // a corrected month: one row changes, one stays
    const corrected = ['医疗机构编码,采购月份,医保编码,采购数量,采购金额', 'H001,2024-03,XA01,120,480', 'H001,2024-04,XA01,50.5,202'].join('\n');
    const second = await upload(clerk, t.app, { kind: 'purchases' }, 'purchases-v2.csv', corrected);
    expect(second.body.counts).toMatchObject({ new: 0, changed: 1, unchanged: 1 });
    expect((await clerk.send('POST', `/api/uploads/${second.body.id}/commit`, { acknowledgeWarnings: false })).body.status).toBe('committed');
    // the clerk may not revert; the office of the province may, newest first
    expect((await clerk.send('POST', `/api/uploads/${second.body.id}/revert`)).status).toBe(403);
    const office = await signIn(t.app, await createTestUser(db, 'office', '320000'));
    expect((await office.send('POST', `/api/uploads/${first.body.id}/revert`)).status).toBe(409);
    expect((await office.send('POST', `/api/uploads/${second.body.id}/revert`)).body.status).toBe('reverted');
    expect(await dump(t, 'purchases', `institution_id = ${inst!.id}`)).toEqual(state1);
    expect((await office.send('POST', `/api/uploads/${first.body.id}/revert`)).body.status).toBe('reverted');
    expect(await dump(t, 'purchases', `institution_id = ${inst!.id}`)).toEqual([]);
  });

  it('writes nothing when a commit fails midway, and the upload can be committed again', async () => {
    const db = t.database.db;
    await db.insert(institutions).values({ regionCode: '320000', code: 'H777', name: '测试医院' });
    const variety = await createVariety(db);
    const { batch } = await createBatchWithVarieties(db, 0);
    await addVarieties(db, batch.id, [variety.id]);
    await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: 'FAIL01' });
    const clerk = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
    const csv = ['医疗机构编码,采购月份,医保编码,采购数量', 'H777,2024-01,FAIL01,10', 'H777,2024-02,FAIL01,20'].join('\n');
    const res = await upload(clerk, t.app, { kind: 'purchases' }, 'p.csv', csv);
    expect(res.body.status).toBe('validated');
    const before = await dump(t, 'purchases', `product_id in (select id from products where nhsa_code = 'FAIL01')`);
    // the database refuses the second row (a trigger stands in for any failure after the first row is written)
    await t.database.db.execute(sql.raw(`
      create function refuse_twenty() returns trigger language plpgsql as $$
      begin if new.quantity = 20 then raise exception 'refused for the test'; end if; return new; end $$`));
    await t.database.db.transaction(async (tx) => {
      // Citus takes triggers on distributed tables (made on every shard) only when told it may
      if (engine === 'citus') await tx.execute(sql`set local citus.enable_unsafe_triggers = on`);
      await tx.execute(sql.raw(`create trigger refuse_twenty before insert on purchases for each row execute function refuse_twenty()`));
    });
    const failed = await clerk.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: false });
    expect(failed.status).toBe(500);
    expect(await dump(t, 'purchases', `product_id in (select id from products where nhsa_code = 'FAIL01')`)).toEqual(before);
    expect(await dump(t, 'purchase_revisions', `upload_id = ${res.body.id}`)).toEqual([]);
    const after = (await clerk.get(`/api/uploads/${res.body.id}`)).body;
    expect(after).toMatchObject({ status: 'validated', statusReason: { code: 'COMMIT_FAILED', phase: 'committing' } });
    await t.database.db.transaction(async (tx) => {
      if (engine === 'citus') await tx.execute(sql`set local citus.enable_unsafe_triggers = on`);
      await tx.execute(sql.raw(`drop trigger refuse_twenty on purchases`));
    });
    await t.database.db.execute(sql.raw(`drop function refuse_twenty()`));
    expect((await clerk.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: false })).body).toMatchObject({ status: 'committed', statusReason: null });
    expect(await dump(t, 'purchases', `product_id in (select id from products where nhsa_code = 'FAIL01')`)).toHaveLength(2);
  });

  it('commits correctly when rows arrived after validation (the fast path falls back), and reverts to them', async () => {
    const db = t.database.db;
    await db.insert(institutions).values({ regionCode: '320000', code: 'H888', name: '测试医院' });
    const variety = await createVariety(db);
    const { batch } = await createBatchWithVarieties(db, 0);
    await addVarieties(db, batch.id, [variety.id]);
    await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: 'RACE01' });
    const clerk = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
    const header = '医疗机构编码,采购月份,医保编码,采购数量';
    const first = await upload(clerk, t.app, { kind: 'purchases' }, 'a.csv', [header, 'H888,2024-01,RACE01,10', 'H888,2024-02,RACE01,20'].join('\n'));
    expect(first.body.counts).toMatchObject({ new: 2, changed: 0 });
    // meanwhile another file for January is committed
    const second = await upload(clerk, t.app, { kind: 'purchases' }, 'b.csv', [header, 'H888,2024-01,RACE01,99'].join('\n'));
    expect((await clerk.send('POST', `/api/uploads/${second.body.id}/commit`, { acknowledgeWarnings: false })).body.status).toBe('committed');
    const between = await dump(t, 'purchases', `product_id in (select id from products where nhsa_code = 'RACE01')`);
    expect((await clerk.send('POST', `/api/uploads/${first.body.id}/commit`, { acknowledgeWarnings: false })).body.status).toBe('committed');
    const quantities = await selectRows<{ q: string }>(db, sql`select quantity::text as q from purchases where product_id = (select id from products where nhsa_code = 'RACE01') order by month`);
    expect(quantities.map((r) => r.q)).toEqual(['10.000', '20.000']);
    const office = await signIn(t.app, await createTestUser(db, 'office', '320000'));
    expect((await office.send('POST', `/api/uploads/${first.body.id}/revert`)).body.status).toBe('reverted');
    expect(await dump(t, 'purchases', `product_id in (select id from products where nhsa_code = 'RACE01')`)).toEqual(between);
  });

  it('loads implementations for several provinces from one row, and reverts them', async () => {
    const batch = await createBatch(t.database.db, { code: `IMPL-${engine}` });
    await createImplementation(t.database.db, { batchId: batch.id, regionCode: '110000', startOn: '2020-01-01', estimated: true });
    const before = await dump(t, 'implementations', `batch_id = ${batch.id}`);
    const csv = ['批次编号,省份,执行日期,协议期满日期', `${batch.code},"北京市、天津",2021年3月1日,2023-02-28`].join('\n');
    const res = await upload(t.admin, t.app, { kind: 'implementations' }, 'impl.csv', csv);
    expect(res.body, JSON.stringify(res.body.errors)).toMatchObject({ status: 'validated', counts: { new: 1, changed: 1 } });
    await t.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
    const rows = await selectRows<{ region: string; start: string }>(t.database.db, sql`select region_code as region, start_on::text as start from implementations where batch_id = ${batch.id} order by 1`);
    expect(rows).toEqual([
      { region: '110000', start: '2021-03-01' },
      { region: '120000', start: '2021-03-01' },
    ]);
    await t.send('POST', `/api/uploads/${res.body.id}/revert`);
    expect(await dump(t, 'implementations', `batch_id = ${batch.id}`)).toEqual(before);
  });

  it('loads agreed volumes by contract year, creating new institutions, and a revert removes both', async () => {
    const db = t.database.db;
    const variety = await createVariety(db, { key: `阿托伐他汀-${engine}|口服常释剂型`, nameZh: `阿托伐他汀${engine}`, dosageFormGroup: '口服常释剂型' });
    const batch = await createBatch(db, { code: `AV-${engine}` });
    await addVarieties(db, batch.id, [variety.id]);
    await createImplementation(db, { batchId: batch.id, regionCode: '320000', startOn: '2023-01-01', contractEndOn: '2024-06-30' });
    const clerk = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
    const csv = [
      '医疗机构编码,医疗机构名称,批次编号,通用名,协议年度,约定采购量,单位',
      `AV001,苏州市立医院,${batch.code},阿托伐他汀${engine}钙片,1,"12,000",片`,
      `AV001,苏州市立医院,${batch.code},阿托伐他汀${engine}钙片,2,6000,片`,
      `AV001,苏州市立医院,${batch.code},不存在的药,1,10,片`,
    ].join('\n');
    const invalid = await upload(clerk, t.app, { kind: 'agreed-volumes' }, 'av.csv', csv);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ row: 4, code: 'UNKNOWN_VARIETY', column: '通用名' })]);
    const res = await upload(clerk, t.app, { kind: 'agreed-volumes' }, 'av.csv', csv.split('\n').slice(0, 3).join('\n'));
    expect(res.body, JSON.stringify(res.body.errors)).toMatchObject({ status: 'validated', counts: { valid: 2, institutionsCreated: 1 } });
    expect((await clerk.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true })).body.status).toBe('committed');
    const rows = await selectRows<{ year: number; start: string; end: string; quantity: string }>(
      db,
      sql`select contract_year as year, period_start::text as start, period_end::text as "end", quantity::text as quantity from agreed_volumes where batch_id = ${batch.id} order by 1`,
    );
    // year 2 is cut at the contract end
    expect(rows).toEqual([
      { year: 1, start: '2023-01-01', end: '2023-12-31', quantity: '12000.000' },
      { year: 2, start: '2024-01-01', end: '2024-06-30', quantity: '6000.000' },
    ]);
    const office = await signIn(t.app, await createTestUser(db, 'office', '320000'));
    expect((await office.send('POST', `/api/uploads/${res.body.id}/revert`)).body.status).toBe('reverted');
    expect(await dump(t, 'agreed_volumes', `batch_id = ${batch.id}`)).toEqual([]);
    expect(await dump(t, 'institutions', `code = 'AV001'`)).toEqual([]);
  });

  it('commits two provinces’ purchases at the same time, each into its own province, with the summaries right', async () => {
    const db = t.database.db;
    const variety = await createVariety(db);
    const { batch } = await createBatchWithVarieties(db, 0);
    await addVarieties(db, batch.id, [variety.id]);
    await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: 'TWO01' });
    const files = [];
    for (const region of ['320000', '110000']) {
      const [inst] = await db.insert(institutions).values({ regionCode: region, code: `T${region}`, name: `两省医院${region}` }).returning();
      await createAgreedVolume(db, { regionCode: region, institutionId: inst!.id, batchId: batch.id, varietyId: variety.id, periodStart: '2024-01-01', periodEnd: '2024-12-31', quantity: '1000' });
      const clerk = await signIn(t.app, await createTestUser(db, 'clerk', region));
      const rows = Array.from({ length: 12 }, (_, m) => `T${region},2024-${String(m + 1).padStart(2, '0')},TWO01,${region === '320000' ? 10 : 20},`);
      const res = await upload(clerk, t.app, { kind: 'purchases' }, `${region}.csv`, ['医疗机构编码,采购月份,医保编码,采购数量,采购金额', ...rows].join('\n'));
      expect(res.body.status, JSON.stringify(res.body.errors)).toBe('validated');
      files.push({ clerk, id: res.body.id as number, region, institution: inst!.id });
    }
    // the factory wrote the agreed volumes as raw rows; the product's writers keep the summaries, built here
    await rebuildSummaries(db);
    const committed = await Promise.all(files.map((f) => f.clerk.send('POST', `/api/uploads/${f.id}/commit`, { acknowledgeWarnings: true })));
    expect(committed.map((c) => c.body.status)).toEqual(['committed', 'committed']);
    for (const f of files) {
      const [sum] = await selectRows<{ n: number; q: string }>(db, sql`select count(*)::int as n, sum(quantity)::text as q from purchases where region_code = ${f.region} and institution_id = ${f.institution}`);
      expect(sum).toEqual({ n: 12, q: f.region === '320000' ? '120.000' : '240.000' });
    }
    expect(await summariesEqualRebuild(db)).toEqual({ equal: true, differences: [] });
  });

  it('refuses what it must, clearly', async () => {
    const clerk = await signIn(t.app, await createTestUser(t.database.db, 'clerk', '320000'));
    const other = await upload(clerk, t.app, { kind: 'purchases', region: '110000' }, 'p.csv', 'a,b\n1,2');
    expect(other.status).toBe(403);
    const badKind = await upload(clerk, t.app, { kind: 'pills' }, 'p.csv', 'a,b\n1,2');
    expect([badKind.status, badKind.body.error.issues[0].path]).toEqual([400, 'kind']);
    const big = await upload(clerk, t.app, { kind: 'purchases' }, 'big.csv', 'x'.repeat(3 * 1024 * 1024));
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const xls = await upload(clerk, t.app, { kind: 'purchases' }, 'old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect(xls.body.status).toBe('invalid');
    expect(xls.body.errors[0].messageZh).toContain('.xlsx');
    const leader = await signIn(t.app, await createTestUser(t.database.db, 'leader', '320000'));
    expect((await upload(leader, t.app, { kind: 'purchases' }, 'p.csv', 'a')).status).toBe(403);
  });

  it('takes the form fields in any order: after the file (as `curl -F file=@… -F kind=…` sends them) as before it', async () => {
    const clerk = await signIn(t.app, await createTestUser(t.database.db, 'clerk', '320000'));
    const filesBefore = readdirSync(dir).length;
    const csv = `${BOM}批次编号,省份,执行日期\nLATE${engine},天津,2024-01-01\n`;
    const data = new FormData();
    data.append('file', new Blob([csv]), 'late-fields.csv');
    data.append('kind', 'implementations');
    data.append('region', '120000');
    const res = await clerk.sendForm('/api/uploads', data);
    // the region sent after the file counts: a Jiangsu clerk may not load Tianjin's data
    expect([res.status, res.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(readdirSync(dir).length).toBe(filesBefore); // a refused form leaves no stored file behind
    const ok = new FormData();
    ok.append('file', new Blob([csv.replace('天津', '江苏')]), 'late-fields.csv');
    ok.append('kind', 'implementations');
    const accepted = await clerk.sendForm('/api/uploads', ok);
    expect([accepted.status, accepted.body.kind, accepted.body.regionCode]).toEqual([201, 'implementations', '320000']);
    expect(readdirSync(dir).length).toBe(filesBefore + 1);
  });

  it('serves templates that read back as their own example', async () => {
    for (const kind of ['batch-results', 'implementations', 'agreed-volumes', 'purchases']) {
      const xlsx = await t.app.request(`/api/templates/${kind}.xlsx`, { headers: { cookie: t.cookie! } });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-disposition')).toContain(`${kind}-template.xlsx`);
      const bytes = new Uint8Array(await xlsx.arrayBuffer());
      expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
      const csv = await t.app.request(`/api/templates/${kind}.csv`, { headers: { cookie: t.cookie! } });
      expect(await csv.text()).toContain(',');
    }
    expect((await t.app.request('/api/templates/nothing.xlsx', { headers: { cookie: t.cookie! } })).status).toBe(404);
  });
});
