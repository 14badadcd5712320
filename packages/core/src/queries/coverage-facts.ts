import { sql } from 'drizzle-orm';
import { NATION_CODE, type BatchLevel, type ProductType, type VarietyOutcome } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import type { CoverageFact } from '../calc/coverage';

/*
 * Coverage needs one fact per batch × variety × region. Rather than have the database multiply them out
 * (national batches alone give ~500 varieties × 32 regions), implementations and batch varieties are read
 * separately and joined here: a tenth of the rows cross the wire.
 */

interface ImplementationRow {
  regionCode: string;
  batchId: number;
  batchCode: string;
  level: BatchLevel;
  startOn: string;
  contractEndOn: string | null;
  estimated: boolean;
}

interface BatchVarietyRow {
  batchId: number;
  varietyId: number;
  categoryId: number | null;
  isPlaceholder: boolean;
  outcome: VarietyOutcome;
}

async function batchVarietiesOf(db: Db, productType: ProductType, batchIds: readonly number[] | 'all') {
  if (batchIds !== 'all' && batchIds.length === 0) return new Map<number, BatchVarietyRow[]>();
  const rows = await selectRows<BatchVarietyRow>(
    db,
    sql`select bv.batch_id as "batchId", bv.variety_id as "varietyId", v.category_id as "categoryId",
               v.is_placeholder as "isPlaceholder", bv.outcome as "outcome"
        from batch_varieties bv
        join batches b on b.id = bv.batch_id
        join varieties v on v.id = bv.variety_id
        where b.product_type = ${productType}
          ${batchIds === 'all' ? sql`` : sql`and bv.batch_id in (${sql.join(batchIds.map((id) => sql`${id}`), sql`, `)})`}`,
  );
  const byBatch = new Map<number, BatchVarietyRow[]>();
  for (const row of rows) {
    const list = byBatch.get(row.batchId);
    if (list) list.push(row);
    else byBatch.set(row.batchId, [row]);
  }
  return byBatch;
}

function toFacts(implementation: ImplementationRow, varieties: readonly BatchVarietyRow[]): CoverageFact[] {
  return varieties.map((v) => ({
    batchCode: implementation.batchCode,
    level: implementation.level,
    varietyId: v.varietyId,
    categoryId: v.categoryId,
    isPlaceholder: v.isPlaceholder,
    outcome: v.outcome,
    startOn: implementation.startOn,
    contractEndOn: implementation.contractEndOn,
    estimated: implementation.estimated,
  }));
}

/**
 * Everything coverage needs for one region and product type: one fact per batch × variety with the
 * batch's implementation start and contract end in that region.
 *
 * For the nation (100000) only national batches count, each from its earliest implementation in any
 * region, and its contract is taken as running until the latest contract end (unknown if any is unknown).
 */
export async function loadCoverageFacts(db: Db, regionCode: string, productType: ProductType): Promise<CoverageFact[]> {
  const implementations = await selectRows<ImplementationRow>(
    db,
    regionCode === NATION_CODE
      ? sql`select ${NATION_CODE} as "regionCode", b.id as "batchId", b.code as "batchCode", b.level as "level",
                   min(i.start_on)::text as "startOn",
                   case when bool_or(i.contract_end_on is null) then null else max(i.contract_end_on)::text end as "contractEndOn",
                   bool_and(i.estimated) as "estimated"
            from implementations i join batches b on b.id = i.batch_id
            where b.level = 'national' and b.product_type = ${productType}
            group by b.id`
      : sql`select i.region_code as "regionCode", b.id as "batchId", b.code as "batchCode", b.level as "level",
                   i.start_on::text as "startOn", i.contract_end_on::text as "contractEndOn", i.estimated as "estimated"
            from implementations i join batches b on b.id = i.batch_id
            where i.region_code = ${regionCode} and b.product_type = ${productType}`,
  );
  const varieties = await batchVarietiesOf(db, productType, [...new Set(implementations.map((i) => i.batchId))]);
  return implementations.flatMap((i) => toFacts(i, varieties.get(i.batchId) ?? []));
}

/**
 * Coverage facts of every region but the nation, grouped by region code, in two queries (a table of all
 * regions' targets would otherwise send one query per region).
 */
export async function loadCoverageFactsByRegion(db: Db, productType: ProductType): Promise<Map<string, CoverageFact[]>> {
  const [implementations, varieties] = await Promise.all([
    selectRows<ImplementationRow>(
      db,
      sql`select i.region_code as "regionCode", b.id as "batchId", b.code as "batchCode", b.level as "level",
                 i.start_on::text as "startOn", i.contract_end_on::text as "contractEndOn", i.estimated as "estimated"
          from implementations i join batches b on b.id = i.batch_id
          where b.product_type = ${productType}`,
    ),
    batchVarietiesOf(db, productType, 'all'),
  ]);
  const byRegion = new Map<string, CoverageFact[]>();
  for (const implementation of implementations) {
    const facts = toFacts(implementation, varieties.get(implementation.batchId) ?? []);
    const list = byRegion.get(implementation.regionCode);
    if (list) list.push(...facts);
    else byRegion.set(implementation.regionCode, facts);
  }
  return byRegion;
}
