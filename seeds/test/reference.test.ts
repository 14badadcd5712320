/**
 * The real reference seed against the real engines: what it loads, that it is idempotent, that it never
 * undoes an upload, and that its data reproduces the published counts under DOMAIN.md's rules.
 */
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '@vbp/db';
import { selectRows } from '@vbp/db';
import { openTestDatabase, TEST_ENGINES } from '@vbp/db/testing';
import { readReferenceFiles } from '../src/reference/files';
import { loadReferenceData, type LoadReferenceResult } from '../src/reference/load';

const TABLES = [
  'regions',
  'source_documents',
  'categories',
  'alliances',
  'alliance_members',
  'batches',
  'varieties',
  'batch_varieties',
  'implementations',
  'targets',
  'published_figures',
  'seed_state',
] as const;

async function one<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T> {
  const [row] = await selectRows<T>(db, query);
  if (!row) throw new Error('no row');
  return row;
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = (await one<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`)).n;
  }
  return out;
}

/** Distinct varieties of a product type in the batches implemented in a region on or before a date. */
async function coverage(db: Db, regionCode: string, date: string, productType: 'drug' | 'consumable' = 'drug'): Promise<number> {
  const row = await one<{ n: number }>(
    db,
    sql`select count(distinct bv.variety_id)::int as n
        from implementations i
        join batches b on b.id = i.batch_id
        join batch_varieties bv on bv.batch_id = b.id and bv.outcome = 'selected'
        where i.region_code = ${regionCode} and i.start_on <= ${date} and b.product_type = ${productType}`,
  );
  return row.n;
}

async function categoryCoverage(db: Db, regionCode: string, date: string): Promise<number> {
  const row = await one<{ n: number }>(
    db,
    sql`select count(distinct v.category_id)::int as n
        from implementations i
        join batches b on b.id = i.batch_id
        join batch_varieties bv on bv.batch_id = b.id and bv.outcome = 'selected'
        join varieties v on v.id = bv.variety_id
        where i.region_code = ${regionCode} and i.start_on <= ${date} and b.product_type = 'consumable'`,
  );
  return row.n;
}

describe.each(TEST_ENGINES)('reference seed on %s', (engine) => {
  let database: Database;
  let db: Db;
  let first: LoadReferenceResult;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    db = database.db;
    first = await loadReferenceData(db);
  });
  afterAll(() => database?.close());

  it('loads everything in one go', () => {
    expect(first.loaded).toBe(true);
    expect(first.counts).toMatchObject({ regions: 33, batches: 44, targets: 6 });
    expect(first.counts.placeholders).toBeGreaterThan(900);
  });

  it('loads nothing the second time and changes nothing', async () => {
    const before = await tableCounts(db);
    const batchesBefore = await selectRows(db, sql`select code, updated_at::text as "updatedAt" from batches order by code`);
    const second = await loadReferenceData(db);
    expect(second).toEqual({ loaded: false, counts: {} });
    expect(await tableCounts(db)).toEqual(before);
    expect(await selectRows(db, sql`select code, updated_at::text as "updatedAt" from batches order by code`)).toEqual(batchesBefore);
  });

  it('holds the nation, the 31 provincial-level divisions and XPCC', async () => {
    const kinds = await selectRows<{ kind: string; n: number }>(db, sql`select kind::text, count(*)::int as n from regions group by kind order by kind`);
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({
      nation: 1,
      municipality: 4,
      province: 22,
      autonomous_region: 5,
      corps: 1,
    });
    expect(await one(db, sql`select name_zh as "nameZh", kind::text from regions where code = '660000'`)).toEqual({ nameZh: '新疆生产建设兵团', kind: 'corps' });
  });

  it('counts 374 distinct varieties over the national drug batches D1-pilot … D9', async () => {
    const row = await one<{ n: number }>(
      db,
      sql`select count(distinct bv.variety_id)::int as n from batch_varieties bv join batches b on b.id = bv.batch_id
          where b.code in ('D1-pilot', 'D1-expansion', 'D2', 'D3', 'D4', 'D5', 'D6-insulin', 'D7', 'D8', 'D9')`,
    );
    expect(row.n).toBe(374);
  });

  it('links the 4+7 pilot and its expansion to the same 25 varieties', async () => {
    const row = await one<{ pilot: number; expansion: number; shared: number }>(
      db,
      sql`with p as (select variety_id from batch_varieties bv join batches b on b.id = bv.batch_id where b.code = 'D1-pilot'),
               e as (select variety_id from batch_varieties bv join batches b on b.id = bv.batch_id where b.code = 'D1-expansion')
          select (select count(*) from p)::int as pilot, (select count(*) from e)::int as expansion,
                 (select count(*) from p join e using (variety_id))::int as shared`,
    );
    expect(row).toEqual({ pilot: 25, expansion: 25, shared: 25 });
  });

  it("puts 182 varieties in Beijing's 6 provincial drug batches, all placeholders", async () => {
    const row = await one<{ n: number; placeholders: number; batches: number }>(
      db,
      sql`select count(distinct bv.variety_id)::int as n, count(*) filter (where v.is_placeholder)::int as placeholders,
                 count(distinct b.id)::int as batches
          from batches b join batch_varieties bv on bv.batch_id = b.id join varieties v on v.id = bv.variety_id
          where b.region_code = '110000' and b.level = 'provincial' and b.product_type = 'drug'`,
    );
    expect(row).toEqual({ n: 182, placeholders: 182, batches: 6 });
  });

  it('gives every target a document and a clause, and every batch a source', async () => {
    const targets = await one<{ n: number; bad: number }>(
      db,
      sql`select count(*)::int as n, count(*) filter (where document_id is null or coalesce(clause, '') = '')::int as bad from targets`,
    );
    expect(targets).toEqual({ n: 6, bad: 0 });
    const batches = await one<{ bad: number }>(db, sql`select count(*) filter (where coalesce(source, '') = '')::int as bad from batches`);
    expect(batches.bad).toBe(0);
  });

  it('reproduces the published counts under the coverage rules of DOMAIN.md', async () => {
    const national = await one<{ n: number }>(
      db,
      sql`select count(distinct bv.variety_id)::int as n from implementations i join batches b on b.id = i.batch_id
          join batch_varieties bv on bv.batch_id = b.id
          where b.level = 'national' and b.product_type = 'drug' and i.start_on <= '2024-06-30'`,
    );
    expect(national.n).toBe(374);
    expect(await coverage(db, '150000', '2021-03-31')).toBe(112);
    expect(await coverage(db, '110000', '2024-07-31')).toBe(556);
    expect(await categoryCoverage(db, '110000', '2024-07-31')).toBe(13);
    // the 4th national drug batch lands in May 2021, after Inner Mongolia's count
    expect(await coverage(db, '150000', '2021-05-31')).toBe(157);
  });

  it('stores published batch figures as fractions with their source', async () => {
    const d3 = await one(db, sql`select published_variety_count as "varieties", published_product_count as "products", published_avg_cut::text as "cut", source from batches where code = 'D3'`);
    expect(d3).toMatchObject({ varieties: 55, products: 191, cut: '0.5300', source: expect.stringMatching(/^http/) });
    const hb = await one<{ cut: string }>(db, sql`select published_avg_cut::text as cut from batches where code = 'HB-TCM-2021'`);
    expect(hb.cut).toBe('0.4230');
    const renewal = await one(db, sql`select r.code from batches b join batches r on r.id = b.renewal_of_id where b.code = 'C2-renewal'`);
    expect(renewal).toEqual({ code: 'C2' });
  });

  it('dates implementations by the published start or the stated rule, with contract ends', async () => {
    const rows = await selectRows<{ code: string; region: string; start: string; precision: string; end: string | null; estimated: boolean }>(
      db,
      sql`select b.code, i.region_code as region, i.start_on::text as start, i.start_precision::text as precision,
                 i.contract_end_on::text as "end", i.estimated
          from implementations i join batches b on b.id = i.batch_id
          where (b.code, i.region_code) in (('D2', '320000'), ('D3', '150000'), ('C2', '110000'), ('C4-IOL', '110000'), ('C4-IOL', '320000'), ('JS-stent-2019', '320000'))
          order by b.code, i.region_code`,
    );
    expect(rows).toEqual([
      { code: 'C2', region: '110000', start: '2022-04-01', precision: 'month', end: '2024-03-31', estimated: false },
      { code: 'C4-IOL', region: '110000', start: '2024-09-01', precision: 'month', end: null, estimated: true },
      { code: 'C4-IOL', region: '320000', start: '2024-03-01', precision: 'month', end: null, estimated: true },
      { code: 'D2', region: '320000', start: '2020-04-01', precision: 'month', end: null, estimated: false },
      { code: 'D3', region: '150000', start: '2020-12-01', precision: 'month', end: null, estimated: true },
      { code: 'JS-stent-2019', region: '320000', start: '2019-01-01', precision: 'year', end: null, estimated: true },
    ]);
    const perBatch = await selectRows<{ code: string; n: number }>(
      db,
      sql`select b.code, count(i.id)::int as n from batches b left join implementations i on i.batch_id = b.id
          where b.code in ('D1-pilot', 'D1-expansion', 'D5', 'C6', 'JJJ-3+6-IOL', 'TCM-national-1', 'JJJ-trauma-2022') group by b.code order by b.code`,
    );
    expect(Object.fromEntries(perBatch.map((r) => [r.code, r.n]))).toEqual({
      'C6': 32,
      'D1-expansion': 26,
      'D1-pilot': 10,
      'D5': 32,
      'JJJ-3+6-IOL': 1,
      'JJJ-trauma-2022': 0,
      'TCM-national-1': 0,
    });
  });
});

describe.each(TEST_ENGINES)('reference seed reloads on %s', (engine) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    db = database.db;
    await loadReferenceData(db);
  });
  afterAll(() => database?.close());

  const forceReload = async () => {
    await db.execute(sql`delete from seed_state where name = 'reference'`);
    return loadReferenceData(db);
  };

  it('does not bring placeholders back after an upload replaced them, nor undo a clerk’s published date', async () => {
    // an upload of D7's real results: placeholders out, a real variety in
    await db.execute(sql`delete from batch_varieties where batch_id = (select id from batches where code = 'D7')`);
    await db.execute(
      sql`insert into varieties (product_type, key, name_zh, dosage_form_group, drug_class)
          values ('drug', '测试药|口服常释剂型', '测试药', '口服常释剂型', 'chemical')`,
    );
    await db.execute(
      sql`insert into batch_varieties (batch_id, variety_id)
          select b.id, v.id from batches b, varieties v where b.code = 'D7' and v.key = '测试药|口服常释剂型'`,
    );
    await db.execute(sql`update batches set varieties_are_placeholders = false where code = 'D7'`);
    // a clerk enters Jiangsu's published start of D3
    await db.execute(
      sql`update implementations set start_on = '2020-11-15', start_precision = 'day', estimated = false, source = 'upload:42'
          where region_code = '320000' and batch_id = (select id from batches where code = 'D3')`,
    );
    // and, to check the other side of the rule, Shandong's D3 date is touched but left estimated
    await db.execute(
      sql`update implementations set start_on = '2020-10-01', source = 'upload:43'
          where region_code = '370000' and batch_id = (select id from batches where code = 'D3')`,
    );

    const reload = await forceReload();
    expect(reload.loaded).toBe(true);

    const d7 = await selectRows<{ key: string }>(
      db,
      sql`select v.key from batch_varieties bv join varieties v on v.id = bv.variety_id join batches b on b.id = bv.batch_id where b.code = 'D7'`,
    );
    expect(d7).toEqual([{ key: '测试药|口服常释剂型' }]);
    expect(await one(db, sql`select varieties_are_placeholders as p from batches where code = 'D7'`)).toEqual({ p: false });

    const d3 = await selectRows<{ region: string; start: string; source: string }>(
      db,
      sql`select i.region_code as region, i.start_on::text as start, i.source from implementations i join batches b on b.id = i.batch_id
          where b.code = 'D3' and i.region_code in ('320000', '370000') order by 1`,
    );
    expect(d3).toEqual([
      { region: '320000', start: '2020-11-15', source: 'upload:42' },
      { region: '370000', start: '2020-12-01', source: expect.stringMatching(/^seed:reference/) },
    ]);
  });

  it('refills a batch that has only its own placeholders, and reloads when a file changes', async () => {
    // one placeholder of D8 lost (e.g. a partial delete): the batch still holds only seed placeholders
    await db.execute(
      sql`delete from batch_varieties where variety_id = (select id from varieties where key = 'D8#39')`,
    );
    const files = await readReferenceFiles();
    const edited = { ...files, 'regions.csv': files['regions.csv'].replace('Xizang (Tibet)', 'Xizang') };
    const reload = await loadReferenceData(db, { files: edited });
    expect(reload.loaded).toBe(true);
    expect(await one(db, sql`select name_en as "nameEn" from regions where code = '540000'`)).toEqual({ nameEn: 'Xizang' });
    const d8 = await one<{ n: number }>(
      db,
      sql`select count(*)::int as n from batch_varieties bv join batches b on b.id = bv.batch_id where b.code = 'D8'`,
    );
    expect(d8.n).toBe(39);
    // and back to the committed files
    expect((await loadReferenceData(db)).loaded).toBe(true);
    expect((await loadReferenceData(db)).loaded).toBe(false);
  });

  it('writes nothing when a file holds a bad row', async () => {
    const before = await tableCounts(db);
    const files = await readReferenceFiles();
    const edited = { ...files, 'targets.csv': files['targets.csv'].replace(',320000,region,drug,variety,550,', ',320000,region,drug,variety,many,') };
    await expect(loadReferenceData(db, { files: edited })).rejects.toThrow(/targets\.csv, row 2, column count: .*"many"/);
    expect(await tableCounts(db)).toEqual(before);
  });
});
