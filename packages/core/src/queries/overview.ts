import { sql } from 'drizzle-orm';
import type { Overview } from '@vbp/contracts/api';
import { addDays, daysBetween, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE, type ProductType } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import { cutStats, type PricedProduct } from '../calc/cuts';
import { coverageFromFacts } from './coverage';
import { listPublishedFigures } from './published-figures';
import { getRegion } from './regions';
import { coverageFactsCache, listTargets } from './targets';

/** Contracts ending within this many days are listed on the overview (issue: "next 180 days"). */
export const ENDING_SOON_DAYS = 180;

/**
 * Selected products of the batches implemented in a region (the nation: national batches) on or
 * before `date`, each weighted by the region's agreed volume (see getBatch for the weighting rule).
 */
async function regionProducts(db: Db, region: string, date: IsoDate): Promise<(PricedProduct & { productType: ProductType; isSynthetic: boolean })[]> {
  const scope =
    region === NATION_CODE
      ? sql`b.level = 'national' and exists (select 1 from implementations i where i.batch_id = b.id and i.start_on <= ${date})`
      : sql`exists (select 1 from implementations i where i.batch_id = b.id and i.region_code = ${region} and i.start_on <= ${date})`;
  const volumeRegion = region === NATION_CODE ? sql`true` : sql`av.region_code = ${region}`;
  return selectRows(
    db,
    sql`with per_variety as (
          select av.batch_id, av.variety_id, sum(av.quantity) as quantity
          from agreed_volumes av where ${volumeRegion} and av.product_id is null group by 1, 2
        ), per_product as (
          select av.batch_id, av.product_id, sum(av.quantity) as quantity
          from agreed_volumes av where ${volumeRegion} and av.product_id is not null group by 1, 2
        )
        select b.product_type as "productType", p.variety_id as "varietyId",
               sp.reference_price::text as "referencePrice", sp.selected_price::text as "selectedPrice",
               sp.is_synthetic as "isSynthetic",
               (coalesce(pp.quantity, 0) + coalesce(pv.quantity / count(*) over (partition by sp.batch_id, p.variety_id), 0))::text as "volume"
        from selected_products sp
        join batches b on b.id = sp.batch_id
        join products p on p.id = sp.product_id
        left join per_product pp on pp.batch_id = sp.batch_id and pp.product_id = p.id
        left join per_variety pv on pv.batch_id = sp.batch_id and pv.variety_id = p.variety_id
        where ${scope}`,
  );
}

async function contractsEndingSoon(db: Db, region: string, date: IsoDate): Promise<Overview['contractsEndingSoon']> {
  const until = addDays(date, ENDING_SOON_DAYS);
  const regionFilter = region === NATION_CODE ? sql`b.level = 'national'` : sql`i.region_code = ${region}`;
  const rows = await selectRows<{ batchCode: string; batchNameZh: string; regionCode: string; contractEndOn: string; renewedBy: string | null }>(
    db,
    sql`select distinct on (b.id, i.region_code)
               b.code as "batchCode", b.name_zh as "batchNameZh", i.region_code as "regionCode",
               i.contract_end_on::text as "contractEndOn", nb.code as "renewedBy"
        from implementations i
        join batches b on b.id = i.batch_id
        left join batches nb on nb.renewal_of_id = b.id
          and exists (select 1 from implementations ni where ni.batch_id = nb.id and ni.region_code = i.region_code)
        where ${regionFilter} and i.contract_end_on between ${date} and ${until}
        order by b.id, i.region_code, nb.id`,
  );
  return rows
    .map((r) => ({ ...r, daysLeft: daysBetween(date, r.contractEndOn) }))
    .sort((a, b) => a.daysLeft - b.daysLeft || a.batchCode.localeCompare(b.batchCode) || a.regionCode.localeCompare(b.regionCode));
}

/** Everything the overview page shows for one region, in one request. */
export async function getOverview(db: Db, params: { region: string; date?: IsoDate | undefined }): Promise<Overview> {
  const date = params.date ?? todayInChina();
  const region = await getRegion(db, params.region);
  const facts = coverageFactsCache(db);
  const [drugFacts, consumableFacts, targets, products, publishedFigures, endingSoon, synthetic] = await Promise.all([
    facts(region.code, 'drug'),
    facts(region.code, 'consumable'),
    listTargets(db, { region: region.code, date }),
    regionProducts(db, region.code, date),
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
    cuts: {
      drug: cutStats(products.filter((p) => p.productType === 'drug')),
      consumable: cutStats(products.filter((p) => p.productType === 'consumable')),
    },
    publishedFigures,
    contractsEndingSoon: endingSoon,
    syntheticData: (synthetic[0]?.synthetic ?? false) || products.some((p) => p.isSynthetic),
  };
}
