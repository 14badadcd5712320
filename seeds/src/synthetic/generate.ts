/**
 * The labelled synthetic data set, for demos and benchmarks: institutions, products, agreed volumes and
 * monthly purchases of one region, generated from what the database holds about that region (batches
 * implemented there, their varieties and dates) and a seed. Same database state and options → the same
 * rows, byte for byte.
 *
 * Everything written is labelled: `is_synthetic = true` on every row, one `uploads` row of kind
 * `synthetic`, and （合成） in institution and company names. The load is one transaction (all or nothing)
 * and replaces an earlier synthetic load of the region; the big tables are streamed with COPY, so memory
 * stays bounded at any size (3,000 institutions × 36 months ≈ tens of millions of purchase rows).
 */
import { eq, sql } from 'drizzle-orm';
import { isDistributed, refreshStatistics, selectRows, withTransaction, type CopyRow, type Database, type Db } from '@vbp/db';
import { institutions as institutionsTable, regions, uploads } from '@vbp/db/schema';
import { DiskGuard } from '@vbp/core/disk';
import { touchData } from '@vbp/core/data-version';
import { ensureSummaries, recomputeSummaries } from '@vbp/core/summaries/maintain';
import { isIsoDate, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE } from '@vbp/contracts/enums';
import { planInstitutions, syntheticWindow, type SyntheticPlan } from './model';
import { prepareProducts } from './products';
import { AGREED_VOLUME_COLUMNS, countRows, PURCHASE_COLUMNS, agreedVolumeRows, purchaseRows } from './rows';

export interface SyntheticProgress {
  phase: 'products' | 'institutions' | 'agreed_volumes' | 'purchases';
  done: number;
  total: number;
}

export interface SyntheticOptions {
  regionCode: string;
  /** Default 1. */
  seed?: number;
  /** Default 300. */
  institutions?: number;
  /** Months of purchases, ending with the month of `until`; default 24. */
  months?: number;
  /** The month of the last purchases (any day of it); default 2024-12-01. */
  until?: IsoDate;
  /**
   * How many varieties each institution buys, as a multiple of the default chances (三级 40%, 二级 18%,
   * 一级 7%, 基层 3.5% of drug varieties, times each variety's popularity of 0.5–1.5; see BUY_CHANCE);
   * default 1, sized so the demo (300 institutions × 24 months, about 0.5 M purchase rows for 江苏 with the
   * reference seed) loads in well under 20 s on PGlite. A province-sized benchmark: 3,000 institutions ×
   * 36 months with density 3 (about 20 M purchase rows).
   */
  density?: number;
  onProgress?: (progress: SyntheticProgress) => void;
}

export interface SyntheticResult {
  uploadId: number;
  institutions: number;
  /** Products the synthetic purchases use (selected and non-selected). */
  products: number;
  agreedVolumes: number;
  purchases: number;
}

/** Test-only: lets a test break a purchase row to prove that a failure midway leaves nothing written. */
export interface SyntheticTestHooks {
  mapPurchaseRow?: (row: CopyRow, index: number) => CopyRow;
}

export const SYNTHETIC_UPLOAD_KIND = 'synthetic';

/**
 * About how much the database grows by a synthetic data set: the demo (300 institutions × 24 months,
 * density 1) makes ~71 purchases per institution and month and grew the embedded database by ~220 MB,
 * with the write-ahead log on top (a purchase costs ~500 B at the peak of a bulk write).
 */
export function estimateSyntheticBytes(institutions: number, months: number, density: number): number {
  return Math.round(institutions * months * density * 71 * 600);
}

const DEFAULTS = { seed: 1, institutions: 300, months: 24, until: '2024-12-01', density: 1 } as const;

export async function generateSynthetic(
  database: Database,
  options: SyntheticOptions,
  hooks: SyntheticTestHooks = {},
): Promise<SyntheticResult> {
  const regionCode = options.regionCode;
  const seed = (options.seed ?? DEFAULTS.seed) >>> 0;
  const institutionCount = options.institutions ?? DEFAULTS.institutions;
  const monthCount = options.months ?? DEFAULTS.months;
  const until = options.until ?? DEFAULTS.until;
  const density = options.density ?? DEFAULTS.density;
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`regionCode must be six digits: ${regionCode}`);
  if (!Number.isInteger(institutionCount) || institutionCount < 1 || institutionCount > 99_999)
    throw new RangeError(`institutions must be an integer from 1 to 99,999: ${institutionCount}`);
  if (!Number.isInteger(monthCount) || monthCount < 1 || monthCount > 120) throw new RangeError(`months must be an integer from 1 to 120: ${monthCount}`);
  if (!isIsoDate(until)) throw new RangeError(`until must be a date (YYYY-MM-DD): ${until}`);
  if (!(density > 0 && density <= 20)) throw new RangeError(`density must be above 0 and at most 20: ${density}`);
  const progress = options.onProgress ?? (() => {});
  const window = syntheticWindow(until, monthCount);
  // the embedded database must never reach a full disk (see @vbp/core/disk): refuse beforehand
  if (database.dataDir) await new DiskGuard({ uploads: database.dataDir, database: database.dataDir }).ensure('database', estimateSyntheticBytes(institutionCount, monthCount, density));
  // the generator keeps the summaries incrementally, so they must stand first: on a fresh database this
  // records that the (empty) summaries are built, and the next start has nothing to rebuild
  await ensureSummaries(database.db);

  const result = await withTransaction(database, async ({ tx, copy }) => {
    const [region] = await tx.select({ code: regions.code }).from(regions).where(eq(regions.code, regionCode));
    if (!region) throw new Error(`region ${regionCode} is not in the database: load the reference data first`);
    await deleteRegionRows(tx, regionCode);

    progress({ phase: 'products', done: 0, total: 1 });
    const catalogue = await prepareProducts(tx, regionCode, seed, window);
    progress({ phase: 'products', done: 1, total: 1 });

    const planned = planInstitutions(regionCode, institutionCount, seed);
    const plan: SyntheticPlan = {
      regionCode,
      seed,
      months: window.months,
      windowStart: window.start,
      windowEnd: window.end,
      density,
      institutions: planned,
      varieties: catalogue.varieties,
    };
    const expected = countRows(plan);
    const productIds = new Set(
      catalogue.varieties.flatMap((v) => [...v.nonSelected, ...v.spans.flatMap((s) => s.selected)].map((p) => p.productId)),
    );

    const [upload] = await tx
      .insert(uploads)
      .values({
        kind: SYNTHETIC_UPLOAD_KIND,
        regionCode,
        status: 'committed',
        fileName: `synthetic:${regionCode}:seed=${seed}`,
        isSynthetic: true,
        createdBy: 'synthetic-generator',
        report: { seed, institutions: institutionCount, months: monthCount, until, density, window: [window.start, window.end] },
        committedAt: new Date(),
      })
      .returning({ id: uploads.id });
    const uploadId = upload!.id;

    progress({ phase: 'institutions', done: 0, total: planned.length });
    const institutionIds: number[] = [];
    const perInsert = 4_000; // 7 parameters a row, well under the 65,534 limit
    for (let i = 0; i < planned.length; i += perInsert) {
      const inserted = await tx
        .insert(institutionsTable)
        .values(
          planned.slice(i, i + perInsert).map((p) => ({
            regionCode,
            code: p.code,
            name: p.name,
            cityCode: p.cityCode,
            cityName: p.cityName,
            level: p.level,
            isSynthetic: true,
          })),
        )
        .returning({ id: institutionsTable.id, code: institutionsTable.code });
      const byCode = new Map(inserted.map((r) => [r.code, r.id]));
      for (const p of planned.slice(i, i + perInsert)) institutionIds[p.ordinal] = byCode.get(p.code)!;
      progress({ phase: 'institutions', done: Math.min(planned.length, i + perInsert), total: planned.length });
    }

    progress({ phase: 'agreed_volumes', done: 0, total: expected.agreedVolumes });
    const agreedVolumes = await copy('agreed_volumes', AGREED_VOLUME_COLUMNS, agreedVolumeRows(plan, institutionIds, uploadId), {
      onProgress: (done) => progress({ phase: 'agreed_volumes', done, total: expected.agreedVolumes }),
    });

    progress({ phase: 'purchases', done: 0, total: expected.purchases });
    const rows = purchaseRows(plan, institutionIds, uploadId);
    const map = hooks.mapPurchaseRow;
    const purchases = await copy('purchases', PURCHASE_COLUMNS, map ? mapRows(rows, map) : rows, {
      onProgress: (done) => progress({ phase: 'purchases', done, total: expected.purchases }),
    });

    const counts = {
      institutions: planned.length,
      products: productIds.size,
      productsCreated: catalogue.createdProducts,
      selectedProductsCreated: catalogue.createdSelected,
      batches: catalogue.batches,
      varieties: catalogue.varieties.length,
      agreedVolumes,
      purchases,
    };
    await tx.update(uploads).set({ counts }).where(eq(uploads.id, uploadId));
    // the execution summaries, in the same transaction: the region's, and, when selections were created
    // (they apply in every region), those of their varieties everywhere
    // statistics first: the tables just grew by hundreds of thousands of rows in this transaction, and the
    // summaries' joins planned without them took 10× longer
    await refreshStatistics(tx, ['purchases', 'agreed_volumes', 'institutions', 'products', 'selected_products']);
    await recomputeSummaries(tx, { regions: [regionCode] });
    if (catalogue.createdSelected > 0)
      await recomputeSummaries(tx, { varieties: [...new Set(catalogue.varieties.map((v) => v.varietyId))], exceptRegion: regionCode });
    // the region's execution; products and selections created are national (every province's catalogue)
    if (catalogue.createdProducts > 0 || catalogue.createdSelected > 0) await touchData(tx, ['execution', 'reference'], [regionCode, NATION_CODE]);
    else await touchData(tx, 'execution', regionCode);
    return { uploadId, institutions: planned.length, products: productIds.size, agreedVolumes, purchases };
  });
  // hundreds of thousands of rows just arrived: without statistics PGlite (and a cluster's shards, until their
  // autovacuum comes) plans for a handful
  await refreshStatistics(database.db, undefined, { onCluster: 'analyze' });
  return result;
}

function* mapRows(rows: Iterable<CopyRow>, map: (row: CopyRow, index: number) => CopyRow): Generator<CopyRow> {
  let index = 0;
  for (const row of rows) yield map(row, index++);
}

/**
 * Removes every synthetic row of the region (purchases, agreed volumes, institutions, its synthetic
 * uploads) and the synthetic selected products nothing uses any more, in one transaction; then, in a
 * second one, the synthetic products nothing references (another region's synthetic load may still use
 * them). Running it again finishes a removal that stopped between the two.
 *
 * Why two steps: agreed_volumes.product_id references products without an index, so PostgreSQL checks
 * each deleted product with a scan of agreed_volumes, dead rows included. Vacuuming agreed_volumes in
 * between drops the rows just deleted before those scans (3,000 institutions × 36 months on PostgreSQL
 * here: 121 s → 21 s for the whole removal). An index on agreed_volumes (product_id) would make the
 * vacuum unnecessary.
 */
export async function removeSynthetic(database: Database, regionCode: string): Promise<void> {
  await withTransaction(database, async ({ tx }) => {
    const selectionVarieties = await selectRows<{ id: number }>(
      tx,
      sql`select distinct p.variety_id as "id" from selected_products sp join products p on p.id = sp.product_id where sp.is_synthetic`,
    );
    await deleteRegionRows(tx, regionCode);
    await deleteUnusedSyntheticSelections(tx, regionCode);
    await recomputeSummaries(tx, { regions: [regionCode] });
    await recomputeSummaries(tx, { varieties: selectionVarieties.map((v) => v.id), exceptRegion: regionCode });
    await touchData(tx, ['execution', 'reference'], [regionCode, NATION_CODE]);
  });
  await database.db.execute(sql`vacuum agreed_volumes`).catch(() => {
    // best effort (e.g. not the table's owner): the delete below is only slower without it
  });
  await withTransaction(database, async ({ tx }) => {
    await deleteUnusedSyntheticProducts(tx, regionCode);
    await touchData(tx, 'reference', NATION_CODE);
  });
}

async function deleteRegionRows(db: Db, regionCode: string): Promise<void> {
  await db.execute(sql`delete from purchases where region_code = ${regionCode} and is_synthetic`);
  await db.execute(sql`delete from agreed_volumes where region_code = ${regionCode} and is_synthetic`);
  await db.execute(sql`delete from institutions where region_code = ${regionCode} and is_synthetic`);
  await db.execute(sql`delete from uploads where region_code = ${regionCode} and is_synthetic and kind = ${SYNTHETIC_UPLOAD_KIND}`);
}

/*
 * "Still used" is probed region by region (`regions` × LATERAL … LIMIT 1), so each probe is an index
 * lookup on purchases (region_code, product_id, month) or agreed_volumes (region_code, batch_id,
 * variety_id) instead of a scan of tens of millions of rows. The region being removed is not probed:
 * its index entries are the rows just deleted (dead until vacuumed, each one a heap visit), and only
 * its synthetic rows, now gone, use synthetic products.
 */
async function deleteUnusedSyntheticSelections(db: Db, removedRegion: string): Promise<void> {
  if (await isDistributed(db)) {
    // a Citus cluster probes no index per region: each shard lists the uses among its own rows, in parallel
    const synthetic = sql`select product_id from selected_products where is_synthetic`;
    await db.execute(sql`
      delete from selected_products sp
      using products p
      where p.id = sp.product_id and sp.is_synthetic
        and sp.product_id not in (select distinct pu.product_id from purchases pu where pu.region_code <> ${removedRegion} and pu.product_id in (${synthetic}))
        and (sp.batch_id, p.variety_id) not in (
          select distinct av.batch_id, av.variety_id from agreed_volumes av
          where av.region_code <> ${removedRegion} and (av.batch_id, av.variety_id) in (select s.batch_id, sp2.variety_id from selected_products s join products sp2 on sp2.id = s.product_id where s.is_synthetic))`);
    return;
  }
  await db.execute(sql`
    delete from selected_products sp
    using products p
    where p.id = sp.product_id and sp.is_synthetic
      and not exists (
        select 1 from regions r
        cross join lateral (select 1 from purchases pu where pu.region_code = r.code and pu.product_id = sp.product_id limit 1) used
        where r.code <> ${removedRegion})
      and not exists (
        select 1 from regions r
        cross join lateral (
          select 1 from agreed_volumes av
          where av.region_code = r.code and av.batch_id = sp.batch_id and av.variety_id = p.variety_id limit 1) agreed
        where r.code <> ${removedRegion})`);
}

async function deleteUnusedSyntheticProducts(db: Db, removedRegion: string): Promise<void> {
  if (await isDistributed(db)) {
    const synthetic = sql`select id from products where is_synthetic`;
    await db.execute(sql`
      delete from products p
      where p.is_synthetic
        and not exists (select 1 from selected_products sp where sp.product_id = p.id)
        and p.id not in (select distinct pu.product_id from purchases pu where pu.region_code <> ${removedRegion} and pu.product_id in (${synthetic}))
        and p.id not in (select distinct av.product_id from agreed_volumes av where av.product_id in (${synthetic}))`);
    return;
  }
  await db.execute(sql`
    delete from products p
    where p.is_synthetic
      and not exists (select 1 from selected_products sp where sp.product_id = p.id)
      and not exists (
        select 1 from regions r
        cross join lateral (select 1 from purchases pu where pu.region_code = r.code and pu.product_id = p.id limit 1) used
        where r.code <> ${removedRegion})
      and not exists (select 1 from agreed_volumes av where av.product_id = p.id)`);
}

/** Synthetic rows of a region per table: what `removeSynthetic` would delete there. */
export async function countSynthetic(db: Db, regionCode: string): Promise<Record<string, number>> {
  const [row] = await selectRows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from institutions where region_code = ${regionCode} and is_synthetic) as institutions,
      (select count(*)::int from agreed_volumes where region_code = ${regionCode} and is_synthetic) as "agreedVolumes",
      (select count(*)::int from purchases where region_code = ${regionCode} and is_synthetic) as purchases,
      (select count(*)::int from uploads where region_code = ${regionCode} and is_synthetic) as uploads`,
  );
  return row ?? {};
}
