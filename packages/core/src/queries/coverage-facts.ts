import { sql } from 'drizzle-orm';
import { NATION_CODE, type ProductType } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import type { CoverageFact } from '../calc/coverage';

/**
 * Everything coverage needs for one region and product type: one row per batch × variety with the
 * batch's implementation start and contract end in that region.
 *
 * For the nation (100000) only national batches count, each from its earliest implementation in any
 * region, and its contract is taken as running until the latest contract end (unknown if any is unknown).
 */
export async function loadCoverageFacts(db: Db, regionCode: string, productType: ProductType): Promise<CoverageFact[]> {
  const rows =
    regionCode === NATION_CODE
      ? await selectRows<CoverageFact>(
          db,
          sql`
          with starts as (
            select i.batch_id,
                   min(i.start_on) as start_on,
                   case when bool_or(i.contract_end_on is null) then null else max(i.contract_end_on) end as contract_end_on,
                   bool_and(i.estimated) as estimated
            from implementations i
            group by i.batch_id
          )
          select b.code as "batchCode", b.level as "level", bv.variety_id as "varietyId", v.category_id as "categoryId",
                 v.is_placeholder as "isPlaceholder", bv.outcome as "outcome",
                 s.start_on::text as "startOn", s.contract_end_on::text as "contractEndOn", s.estimated as "estimated"
          from starts s
          join batches b on b.id = s.batch_id
          join batch_varieties bv on bv.batch_id = b.id
          join varieties v on v.id = bv.variety_id
          where b.level = 'national' and b.product_type = ${productType}`,
        )
      : await selectRows<CoverageFact>(
          db,
          sql`
          select b.code as "batchCode", b.level as "level", bv.variety_id as "varietyId", v.category_id as "categoryId",
                 v.is_placeholder as "isPlaceholder", bv.outcome as "outcome",
                 i.start_on::text as "startOn", i.contract_end_on::text as "contractEndOn", i.estimated as "estimated"
          from implementations i
          join batches b on b.id = i.batch_id
          join batch_varieties bv on bv.batch_id = b.id
          join varieties v on v.id = bv.variety_id
          where i.region_code = ${regionCode} and b.product_type = ${productType}`,
        );
  return rows;
}
