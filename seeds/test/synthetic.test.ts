/**
 * The labelled synthetic generator on both engines, against a small fixture made here (not the reference
 * seed): two national drug batches (the second one renewing a variety of the first, one variety failed),
 * a consumable batch whose contract ends inside the window, implemented in 江苏 and partly in 北京.
 */
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows, type Database, type Db } from '@vbp/db';
import { batches, batchVarieties, implementations, regions, varieties } from '@vbp/db/schema';
import { openTestDatabase, TEST_ENGINES } from '@vbp/db/testing';
import {
  generateSynthetic,
  removeSynthetic,
  type SyntheticOptions,
  type SyntheticProgress,
  type SyntheticResult,
} from '../src/synthetic/index';
import { ensureSummaries, summaryRowCounts } from '@vbp/core/summaries/maintain';
import { formatFen } from '../src/synthetic/rows';
import { chineseOrdinal } from '../src/synthetic/geography';
import { contractYearOf, contractYears } from '../src/synthetic/model';

const JS = '320000';
const BJ = '110000';
const OPTIONS: SyntheticOptions = { regionCode: JS, seed: 7, institutions: 80, months: 24, until: '2024-12-01', density: 1.5 };

async function one<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T> {
  const [row] = await selectRows<T>(db, query);
  if (!row) throw new Error('no row');
  return row;
}

interface Fixture {
  d1: number;
  d2: number;
  c1: number;
}

async function loadFixture(db: Db): Promise<Fixture> {
  await db.insert(regions).values([
    { code: JS, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu', kind: 'province', sortOrder: 10 },
    { code: BJ, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing', kind: 'municipality', sortOrder: 1 },
  ]);
  const [d1, d2, c1] = await db
    .insert(batches)
    .values([
      { code: 'T-D1', level: 'national', productType: 'drug', nameZh: '测试第一批', organizer: '测试', contractYears: '2.0', publishedAvgCut: '0.5300' },
      { code: 'T-D2', level: 'national', productType: 'drug', nameZh: '测试第二批', organizer: '测试' },
      { code: 'T-C1', level: 'national', productType: 'consumable', nameZh: '测试耗材', organizer: '测试', contractYears: '2.0', publishedAvgCut: '0.9300' },
    ])
    .returning({ id: batches.id });
  const vs = await db
    .insert(varieties)
    .values([
      { productType: 'drug', key: '测试他汀|口服常释剂型', nameZh: '测试他汀', dosageFormGroup: '口服常释剂型', drugClass: 'chemical' },
      { productType: 'drug', key: '测试沙坦|口服常释剂型', nameZh: '测试沙坦', dosageFormGroup: '口服常释剂型', drugClass: 'chemical' },
      { productType: 'drug', key: '测试西林|注射剂', nameZh: '测试西林', dosageFormGroup: '注射剂', drugClass: 'chemical' },
      { productType: 'drug', key: '测试流标|口服常释剂型', nameZh: '测试流标', dosageFormGroup: '口服常释剂型', drugClass: 'chemical' },
      { productType: 'drug', key: '测试颗粒|颗粒剂', nameZh: '测试颗粒', dosageFormGroup: '颗粒剂', drugClass: 'tcm' },
      { productType: 'consumable', key: '测试支架', nameZh: '测试支架' },
    ])
    .returning({ id: varieties.id });
  const [statin, sartan, cillin, failed, granule, stent] = vs.map((v) => v.id) as [number, number, number, number, number, number];
  await db.insert(batchVarieties).values([
    { batchId: d1!.id, varietyId: statin },
    { batchId: d1!.id, varietyId: sartan },
    { batchId: d1!.id, varietyId: cillin },
    { batchId: d1!.id, varietyId: failed, outcome: 'failed' },
    { batchId: d2!.id, varietyId: statin }, // continues 测试他汀 from 2024-05
    { batchId: d2!.id, varietyId: granule },
    { batchId: c1!.id, varietyId: stent },
  ]);
  await db.insert(implementations).values([
    { batchId: d1!.id, regionCode: JS, startOn: '2023-03-15' },
    { batchId: d2!.id, regionCode: JS, startOn: '2024-05-01' },
    { batchId: c1!.id, regionCode: JS, startOn: '2022-06-01' },
    { batchId: d1!.id, regionCode: BJ, startOn: '2023-06-01' },
  ]);
  return { d1: d1!.id, d2: d2!.id, c1: c1!.id };
}

/** A checksum of everything the generator writes, ids included (fresh databases number alike). */
async function checksums(db: Db): Promise<Record<string, string>> {
  const queries: Record<string, SQL> = {
    institutions: sql`select md5(coalesce(string_agg(concat_ws('|', region_code, id, code, name, city_code, city_name, level, is_synthetic), ';' order by region_code, id), '')) as h from institutions`,
    products: sql`select md5(coalesce(string_agg(concat_ws('|', id, variety_id, company, spec, packaging, unit, is_synthetic), ';' order by id), '')) as h from products`,
    selected: sql`select md5(coalesce(string_agg(concat_ws('|', batch_id, product_id, reference_price, selected_price, price_unit, is_synthetic), ';' order by batch_id, product_id), '')) as h from selected_products`,
    agreed: sql`select md5(coalesce(string_agg(concat_ws('|', region_code, institution_id, batch_id, variety_id, product_id, contract_year, period_start, period_end, quantity, unit, upload_id, is_synthetic), ';' order by region_code, institution_id, batch_id, variety_id, contract_year), '')) as h from agreed_volumes`,
    purchases: sql`select md5(coalesce(string_agg(concat_ws('|', region_code, institution_id, product_id, month, quantity, amount, upload_id, is_synthetic), ';' order by region_code, institution_id, product_id, month), '')) as h from purchases`,
    upload: sql`select md5(coalesce(string_agg(concat_ws('|', id, kind, region_code, status, file_name, counts::text, is_synthetic), ';' order by id), '')) as h from uploads`,
  };
  const out: Record<string, string> = {};
  for (const [name, query] of Object.entries(queries)) out[name] = (await one<{ h: string }>(db, query)).h;
  return out;
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['institutions', 'products', 'selected_products', 'agreed_volumes', 'purchases', 'uploads']) {
    out[table] = (await one<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`)).n;
  }
  return out;
}

describe('synthetic helpers', () => {
  it('rounds amounts to the fen exactly, half up', () => {
    expect(formatFen(3, 12_345)).toBe('3.70'); // 3 × 1.2345 = 3.7035
    expect(formatFen(1, 5_050)).toBe('0.51'); // 0.505 → 0.51
    expect(formatFen(123_456_789, 9_999)).toBe('123444443.32'); // 123,444,443.3211
  });

  it('names ordinals in Chinese', () => {
    expect([1, 10, 11, 20, 35, 99, 120].map(chineseOrdinal)).toEqual(['一', '十', '十一', '二十', '三十五', '九十九', '120']);
  });

  it('counts contract years from the start in the region, cut by the contract end and a renewal', () => {
    expect(contractYearOf('2023-03-15', '2023-03-01')).toBe(1);
    expect(contractYearOf('2023-03-15', '2024-03-01')).toBe(1);
    expect(contractYearOf('2023-03-15', '2024-04-01')).toBe(2);
    expect(contractYearOf('2023-03-01', '2024-03-01')).toBe(2);
    const batch = { batchId: 1, startOn: '2023-03-15', contractEndOn: null, contractYears: 2 };
    expect(contractYears(batch, '2023-01-01', '2024-12-31', null)).toEqual([
      { year: 1, start: '2023-03-15', end: '2024-03-14', fraction: 1 },
      { year: 2, start: '2024-03-15', end: '2025-03-14', fraction: 1 },
    ]);
    const cut = contractYears(batch, '2023-01-01', '2024-12-31', '2024-05-01');
    expect(cut[1]).toMatchObject({ year: 2, start: '2024-03-15', end: '2024-04-30' });
    expect(cut[1]!.fraction).toBeCloseTo(47 / 365, 6);
    // a contract that ended before the window has no year in it
    expect(contractYears({ ...batch, startOn: '2019-12-01' }, '2023-01-01', '2024-12-31', null)).toEqual([]);
  });
});

describe.each(TEST_ENGINES)('synthetic data on %s', (engine) => {
  let database: Database;
  let twin: Database;
  let fixture: Fixture;
  let result: SyntheticResult;
  let twinResult: SyntheticResult;
  const progress: SyntheticProgress[] = [];

  beforeAll(async () => {
    [database, twin] = await Promise.all([openTestDatabase(engine), openTestDatabase(engine)]);
    fixture = await loadFixture(database.db);
    await loadFixture(twin.db);
    result = await generateSynthetic(database, { ...OPTIONS, onProgress: (p) => progress.push(p) });
    twinResult = await generateSynthetic(twin, OPTIONS);
  });
  afterAll(async () => {
    await database?.close();
    await twin?.close();
  });

  it('writes what it reports and reports progress up to the totals', async () => {
    const counts = await tableCounts(database.db);
    expect(result).toMatchObject({ institutions: 80, agreedVolumes: counts.agreed_volumes, purchases: counts.purchases });
    expect(result.purchases).toBeGreaterThan(1_500);
    expect(result.agreedVolumes).toBeGreaterThan(100);
    const last = progress.filter((p) => p.phase === 'purchases').at(-1);
    expect(last).toEqual({ phase: 'purchases', done: result.purchases, total: result.purchases });
    const agreed = progress.filter((p) => p.phase === 'agreed_volumes').at(-1);
    expect(agreed).toEqual({ phase: 'agreed_volumes', done: result.agreedVolumes, total: result.agreedVolumes });
  });

  it('leaves the summaries standing, so that the first start of the server has nothing to rebuild', async () => {
    // a fresh database: the generator records the (empty) summaries as built before it maintains them
    expect(await ensureSummaries(twin.db)).toBe(false);
    expect((await summaryRowCounts(twin.db)).months).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed into another database gives identical data', async () => {
    expect(twinResult).toEqual(result);
    const sums = await checksums(database.db);
    expect(await checksums(twin.db)).toEqual(sums);
    expect(Object.values(sums).every((h) => h !== 'd41d8cd98f00b204e9800998ecf427e')).toBe(true);
  });

  it('labels every row synthetic, with one committed synthetic upload', async () => {
    const db = database.db;
    const unlabelled = await one<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from institutions where not is_synthetic or name not like '%（合成）') as institutions,
        (select count(*)::int from products where not is_synthetic or company not like '%（合成）') as products,
        (select count(*)::int from selected_products where not is_synthetic) as selected,
        (select count(*)::int from agreed_volumes where not is_synthetic or upload_id is null) as agreed,
        (select count(*)::int from purchases where not is_synthetic or upload_id is null) as purchases`,
    );
    expect(unlabelled).toEqual({ institutions: 0, products: 0, selected: 0, agreed: 0, purchases: 0 });
    const uploads = await selectRows<{ id: number; kind: string; status: string; fileName: string; isSynthetic: boolean; counts: Record<string, number> }>(
      db,
      sql`select id, kind, status, file_name as "fileName", is_synthetic as "isSynthetic", counts from uploads`,
    );
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ id: result.uploadId, kind: 'synthetic', status: 'committed', fileName: `synthetic:${JS}:seed=7`, isSynthetic: true });
    expect(uploads[0]!.counts).toMatchObject({ institutions: 80, purchases: result.purchases, agreedVolumes: result.agreedVolumes });
    const codes = await one<{ bad: number; levels: string[] }>(
      db,
      sql`select count(*) filter (where code !~ '^SYN320000[0-9]{4}$')::int as bad, array_agg(distinct level order by level) as levels from institutions`,
    );
    expect(codes.bad).toBe(0);
    expect([...codes.levels].sort()).toEqual(['一级', '三级', '二级', '基层'].sort());
  });

  it('creates 1–4 selected products per variety with cuts in [5%, 97%] and 1–2 non-selected ones', async () => {
    const db = database.db;
    const perVariety = await selectRows<{ batchId: number; n: number; minCut: string; maxCut: string }>(
      db,
      sql`select sp.batch_id as "batchId", count(*)::int as n, min(1 - sp.selected_price / sp.reference_price)::text as "minCut",
                 max(1 - sp.selected_price / sp.reference_price)::text as "maxCut"
          from selected_products sp join products p on p.id = sp.product_id group by sp.batch_id, p.variety_id`,
    );
    expect(perVariety).toHaveLength(6); // T-D1: 3 selected varieties (a 4th failed), T-D2: 2, T-C1: 1
    for (const row of perVariety) {
      expect(row.n).toBeGreaterThanOrEqual(1);
      expect(row.n).toBeLessThanOrEqual(4);
      expect(Number(row.minCut)).toBeGreaterThanOrEqual(0.0499);
      expect(Number(row.maxCut)).toBeLessThanOrEqual(0.9701);
    }
    const nonSelected = await selectRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from products p where not exists (select 1 from selected_products sp where sp.product_id = p.id) group by p.variety_id`,
    );
    expect(nonSelected).toHaveLength(5);
    for (const row of nonSelected) expect([1, 2]).toContain(row.n);
    const failed = await one<{ n: number }>(db, sql`select count(*)::int as n from products p join varieties v on v.id = p.variety_id where v.key like '测试流标%'`);
    expect(failed.n).toBe(0);
  });

  it('buys only in the window and from the month the batch started in the region', async () => {
    const db = database.db;
    const early = await one<{ selected: number; nonSelected: number; outside: number }>(
      db,
      sql`select
        (select count(*)::int from purchases pu
           join selected_products sp on sp.product_id = pu.product_id
           join implementations i on i.batch_id = sp.batch_id and i.region_code = pu.region_code
         where pu.month < date_trunc('month', i.start_on)::date) as selected,
        (select count(*)::int from purchases pu
           join products p on p.id = pu.product_id
         where not exists (select 1 from selected_products sp where sp.product_id = p.id)
           and pu.month < (select min(date_trunc('month', i.start_on))::date from implementations i
                           join batch_varieties bv on bv.batch_id = i.batch_id
                           where bv.variety_id = p.variety_id and i.region_code = pu.region_code)) as "nonSelected",
        (select count(*)::int from purchases where month < '2023-01-01' or month > '2024-12-01' or extract(day from month) <> 1) as outside`,
    );
    expect(early).toEqual({ selected: 0, nonSelected: 0, outside: 0 });
    // the renewal: 测试他汀 is bought under T-D1 until 2024-04 and under T-D2 from 2024-05
    const statin = await selectRows<{ batch: string; first: string; last: string }>(
      db,
      sql`select b.code as batch, min(pu.month)::text as first, max(pu.month)::text as last
          from purchases pu join selected_products sp on sp.product_id = pu.product_id join batches b on b.id = sp.batch_id
          join products p on p.id = pu.product_id join varieties v on v.id = p.variety_id
          where v.key = '测试他汀|口服常释剂型' group by b.code order by b.code`,
    );
    expect(statin).toEqual([
      { batch: 'T-D1', first: '2023-03-01', last: '2024-04-01' },
      { batch: 'T-D2', first: '2024-05-01', last: '2024-12-01' },
    ]);
  });

  it('keeps the non-selected share of every variety within 5–30%', async () => {
    const shares = await selectRows<{ variety: number; share: string }>(
      database.db,
      sql`select p.variety_id as variety,
                 (sum(pu.quantity) filter (where not exists (select 1 from selected_products sp where sp.product_id = p.id)) / sum(pu.quantity))::text as share
          from purchases pu join products p on p.id = pu.product_id group by p.variety_id`,
    );
    expect(shares).toHaveLength(5);
    for (const { share } of shares) {
      expect(Number(share)).toBeGreaterThan(0.05);
      expect(Number(share)).toBeLessThan(0.3);
    }
  });

  it('prices purchases at the selected price and agrees volumes by contract year', async () => {
    const db = database.db;
    const wrong = await one<{ n: number; rows: number }>(
      db,
      sql`select count(*) filter (where pu.amount <> round(pu.quantity * sp.selected_price, 2))::int as n, count(*)::int as rows
          from purchases pu join selected_products sp on sp.product_id = pu.product_id`,
    );
    expect(wrong.rows).toBeGreaterThan(1_000);
    expect(wrong.n).toBe(0);
    const years = await selectRows<{ batch: string; year: number; start: string; end: string }>(
      db,
      sql`select distinct b.code as batch, av.contract_year as year, av.period_start::text as start, av.period_end::text as "end"
          from agreed_volumes av join batches b on b.id = av.batch_id order by 1, 2, 3, 4`,
    );
    expect(years).toEqual([
      { batch: 'T-C1', year: 1, start: '2022-06-01', end: '2023-05-31' },
      { batch: 'T-C1', year: 2, start: '2023-06-01', end: '2024-05-31' },
      { batch: 'T-D1', year: 1, start: '2023-03-15', end: '2024-03-14' },
      { batch: 'T-D1', year: 2, start: '2024-03-15', end: '2024-04-30' }, // 测试他汀, renewed by T-D2
      { batch: 'T-D1', year: 2, start: '2024-03-15', end: '2025-03-14' },
      { batch: 'T-D2', year: 1, start: '2024-05-01', end: '2025-04-30' },
    ]);
  });

  it('makes most institutions complete their agreed volume and some lag behind', async () => {
    // T-D1 contract year 1 (2023-03-15 … 2024-03-14) is over: completion = selected purchases / agreed
    const rows = await selectRows<{ completion: string }>(
      database.db,
      sql`with bought as (
            select pu.institution_id, p.variety_id, sum(pu.quantity) as q
            from purchases pu join selected_products sp on sp.product_id = pu.product_id and sp.batch_id = ${fixture.d1}
            join products p on p.id = pu.product_id
            where pu.month between '2023-03-01' and '2024-02-01'
            group by 1, 2)
          select (coalesce(b.q, 0) / av.quantity)::text as completion
          from agreed_volumes av left join bought b on b.institution_id = av.institution_id and b.variety_id = av.variety_id
          where av.batch_id = ${fixture.d1} and av.contract_year = 1`,
    );
    const completions = rows.map((r) => Number(r.completion));
    const lagging = completions.filter((c) => c < 0.8).length / completions.length;
    const median = [...completions].sort((a, b) => a - b)[Math.floor(completions.length / 2)]!;
    expect(completions.length).toBeGreaterThan(20);
    expect(median).toBeGreaterThan(0.85);
    expect(median).toBeLessThan(1.2);
    expect(lagging).toBeGreaterThan(0.03);
    expect(lagging).toBeLessThan(0.4);
  });

  it('replaces an earlier load of the region, and a failure midway leaves the database as it was', async () => {
    const before = { counts: await tableCounts(twin.db), sums: await checksums(twin.db) };
    await expect(
      generateSynthetic(twin, { ...OPTIONS, seed: 8 }, {
        mapPurchaseRow: (row, index) => (index === Math.floor(result.purchases / 2) ? [...row.slice(0, 4), 'not a number', ...row.slice(5)] : row),
      }),
    ).rejects.toThrow(/numeric|invalid input/i);
    expect(await tableCounts(twin.db)).toEqual(before.counts);
    expect(await checksums(twin.db)).toEqual(before.sums);
    // …and the database still works: the same load again replaces the first one
    const again = await generateSynthetic(twin, OPTIONS);
    expect(again.purchases).toBe(result.purchases);
    const counts = await tableCounts(twin.db);
    expect(counts).toMatchObject({ uploads: 1, institutions: 80, purchases: result.purchases, products: before.counts.products });
  });

  it('leaves nothing written when the load fails midway in an empty database', async () => {
    const empty = await openTestDatabase(engine);
    try {
      await loadFixture(empty.db);
      const before = await tableCounts(empty.db);
      await expect(
        generateSynthetic(empty, OPTIONS, { mapPurchaseRow: (row, index) => (index === 1_000 ? row.slice(0, 3) : row) }),
      ).rejects.toThrow(/row 1001 has 3 values/);
      expect(await tableCounts(empty.db)).toEqual(before);
      expect(before).toEqual({ institutions: 0, products: 0, selected_products: 0, agreed_volumes: 0, purchases: 0, uploads: 0 });
    } finally {
      await empty.close();
    }
  });

  it('removes one region and keeps what another region still uses', async () => {
    const own = await openTestDatabase(engine);
    try {
      const db = own.db;
      const ids = await loadFixture(db);
      await generateSynthetic(own, { ...OPTIONS, institutions: 40 });
      const beijing = await generateSynthetic(own, { ...OPTIONS, regionCode: BJ, institutions: 30 });
      expect(beijing.purchases).toBeGreaterThan(0);
      // 北京 implements only T-D1, whose synthetic selected products it shares with 江苏
      const shared = await one<{ n: number }>(db, sql`select count(*)::int as n from selected_products where batch_id = ${ids.d1}`);

      await removeSynthetic(own, JS);
      const left = await one<Record<string, number>>(
        db,
        sql`select
          (select count(*)::int from institutions where region_code = ${JS}) as institutions,
          (select count(*)::int from agreed_volumes where region_code = ${JS}) as agreed,
          (select count(*)::int from purchases where region_code = ${JS}) as purchases,
          (select count(*)::int from uploads where region_code = ${JS}) as uploads,
          (select count(*)::int from purchases where region_code = ${BJ}) as "bjPurchases",
          (select count(*)::int from selected_products where batch_id = ${ids.d1}) as "d1Selected",
          (select count(*)::int from selected_products where batch_id <> ${ids.d1}) as "otherSelected"`,
      );
      expect(left).toMatchObject({ institutions: 0, agreed: 0, purchases: 0, uploads: 0, bjPurchases: beijing.purchases, otherSelected: 0 });
      expect(left.d1Selected).toBeGreaterThan(0);
      expect(left.d1Selected).toBeLessThanOrEqual(shared.n);
      // every product left is still bought in 北京, or selected in a batch 北京 has agreed volumes for
      const orphans = await one<{ n: number }>(
        db,
        // (lists, not correlated subqueries: the same statement runs on a Citus cluster)
        sql`select count(*)::int as n from products p
            where p.id not in (select distinct pu.product_id from purchases pu)
              and p.id not in (select sp.product_id from selected_products sp join products sel on sel.id = sp.product_id
                               join agreed_volumes av on av.batch_id = sp.batch_id and av.variety_id = sel.variety_id)`,
      );
      expect(orphans.n).toBe(0);

      await removeSynthetic(own, BJ);
      expect(await tableCounts(db)).toEqual({ institutions: 0, products: 0, selected_products: 0, agreed_volumes: 0, purchases: 0, uploads: 0 });
      // the reference data is untouched
      const reference = await one<{ n: number }>(db, sql`select count(*)::int as n from implementations`);
      expect(reference.n).toBe(4);
    } finally {
      await own.close();
    }
  });

  it('refuses a region that is not in the database and bad options', async () => {
    await expect(generateSynthetic(database, { regionCode: '440000' })).rejects.toThrow(/not in the database/);
    await expect(generateSynthetic(database, { regionCode: JS, months: 0 })).rejects.toThrow(RangeError);
    await expect(generateSynthetic(database, { regionCode: JS, until: '2024-13-01' })).rejects.toThrow(RangeError);
  });
});
