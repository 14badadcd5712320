import { sql } from 'drizzle-orm';
import type { BatchCut, CutStats, Overview } from '@vbp/contracts/api';
import { todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE, type BatchLevel, type ProductType } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import { cutHistogram, cutStats, priceCut, type PricedProduct } from '../calc/cuts';
import { contractsEndingSoon } from './contract-periods';
import { coverageFromFacts } from './coverage';
import { listPublishedFigures } from './published-figures';
import { joinVolumeWeights, volumeWeight, volumeWeightTables } from './volume-weights';
import { getRegion } from './regions';
import { coverageFactsCache, listTargets } from './targets';

/**
 * Selected products of the batches implemented in a region (the nation: national batches) on or
 * before `date`, each weighted by the region's agreed volume (see getBatch for the weighting rule).
 */
/** Batches implemented in the region on or before `date` (the nation: national batches implemented anywhere). */
function implementedScope(region: string, date: IsoDate) {
  return region === NATION_CODE
    ? sql`b.level = 'national' and exists (select 1 from implementations i where i.batch_id = b.id and i.start_on <= ${date})`
    : sql`exists (select 1 from implementations i where i.batch_id = b.id and i.region_code = ${region} and i.start_on <= ${date})`;
}

type RegionProduct = PricedProduct & { batchId: number; productType: ProductType; isSynthetic: boolean };

async function regionProducts(db: Db, region: string, date: IsoDate): Promise<RegionProduct[]> {
  const scope = implementedScope(region, date);
  const volumeRegion = region === NATION_CODE ? sql`true` : sql`av.region_code = ${region}`;
  return selectRows(
    db,
    sql`with ${volumeWeightTables(volumeRegion)}
        select sp.batch_id as "batchId", b.product_type as "productType", p.variety_id as "varietyId",
               sp.reference_price::text as "referencePrice", sp.selected_price::text as "selectedPrice",
               sp.is_synthetic as "isSynthetic", ${volumeWeight} as "volume"
        from selected_products sp
        join batches b on b.id = sp.batch_id
        join products p on p.id = sp.product_id
        ${joinVolumeWeights}
        where ${scope}`,
  );
}

interface BatchRow {
  id: number;
  code: string;
  nameZh: string;
  level: BatchLevel;
  productType: ProductType;
  publishedAvgCut: number | null;
  publishedCutNote: string | null;
  source: string | null;
}

function regionBatches(db: Db, region: string, date: IsoDate): Promise<BatchRow[]> {
  return selectRows<BatchRow>(
    db,
    sql`select b.id as "id", b.code as "code", b.name_zh as "nameZh", b.level as "level", b.product_type as "productType",
               b.published_avg_cut::float8 as "publishedAvgCut", b.published_cut_note as "publishedCutNote", b.source as "source"
        from batches b where ${implementedScope(region, date)}`,
  );
}

/**
 * Each batch's cuts from its products in the region (cutStats: plain mean over varieties and the mean
 * weighted by the region's agreed volumes), the published figure beside them. Sorted by the plain mean,
 * largest first; batches without any computed cut last (by published cut, then code).
 */
export function cutsByBatch(batches: readonly BatchRow[], products: readonly RegionProduct[]): BatchCut[] {
  const byBatch = new Map<number, RegionProduct[]>();
  for (const p of products) {
    const list = byBatch.get(p.batchId);
    if (list) list.push(p);
    else byBatch.set(p.batchId, [p]);
  }
  const rank = (v: number | null) => (v === null ? -Infinity : v);
  return batches
    .map((b): BatchCut => {
      const stats = cutStats(byBatch.get(b.id) ?? []);
      return {
        batchCode: b.code,
        batchNameZh: b.nameZh,
        level: b.level,
        productType: b.productType,
        varietyCount: stats.varietyCount,
        productCount: stats.productCount,
        syntheticProductCount: stats.syntheticProductCount,
        plainMean: stats.plainMean,
        volumeWeightedMean: stats.volumeWeightedMean,
        publishedAvgCut: b.publishedAvgCut,
        publishedCutNote: b.publishedCutNote,
        source: b.source,
      };
    })
    .sort(
      (a, b) =>
        rank(b.plainMean) - rank(a.plainMean) ||
        rank(b.publishedAvgCut) - rank(a.publishedAvgCut) ||
        a.batchCode.localeCompare(b.batchCode),
    );
}

/** Product-level cuts (products without a reference price left out), in bins of 10 percentage points. */
function cutDistribution(products: readonly RegionProduct[]) {
  const cuts = products.map((p) => priceCut(p.referencePrice, p.selectedPrice)).filter((c): c is number => c !== null);
  return cutHistogram(cuts);
}

function cutsOf(products: readonly RegionProduct[]): Record<ProductType, CutStats> {
  return {
    drug: cutStats(products.filter((p) => p.productType === 'drug')),
    consumable: cutStats(products.filter((p) => p.productType === 'consumable')),
  };
}

/** The region's average cuts by product type as of `date`: the overview's figures, without the rest of the overview. */
export async function regionCuts(db: Db, region: string, date: IsoDate): Promise<Record<ProductType, CutStats>> {
  return cutsOf(await regionProducts(db, region, date));
}

/** Everything the overview page shows for one region, in one request. */
export async function getOverview(db: Db, params: { region: string; date?: IsoDate | undefined }): Promise<Overview> {
  const date = params.date ?? todayInChina();
  const region = await getRegion(db, params.region);
  const facts = coverageFactsCache(db);
  const [drugFacts, consumableFacts, targets, products, batches, publishedFigures, endingSoon, synthetic] = await Promise.all([
    facts(region.code, 'drug'),
    facts(region.code, 'consumable'),
    listTargets(db, { region: region.code, date }),
    regionProducts(db, region.code, date),
    regionBatches(db, region.code, date),
    listPublishedFigures(db, { regionCode: region.code }),
    contractsEndingSoon(db, region.code, date),
    selectRows<{ synthetic: boolean }>(
      db,
      region.code === NATION_CODE
        ? sql`select exists (select 1 from uploads where is_synthetic and status = 'committed') as "synthetic"`
        : sql`select exists (select 1 from uploads where is_synthetic and status = 'committed' and region_code = ${region.code}) as "synthetic"`,
    ),
  ]);
  const base = { region: region.code, date };
  return {
    region,
    date,
    coverage: {
      drug: coverageFromFacts(drugFacts, { ...base, type: 'drug', unit: 'variety' }),
      consumableVarieties: coverageFromFacts(consumableFacts, { ...base, type: 'consumable', unit: 'variety' }),
      consumableCategories: coverageFromFacts(consumableFacts, { ...base, type: 'consumable', unit: 'category' }),
    },
    targets,
    cuts: cutsOf(products),
    cutsByBatch: cutsByBatch(batches, products),
    cutDistribution: {
      drug: cutDistribution(products.filter((p) => p.productType === 'drug')),
      consumable: cutDistribution(products.filter((p) => p.productType === 'consumable')),
    },
    publishedFigures,
    contractsEndingSoon: endingSoon.items,
    contractWindow: endingSoon.window,
    contractsEndUnknown: endingSoon.endUnknown,
    syntheticData: (synthetic[0]?.synthetic ?? false) || products.some((p) => p.isSynthetic),
  };
}
