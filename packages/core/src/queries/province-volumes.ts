/**
 * A batch's province agreed volumes (各省约定采购量, loaded from the joint procurement office's table): the
 * province's official task per variety and strength, with the allocation check beside it (do the
 * institutions' agreed volumes of each variety add up to the province's?). 全国 sums every province.
 */
import { sql } from 'drizzle-orm';
import type { ProvinceVolumes, ProvinceVolumesQuery } from '@vbp/contracts/api';
import { NATION_CODE } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import { Dec, toFraction } from '../calc/decimal';
import { notFound } from '../errors';

export async function getProvinceVolumes(db: Db, code: string, query: ProvinceVolumesQuery): Promise<ProvinceVolumes> {
  const [batch] = await selectRows<{ id: number }>(db, sql`select id from batches where code = ${code}`);
  if (!batch) throw notFound('batch', '批次', code);
  const nation = query.region === NATION_CODE;
  const inRegion = nation ? sql`true` : sql`pv.region_code = ${query.region}`;
  const year = query.contractYear;
  const [items, allocated, purchased, regions] = await Promise.all([
    selectRows<{ varietyId: number; variety: string; spec: string; isMainStrength: boolean; quantity: string; unit: string | null }>(
      db,
      sql`select pv.variety_id as "varietyId", v.name_zh as "variety", pv.spec as "spec", bool_or(pv.is_main_strength) as "isMainStrength",
                 sum(pv.quantity)::text as "quantity", min(pv.unit) as "unit"
          from province_volumes pv join varieties v on v.id = pv.variety_id
          where pv.batch_id = ${batch.id} and pv.contract_year = ${year} and ${inRegion}
          group by pv.variety_id, v.name_zh, pv.spec
          order by v.name_zh, pv.spec`,
    ),
    selectRows<{ varietyId: number; allocated: string }>(
      db,
      sql`select av.variety_id as "varietyId", sum(av.quantity)::text as "allocated"
          from agreed_volumes av
          where av.batch_id = ${batch.id} and av.contract_year = ${year} and ${nation ? sql`true` : sql`av.region_code = ${query.region}`}
          group by av.variety_id`,
    ),
    // contract year N runs from the batch's implementation date in the province plus N − 1 years: the
    // institutions' contract cells that start within it, summed per variety (the execution summaries)
    selectRows<{ varietyId: number; purchased: string }>(
      db,
      // (each contract year's last month holds what was bought in all of it)
      sql`select vt.variety_id as "varietyId", (sum(vt.purchased_milli)::numeric / 1000)::numeric(24, 3)::text as "purchased"
          from execution_variety_months vt
          join implementations i on i.region_code = vt.region_code and i.batch_id = vt.batch_id
          where vt.batch_id = ${batch.id} and ${nation ? sql`true` : sql`vt.region_code = ${query.region}`}
            and vt.month = date_trunc('month', vt.period_end)::date
            and vt.period_start >= i.start_on + make_interval(years => ${year - 1})
            and vt.period_start < i.start_on + make_interval(years => ${year})
          group by vt.variety_id`,
    ),
    nation
      ? selectRows<{ region: string; nameZh: string; total: string; varietyCount: number }>(
          db,
          sql`select pv.region_code as "region", r.name_zh as "nameZh", sum(pv.quantity)::text as "total", count(distinct pv.variety_id)::int as "varietyCount"
              from province_volumes pv join regions r on r.code = pv.region_code
              where pv.batch_id = ${batch.id} and pv.contract_year = ${year}
              group by pv.region_code, r.name_zh, r.sort_order order by r.sort_order`,
        )
      : Promise.resolve([]),
  ]);
  const allocatedOf = new Map(allocated.map((a) => [a.varietyId, a.allocated]));
  const purchasedOf = new Map(purchased.map((p) => [p.varietyId, p.purchased]));
  const byVariety = new Map<number, { variety: string; quantity: Dec }>();
  let total = new Dec(0);
  for (const item of items) {
    const q = new Dec(item.quantity);
    total = total.plus(q);
    const entry = byVariety.get(item.varietyId);
    if (entry) entry.quantity = entry.quantity.plus(q);
    else byVariety.set(item.varietyId, { variety: item.variety, quantity: q });
  }
  return {
    region: query.region,
    batch: code,
    contractYear: year,
    unit: 'minimum unit',
    total: total.toFixed(),
    varietyCount: byVariety.size,
    items: items.map((i) => ({ variety: i.variety, varietyId: i.varietyId, spec: i.spec, isMainStrength: i.isMainStrength, quantity: new Dec(i.quantity).toFixed(), unit: i.unit })),
    allocation: [...byVariety].map(([varietyId, v]) => {
      const sum = new Dec(allocatedOf.get(varietyId) ?? '0');
      const bought = new Dec(purchasedOf.get(varietyId) ?? '0');
      const share = (part: Dec) => (v.quantity.isZero() ? null : toFraction(part.div(v.quantity)));
      return { varietyId, variety: v.variety, quantity: v.quantity.toFixed(), allocated: sum.toFixed(), ratio: share(sum), purchased: bought.toFixed(), completion: share(bought) };
    }),
    regions: regions.map((r) => ({ ...r, total: new Dec(r.total).toFixed() })),
  };
}
