import { sql, type SQL } from 'drizzle-orm';
import type { BatchDetail, BatchList, BatchListQuery, BatchProduct, BatchStrength, BatchSummary, BatchVariety, Implementation } from '@vbp/contracts/api';
import type { BatchStatus } from '@vbp/contracts/batch-status';
import { todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import { cutHistogram, cutStats, priceCut, type PricedProduct } from '../calc/cuts';
import { DomainError, notFound } from '../errors';
import { listPublishedFigures } from './published-figures';
import { joinVolumeWeights, volumeWeight, volumeWeightTables } from './volume-weights';

/** Counts and identity of each batch, with the published figures beside them. */
const summarySelect = sql`
  select b.id as "id", b.code as "code", b.level as "level", b.product_type as "productType",
         b.name_zh as "nameZh", b.name_en as "nameEn", b.organizer as "organizer",
         a.code as "allianceCode", b.region_code as "regionCode",
         b.announced_on::text as "announcedOn", b.announced_precision as "announcedPrecision",
         b.implemented_on::text as "implementedOn", b.implemented_precision as "implementedPrecision",
         b.contract_years::text as "contractYears", r.code as "renewalOf",
         coalesce(vc.variety_count, 0)::int as "varietyCount",
         coalesce(vc.placeholder_count, 0)::int as "placeholderCount",
         coalesce(vc.failed_count, 0)::int as "failedCount",
         coalesce(pc.product_count, 0)::int as "productCount",
         coalesce(pc.synthetic_count, 0)::int as "syntheticProductCount",
         b.varieties_are_placeholders as "varietiesArePlaceholders",
         b.published_variety_count as "publishedVarietyCount",
         b.published_product_count as "publishedProductCount",
         b.published_avg_cut::float8 as "publishedAvgCut",
         b.published_cut_note as "publishedCutNote",
         b.source as "source", b.note as "note",
         coalesce(b.implemented_on, b.announced_on) as sort_date
  from batches b
  left join alliances a on a.id = b.alliance_id
  left join batches r on r.id = b.renewal_of_id
  left join lateral (
    select count(*) filter (where bv.outcome = 'selected') as variety_count,
           count(*) filter (where bv.outcome = 'selected' and v.is_placeholder) as placeholder_count,
           count(*) filter (where bv.outcome = 'failed') as failed_count
    from batch_varieties bv join varieties v on v.id = bv.variety_id
    where bv.batch_id = b.id
  ) vc on true
  left join lateral (
    select count(*) as product_count, count(*) filter (where sp.is_synthetic) as synthetic_count
    from selected_products sp where sp.batch_id = b.id
  ) pc on true`;

interface SummaryRow extends Omit<BatchSummary, 'published'> {
  id: number;
  publishedVarietyCount: number | null;
  publishedProductCount: number | null;
  publishedAvgCut: number | null;
  publishedCutNote: string | null;
  note: string | null;
}

function toSummary(row: SummaryRow): BatchSummary {
  return {
    code: row.code,
    level: row.level,
    productType: row.productType,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    organizer: row.organizer,
    allianceCode: row.allianceCode,
    regionCode: row.regionCode,
    announcedOn: row.announcedOn,
    announcedPrecision: row.announcedPrecision,
    implementedOn: row.implementedOn,
    implementedPrecision: row.implementedPrecision,
    contractYears: row.contractYears,
    renewalOf: row.renewalOf,
    varietyCount: row.varietyCount,
    productCount: row.productCount,
    syntheticProductCount: row.syntheticProductCount,
    placeholderCount: row.placeholderCount,
    failedCount: row.failedCount,
    varietiesArePlaceholders: row.varietiesArePlaceholders,
    published: {
      varietyCount: row.publishedVarietyCount,
      productCount: row.publishedProductCount,
      avgCut: row.publishedAvgCut,
      cutNote: row.publishedCutNote,
    },
    source: row.source,
  };
}

/** A batch a provincial user may see: national, organised by their province, or implemented there. */
export function visibleInRegion(regionCode: string): SQL {
  return sql`(b.level = 'national' or b.region_code = ${regionCode} or exists (select 1 from implementations i where i.batch_id = b.id and i.region_code = ${regionCode}))`;
}

/**
 * Each batch's implementations in the list's scope (`region`, or every region when it is absent), as of
 * `date`: how many are recorded, started, running to a published end, started without a published end; the first start (and whether it is estimated);
 * the latest contract end (null while any started one has no published end); and whether a renewal
 * batch has started there. `b` is the batch.
 */
function scopeJoins(region: string | undefined, date: IsoDate): SQL {
  const inRegion = (alias: string) => (region === undefined ? sql`true` : sql`${sql.raw(alias)}.region_code = ${region}`);
  return sql`
    left join lateral (
      select count(*)::int as recorded,
             count(*) filter (where i.start_on <= ${date})::int as started,
             count(*) filter (where i.start_on <= ${date} and i.contract_end_on >= ${date})::int as running,
             count(*) filter (where i.start_on <= ${date} and i.contract_end_on is null)::int as open_ended,
             min(i.start_on)::text as first_start,
             (array_agg(i.estimated order by i.start_on))[1] as first_estimated,
             case when count(*) filter (where i.start_on <= ${date} and i.contract_end_on is null) = 0
                  then max(i.contract_end_on) filter (where i.start_on <= ${date}) end::text as contract_end
      from implementations i where i.batch_id = b.id and ${inRegion('i')}
    ) sc on true
    left join lateral (
      select exists (
        select 1 from batches nb join implementations ni on ni.batch_id = nb.id
        where nb.renewal_of_id = b.id and ni.start_on <= ${date} and ${inRegion('ni')}
      ) as renewed
    ) rn on true`;
}

/** The status rule of @vbp/contracts/batch-status, over `scopeJoins`; the first case that applies wins. */
const statusSql = sql`case when rn.renewed then 'renewed'
                           when sc.recorded = 0 then 'unrecorded'
                           when sc.started = 0 then 'upcoming'
                           when sc.running > 0 then 'running'
                           when sc.open_ended > 0 then 'end_unknown'
                           else 'ended' end`;

function filters(query: Omit<BatchListQuery, 'page' | 'pageSize'>, visibleTo: string | undefined): SQL {
  const conditions: SQL[] = [sql`true`];
  if (visibleTo !== undefined) conditions.push(visibleInRegion(visibleTo));
  if (query.level) conditions.push(sql`b.level = ${query.level}`);
  if (query.type) conditions.push(sql`b.product_type = ${query.type}`);
  if (query.region === NATION_CODE) conditions.push(sql`b.level = 'national'`);
  else if (query.region)
    conditions.push(
      sql`(b.region_code = ${query.region} or exists (select 1 from implementations i where i.batch_id = b.id and i.region_code = ${query.region}))`,
    );
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(b.code ilike ${like} or b.name_zh ilike ${like} or coalesce(b.name_en, '') ilike ${like} or b.organizer ilike ${like})`);
  }
  // the year it was announced, or first implemented in the scope (the published national start first)
  if (query.year !== undefined)
    conditions.push(
      sql`(extract(year from b.announced_on) = ${query.year} or extract(year from coalesce(b.implemented_on, sc.first_start::date)) = ${query.year})`,
    );
  if (query.status) conditions.push(sql`${statusSql} = ${query.status}`);
  return sql.join(conditions, sql` and `);
}

interface ListedRow {
  id: number;
  status: BatchStatus;
  firstStartOn: string | null;
  firstStartEstimated: boolean | null;
  contractEndOn: string | null;
}

/**
 * Batches, newest first (published implementation date, else announcement), filtered and paged, each
 * with its status and dates in the query's region (every region without one, or for 全国) on `date`
 * (default: today in China), and its computed plain mean cut (cutStats over its products, as on the
 * batch page). `visibleTo` limits the list to what a provincial user may see (see `visibleInRegion`);
 * national users pass nothing.
 */
export async function listBatches(db: Db, query: BatchListQuery, visibleTo?: string): Promise<BatchList> {
  const asOf = query.date ?? todayInChina();
  const scope = query.region === NATION_CODE ? undefined : query.region;
  const from = sql`from batches b ${scopeJoins(scope, asOf)} where ${filters(query, visibleTo)}`;
  const offset = (query.page - 1) * query.pageSize;
  const [listed, [total]] = await Promise.all([
    selectRows<ListedRow>(
      db,
      sql`select b.id as "id", ${statusSql} as "status", sc.first_start as "firstStartOn", sc.first_estimated as "firstStartEstimated",
                 sc.contract_end as "contractEndOn"
          ${from}
          order by coalesce(b.implemented_on, b.announced_on) desc nulls last, b.code limit ${query.pageSize} offset ${offset}`,
    ),
    selectRows<{ n: number }>(db, sql`select count(*)::int as n ${from}`),
  ]);
  const ids = listed.map((r) => r.id);
  if (ids.length === 0) return { items: [], total: total?.n ?? 0, page: query.page, pageSize: query.pageSize, asOf };

  const idList = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const [summaries, priced] = await Promise.all([
    selectRows<SummaryRow>(db, sql`select * from (${summarySelect}) s where s.id in (${idList})`),
    selectRows<PricedProduct & { batchId: number }>(
      db,
      sql`select sp.batch_id as "batchId", p.variety_id as "varietyId", sp.reference_price::text as "referencePrice",
                 sp.selected_price::text as "selectedPrice"
          from selected_products sp join products p on p.id = sp.product_id where sp.batch_id in (${idList})`,
    ),
  ]);
  const byId = new Map(summaries.map((row) => [row.id, row]));
  const productsOf = new Map<number, PricedProduct[]>();
  for (const p of priced) {
    const list = productsOf.get(p.batchId);
    if (list) list.push(p);
    else productsOf.set(p.batchId, [p]);
  }
  const items = listed.flatMap((r) => {
    const row = byId.get(r.id);
    if (!row) return []; // deleted between the two reads
    return [
      {
        ...toSummary(row),
        status: r.status,
        firstStartOn: r.firstStartOn,
        firstStartEstimated: r.firstStartEstimated ?? false,
        contractEndOn: r.contractEndOn,
        computedAvgCut: cutStats(productsOf.get(r.id) ?? []).plainMean,
      },
    ];
  });
  return { items, total: total?.n ?? 0, page: query.page, pageSize: query.pageSize, asOf };
}

/**
 * One batch with its varieties, selected products, cuts (computed beside published), implementations
 * and renewal chain. The volume weight of a product is its agreed volume across regions; a volume
 * agreed per variety is shared equally among that variety's selected products in the batch.
 */
export async function getBatch(db: Db, code: string, visibleTo?: string): Promise<BatchDetail> {
  const [row] = await selectRows<SummaryRow>(db, sql`select * from (${summarySelect}) s where s."code" = ${code}`);
  if (!row) throw notFound('batch', '批次', code);
  if (visibleTo !== undefined) {
    const [visible] = await selectRows<{ ok: boolean }>(db, sql`select ${visibleInRegion(visibleTo)} as "ok" from batches b where b.id = ${row.id}`);
    if (!visible?.ok)
      throw new DomainError('FORBIDDEN', `Batch ${code} is outside your region (${visibleTo})`, `批次 ${code} 不在您的地区（${visibleTo}）范围内`, { code });
  }

  const [varieties, products, strengths, implementations, chain, publishedFigures] = await Promise.all([
    selectRows<BatchVariety>(
      db,
      sql`select v.id as "id", v.key as "key", v.name_zh as "nameZh", v.name_en as "nameEn",
                 v.dosage_form_group as "dosageFormGroup", v.drug_class as "drugClass",
                 c.code as "categoryCode", c.name_zh as "categoryNameZh", v.is_placeholder as "isPlaceholder",
                 bv.outcome as "outcome",
                 (select count(*)::int from selected_products sp join products p on p.id = sp.product_id
                   where sp.batch_id = bv.batch_id and p.variety_id = v.id) as "productCount"
          from batch_varieties bv
          join varieties v on v.id = bv.variety_id
          left join categories c on c.id = v.category_id
          where bv.batch_id = ${row.id}
          order by v.is_placeholder, v.key`,
    ),
    selectRows<Omit<BatchProduct, 'cut'> & { volume: string | null }>(
      db,
      sql`with ${volumeWeightTables(sql`av.batch_id = ${row.id}`)}
          select sp.id as "id", p.variety_id as "varietyId", v.name_zh as "varietyNameZh", p.company as "company",
                 p.spec as "spec", p.packaging as "packaging", p.unit as "unit", p.nhsa_code as "nhsaCode",
                 sp.reference_price::text as "referencePrice", sp.reference_basis as "referenceBasis",
                 sp.is_main_strength as "isMainStrength", sp.selected_price::text as "selectedPrice",
                 sp.price_unit as "priceUnit", sp.is_synthetic as "isSynthetic", ${volumeWeight} as "volume"
          from selected_products sp
          join products p on p.id = sp.product_id
          join varieties v on v.id = p.variety_id
          ${joinVolumeWeights}
          where sp.batch_id = ${row.id}
          order by v.name_zh, p.company, p.spec`,
    ),
    selectRows<BatchStrength>(
      db,
      sql`select s.variety_id as "varietyId", v.name_zh as "varietyNameZh", s.spec as "spec", s.quantity::text as "quantity",
                 s.is_main_strength as "isMainStrength", s.has_price as "hasPrice"
          from batch_strengths s join varieties v on v.id = s.variety_id
          where s.batch_id = ${row.id}
          order by v.name_zh, s.is_main_strength desc, s.spec`,
    ),
    selectRows<Implementation>(
      db,
      sql`select i.region_code as "regionCode", r.name_zh as "regionNameZh", i.start_on::text as "startOn",
                 i.start_precision as "startPrecision", i.contract_end_on::text as "contractEndOn",
                 i.estimated as "estimated", i.source as "source", i.note as "note"
          from implementations i join regions r on r.code = i.region_code
          where i.batch_id = ${row.id}
          order by i.start_on, r.sort_order`,
    ),
    selectRows<{ code: string; nameZh: string; implementedOn: string | null }>(
      db,
      sql`with recursive back(id, renewal_of_id, depth) as (
            select id, renewal_of_id, 0 from batches where id = ${row.id}
            union all
            select b.id, b.renewal_of_id, back.depth - 1 from batches b join back on b.id = back.renewal_of_id
          ), fwd(id, depth) as (
            select id, 0 from batches where id = ${row.id}
            union all
            select b.id, fwd.depth + 1 from batches b join fwd on b.renewal_of_id = fwd.id
          ), chain as (select id, depth from back union select id, depth from fwd)
          select b.code as "code", b.name_zh as "nameZh", b.implemented_on::text as "implementedOn"
          from chain join batches b on b.id = chain.id
          order by chain.depth`,
    ),
    listPublishedFigures(db, { batchId: row.id }),
  ]);

  const withCuts = products.map(({ volume, ...p }) => ({ ...p, cut: priceCut(p.referencePrice, p.selectedPrice), volume }));
  return {
    ...toSummary(row),
    note: row.note,
    varieties,
    products: withCuts.map(({ volume: _volume, ...p }) => p),
    strengths,
    cuts: cutStats(withCuts),
    cutHistogram: cutHistogram(withCuts.flatMap((p) => (p.cut === null ? [] : [p.cut]))),
    publishedFigures,
    implementations,
    renewalChain: chain,
  };
}
