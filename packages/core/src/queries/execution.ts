/**
 * Execution (执行) of agreed volumes: completion against time progress, savings, non-selected share.
 *
 * The heavy part runs in SQL: the views read the month rows (decision 017: what was bought up to each month,
 * per institution × batch or batch × variety × contract year) and sum them per rollup key, each contract
 * period's agreed volume weighted by its time progress (worked out here: calc/completion.ts), so one row per
 * key reaches JavaScript; the raw path (`{ from: 'raw' }`, for the equality tests) sums the purchases per
 * agreed-volume row instead. The tested calculators (periodWeights, judge, estimateSavings) do the rest in
 * exact integers: time progress is linear in the agreed volume, so weighting sums per (key, period) gives
 * exactly what rolling up every row would.
 *
 * Rules chosen here (DOMAIN.md leaves them open):
 * - The rows counted at a date are the contract years in force on it (period_start ≤ date ≤ period_end).
 *   Savings count every contract year started by the date (what was saved so far).
 * - Purchases are monthly, so a contract year takes whole months: from the month it starts in up to, not
 *   including, the month of the day after it ends (a year from 03-15 to the next 03-14 takes March … February;
 *   the March it ends in belongs to the next year). Months after the as-of date's month are not counted.
 * - Purchased = purchases of the products selected in the row's batch (of the row's product when the volume
 *   is agreed per product). A product is non-selected (非中选) when no batch selected it; the share is
 *   non-selected / all purchases of the row's variety by the institution in the same months (counted once
 *   per institution × batch × variety × year, even when volumes are agreed per product).
 * - Behind: the rollup's purchased < expected × threshold (see rollUpCompletion in calc/completion.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import {
  EXECUTION_EXPORT_ROW_CAP,
  type CompletionFigures,
  type ExecutionFilterQuery,
  type ExecutionGroup,
  type ExecutionList,
  type ExecutionProduct,
  type ExecutionListQuery,
  type ExecutionRow,
  type ExecutionSource,
  type ExecutionSummary,
  type ExecutionSummaryQuery,
  type InstitutionExecution,
  type InstitutionExecutionRow,
} from '@vbp/contracts/execution';
import { monthStart, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import type { Actor } from '../auth/actor';
import { PeriodSums, judge, periodWeights, printRollup, weigh, type CompletionRollup, type ContractPeriod, type Judged, type WeightedSums } from '../calc/completion';
import { Dec, toPlain } from '../calc/decimal';
import { fraction6, fractionDigits, toUnits } from '../calc/exact';
import { estimateSavings, savingsFromTotals, type SavingsItem } from '../calc/savings';
import { notFound } from '../errors';
import { resolveThreshold } from '../settings';
import { getRegion } from './regions';

interface Scope {
  region: string;
  date: IsoDate;
  batch?: string | undefined;
  city?: string | undefined;
  level?: string | undefined;
  institutionId?: number | undefined;
}

/** `inForce`: contract years running on the date (completion); `started`: every year begun by it (savings). */
type Years = 'inForce' | 'started';

function regionFilter(column: SQL, region: string): SQL {
  return region === NATION_CODE ? sql`true` : sql`${column} = ${region}`;
}

/**
 * The agreed-volume rows in scope with the months their purchases are taken from ([m_from, m_to)), and
 * whether the row carries its variety's all / non-selected quantities (the first row of an institution ×
 * batch × variety × year, so per-product volumes do not count them twice).
 */
function scopedAgreed(scope: Scope, years: Years): SQL {
  const filters: SQL[] = [regionFilter(sql`av.region_code`, scope.region), sql`av.period_start <= ${scope.date}::date`];
  if (years === 'inForce') filters.push(sql`av.period_end >= ${scope.date}::date`);
  if (scope.batch !== undefined) filters.push(sql`b.code = ${scope.batch}`);
  if (scope.city !== undefined) filters.push(sql`i.city_code = ${scope.city}`);
  if (scope.level !== undefined) filters.push(sql`i.level = ${scope.level}`);
  if (scope.institutionId !== undefined) filters.push(sql`av.institution_id = ${scope.institutionId}`);
  return sql`scoped as (
    select av.id as av_id, av.region_code, av.institution_id, av.batch_id, av.variety_id, av.product_id, av.contract_year,
           av.period_start, av.period_end, av.quantity, av.unit,
           date_trunc('month', av.period_start)::date as m_from,
           least(date_trunc('month', av.period_end + 1)::date, (date_trunc('month', ${scope.date}::date) + interval '1 month')::date) as m_to,
           row_number() over (partition by av.region_code, av.institution_id, av.batch_id, av.variety_id, av.contract_year order by av.product_id nulls first) = 1 as carrier
    from agreed_volumes av
    join institutions i on i.region_code = av.region_code and i.id = av.institution_id
    join batches b on b.id = av.batch_id
    where ${sql.join(filters, sql` and `)}
  ), ever_selected as (select distinct product_id from selected_products),
  bought as materialized (
    select x.region_code, x.institution_id, p.variety_id, x.product_id, x.month, x.quantity
    from purchases x
    join products p on p.id = x.product_id
    cross join (select min(m_from) as m_from, max(m_to) as m_to from scoped) w
    where ${regionFilter(sql`x.region_code`, scope.region)} and x.month >= w.m_from and x.month < w.m_to
      ${scope.institutionId !== undefined ? sql`and x.institution_id = ${scope.institutionId}` : sql``}
  )`;
}

/**
 * Purchases of a scoped row's variety by its institution in its months, with what each product is to the
 * row. `bought` holds the region's purchases in the months any scoped row takes (one pass over the
 * purchases key, materialised), so rows are matched by a hash join: probing the purchases index once per
 * row and product cost seconds on PGlite even for a demo province (tens of thousands of probes).
 */
const ROW_PURCHASES = sql`from scoped s
  left join bought pu on pu.region_code = s.region_code and pu.institution_id = s.institution_id
    and pu.variety_id = s.variety_id and pu.month >= s.m_from and pu.month < s.m_to
  left join selected_products sp on sp.batch_id = s.batch_id and sp.product_id = pu.product_id
    and (s.product_id is null or s.product_id = pu.product_id)
  left join ever_selected ev on ev.product_id = pu.product_id`;

/** One row per agreed volume in scope: agreed, purchased (selected), non-selected and all bought quantities. */
function factsCte(scope: Scope, years: Years): SQL {
  return sql`${scopedAgreed(scope, years)}, facts as (
    select s.av_id, s.region_code, s.institution_id, s.batch_id, s.variety_id, s.product_id, s.contract_year,
           s.period_start, s.period_end, s.unit, s.quantity as agreed,
           coalesce(sum(pu.quantity) filter (where sp.product_id is not null), 0) as purchased,
           coalesce(sum(pu.quantity) filter (where s.carrier and pu.product_id is not null and ev.product_id is null), 0) as non_selected,
           coalesce(sum(pu.quantity) filter (where s.carrier), 0) as bought
    ${ROW_PURCHASES}
    group by s.av_id, s.region_code, s.institution_id, s.batch_id, s.variety_id, s.product_id, s.contract_year,
             s.period_start, s.period_end, s.unit, s.quantity
  )`;
}

/** Where the execution figures are read from: the summaries (what the API serves), or the raw purchases (tests). */
export type FiguresFrom = 'summaries' | 'raw';

/** How a read is made: `from` the summaries (default) or the raw purchases (the equality tests). */
export interface ReadOptions {
  from?: FiguresFrom;
}

/**
 * The join of the institutions names the province itself, not only through the summed side: on a Citus
 * cluster the constant does not reach through a grouped subquery, and without it the statement ran on every
 * shard instead of the province's (apps/api/test/distributed-plans.test.ts).
 */
const joinInstitutions = (region: string) =>
  sql`join institutions i on i.region_code = f.region_code and i.id = f.institution_id and ${regionFilter(sql`i.region_code`, region)}`;

/**
 * Per rollup group: the label columns (`key` is what the API names the row by), how to reach them from `f`,
 * the ids of `f` they are reached by (`ids`), and the one id rows are summed and told apart by (`id`).
 * `labels`: where the month rows' reads find the labels of an id (`own`, the same id in the label table),
 * asked apart for the rows shown; the rollup by city joins them (its key is its institutions' city).
 */
const GROUPS: Record<
  ExecutionGroup,
  { joins: (region: string) => SQL; columns: SQL; groupBy: SQL; ids: SQL; id: SQL; labels?: { own: SQL; from: (region: string, ids: string) => SQL } }
> = {
  institution: {
    joins: joinInstitutions,
    columns: sql`i.id::text as key, i.name as name, concat_ws(' · ', i.code, i.city_name) as detail,
                 i.region_code as "regionCode", i.id as "institutionId", i.level as level`,
    // the primary key: the labels depend on it, and tens of thousands of groups are not sorted by their names
    groupBy: sql`i.region_code, i.id`,
    ids: sql`f.region_code, f.institution_id`,
    id: sql`f.institution_id`,
    labels: { own: sql`i.id`, from: (region, ids) => sql`institutions i where i.id = any(${ids}::int[]) and ${regionFilter(sql`i.region_code`, region)}` },
  },
  variety: {
    joins: () => sql`join varieties v on v.id = f.variety_id`,
    columns: sql`v.id::text as key, v.name_zh as name, v.dosage_form_group as detail,
                 null::text as "regionCode", null::int as "institutionId", null::text as level`,
    groupBy: sql`v.id`,
    ids: sql`f.variety_id`,
    id: sql`f.variety_id`,
    labels: { own: sql`v.id`, from: (_, ids) => sql`varieties v where v.id = any(${ids}::int[])` },
  },
  city: {
    joins: joinInstitutions,
    columns: sql`coalesce(i.city_code, f.region_code || ':') as key, coalesce(i.city_name, '未填城市') as name, null::text as detail,
                 f.region_code as "regionCode", null::int as "institutionId", null::text as level`,
    groupBy: sql`i.city_code, i.city_name, f.region_code`,
    ids: sql`f.region_code, f.institution_id`,
    id: sql`coalesce(i.city_code, f.region_code || ':')`,
  },
  province: {
    joins: () => sql`join regions r on r.code = f.region_code`,
    columns: sql`r.code::text as key, r.name_zh as name, null::text as detail,
                 r.code::text as "regionCode", null::int as "institutionId", null::text as level`,
    groupBy: sql`r.code`,
    ids: sql`f.region_code`,
    id: sql`f.region_code`,
    labels: { own: sql`r.code`, from: (_, ids) => sql`regions r where r.code::text = any(${ids}::text[])` },
  },
  batch: {
    joins: () => sql`join batches b on b.id = f.batch_id`,
    columns: sql`b.code as key, b.name_zh as name, b.code as detail,
                 null::text as "regionCode", null::int as "institutionId", null::text as level`,
    groupBy: sql`b.id`,
    ids: sql`f.batch_id`,
    id: sql`f.batch_id`,
    labels: { own: sql`b.id`, from: (_, ids) => sql`batches b where b.id = any(${ids}::int[])` },
  },
};

/** A rollup key's figures: its sums weighted by its periods' progress (calc/completion.ts), its labels when read with them. */
type KeyFigures = WeightedSums & { nonSelected: bigint; bought: bigint; items: number; meta: Meta | undefined };

/** One rollup's keys (by id), their weights' common denominator, and the scale of their quantities (calc/exact.ts). */
type Grouped = { lcm: bigint; keys: KeyFigures[]; scale: number };

/** A rollup's figures per (id, contract period) as SQL prints them; the labels when the statement joins them. */
type PeriodRow = Partial<Meta> & { g: ExecutionGroup; id: string; periodStart: IsoDate; periodEnd: IsoDate; items: number } & Record<'agreed' | 'purchased' | 'nonSelected' | 'bought', string>;

/** Per (id, period) rows summed per id (of each group asked) and weighted at `date`, quantities read by `units`. */
function perKey(rows: readonly PeriodRow[], groups: readonly ExecutionGroup[], date: IsoDate, units: (text: string) => bigint, scale: number): Map<ExecutionGroup, Grouped> {
  const out = new Map<ExecutionGroup, Grouped>();
  for (const g of groups) {
    const sums = new PeriodSums();
    const rest = new Map<string, Omit<KeyFigures, keyof WeightedSums>>();
    for (const r of rows) {
      if (r.g !== g) continue;
      if (sums.add(r.id, r, units(r.purchased), units(r.agreed))) {
        const { key, name, detail, regionCode, institutionId, level } = r;
        rest.set(r.id, { nonSelected: 0n, bought: 0n, items: 0, meta: key === undefined ? undefined : { key, name: name!, detail: detail!, regionCode: regionCode!, institutionId: institutionId!, level: level! } });
      }
      const k = rest.get(r.id)!;
      k.nonSelected += units(r.nonSelected);
      k.bought += units(r.bought);
      k.items += r.items;
    }
    const weights = periodWeights(sums.periods, date);
    out.set(g, { lcm: weights.lcm, scale, keys: sums.keys().map((k) => ({ ...weigh(k, weights), ...rest.get(k.key)! })) });
  }
  return out;
}

/**
 * The figures of each group asked, per key. From the summaries, the month rows (`monthRows`); from the raw
 * purchases, the facts grouped by (key, contract period) for every group in one statement: `facts` is a CTE
 * referenced by every branch, so PostgreSQL computes it (the scan of purchases) once.
 */
async function groupedRows(db: Db, scope: Scope, groups: readonly ExecutionGroup[], from: FiguresFrom): Promise<Map<ExecutionGroup, Grouped>> {
  if (from === 'summaries') {
    if (scope.institutionId !== undefined) throw new Error('one institution is read from its raw purchases (getInstitutionExecution)');
    const periods = groups.some((g) => GROUPS[g].labels) ? await periodsInForce(db, scope) : [];
    const grouped = await Promise.all(groups.map((g) => monthRows(db, scope, g, periods)));
    return new Map(groups.map((g, i) => [g, grouped[i]!]));
  }
  const branches = groups.map((g) => {
    const group = GROUPS[g];
    return sql`select ${g}::text as g, ${group.id}::text as id, ${group.columns},
                      f.period_start::text as "periodStart", f.period_end::text as "periodEnd",
                      sum(f.agreed)::text as agreed, sum(f.purchased)::text as purchased,
                      sum(f.non_selected)::text as "nonSelected", sum(f.bought)::text as bought, count(*)::int as items
               from facts f ${group.joins(scope.region)}
               group by ${group.groupBy}, ${group.id}, f.period_start, f.period_end`;
  });
  return decimalsPerKey(await selectRows<PeriodRow>(db, sql`with ${factsCte(scope, 'inForce')} ${sql.join(branches, sql` union all `)}`), groups, scope.date);
}

/** `perKey` of rows whose quantities are decimals: in units of their largest number of decimals. */
function decimalsPerKey(rows: readonly PeriodRow[], groups: readonly ExecutionGroup[], date: IsoDate): Map<ExecutionGroup, Grouped> {
  let scale = 0;
  for (const r of rows) scale = Math.max(scale, fractionDigits(r.agreed), fractionDigits(r.purchased), fractionDigits(r.nonSelected), fractionDigits(r.bought));
  return perKey(rows, groups, date, (text) => toUnits(text, scale), scale);
}

/**
 * The SQL type of the weights. Below 2^20 (contract years of 365 and 366 days: an lcm of 133,590) a row's
 * agreed thousandths times its weight is an exact `int8` for any volume under 8.8 billion units a row (2^43
 * thousandths), and `sum(int8)` is exact (its result is numeric): a quarter less time for a province's
 * institutions than `numeric` products (measured on 20 M purchases: 28 vs 38 ms). Beyond, `numeric`.
 */
const WEIGHTS_IN_INT8_BELOW = 1n << 20n;
const weightType = (lcm: bigint) => sql.raw(lcm < WEIGHTS_IN_INT8_BELOW ? 'int8' : 'numeric');

/** Up to this many contract periods in force (a bit each in an integer), the month rows are weighted in SQL. */
const PERIODS_WEIGHED_IN_SQL = 30;

/**
 * One rollup from the month rows (decision 017): one row per institution × batch (or batch × variety × city
 * × level) × contract year in force, the row of the date's month, which holds what was bought up to it.
 * The contract periods in force (`periodsInForce`) are weighted by their time progress here (periodWeights:
 * the rule stays in calc/completion.ts) and the weights sent: SQL sums the rows per key with
 * Σ agreed × weight and a bit per period the key has rows in, so a province's 3,000 institutions reach
 * JavaScript as 3,000 rows of a few integers, not 22,000 rows of institution × period. With more periods
 * than bits, and for the rollup by city (its key is its institutions' city), the rows are summed per
 * (key, period) and weighted here. Labels are read apart, for the keys shown (`withLabels`), except the city's.
 */
async function monthRows(db: Db, scope: Scope, g: ExecutionGroup, periods: ContractPeriod[]): Promise<Grouped> {
  const group = GROUPS[g];
  const table = g === 'variety' ? sql`execution_variety_months` : sql`execution_institution_months`;
  const where = monthRowsFilter(scope, g === 'variety');
  if (!group.labels || periods.length > PERIODS_WEIGHED_IN_SQL) {
    const rows = await selectRows<PeriodRow>(db, monthRowsBranch(g, table, where, scope.region));
    return perKey(rows, [g], scope.date, BigInt, 3).get(g)!;
  }
  const { weights, lcm } = periodWeights(periods, scope.date);
  if (periods.length === 0) return { lcm, keys: [], scale: 3 };
  const index = sql.join(
    periods.map((p, i) => sql`when f.period_start = ${p.periodStart}::date and f.period_end = ${p.periodEnd}::date then ${sql.raw(String(i))}`),
    sql` `,
  );
  const rows = await selectRows<{ id: string; purchased: string; agreed: string; expected: string; periods: number; nonSelected: string; bought: string; items: number }>(
    db,
    sql`select ${group.id}::text as id, sum(f.purchased_milli)::text as purchased, sum(f.agreed_milli)::text as agreed,
               sum(f.agreed_milli * (${`{${weights.join(',')}}`}::${weightType(lcm)}[])[f.i + 1])::text as expected, bit_or(1 << f.i) as periods,
               sum(f.non_selected_milli)::text as "nonSelected", sum(f.bought_milli)::text as bought, sum(f.items)::int as items
        from (select f.*, case ${index} end as i from ${table} f where ${where}) f
        group by ${group.ids}`,
  );
  const keys = rows.map((r): KeyFigures => {
    // the periods the key has rows in: one row each, as if summed per (key, period)
    let progress = 0n;
    let count = 0;
    for (let i = 0; i < weights.length; i++) {
      if ((r.periods & (1 << i)) === 0) continue;
      progress += weights[i]!;
      count += 1;
    }
    return {
      key: r.id,
      purchased: BigInt(r.purchased),
      agreed: BigInt(r.agreed),
      expected: BigInt(r.expected),
      progress,
      rows: count,
      nonSelected: BigInt(r.nonSelected),
      bought: BigInt(r.bought),
      items: r.items,
      meta: undefined,
    };
  });
  return { lcm, keys, scale: 3 };
}

/**
 * The contract periods in force at the scope's date (execution_periods: maybe some without rows, which
 * count for nothing).
 */
function periodsInForce(db: Db, scope: Scope): Promise<ContractPeriod[]> {
  return selectRows<ContractPeriod>(
    db,
    sql`select distinct f.period_start::text as "periodStart", f.period_end::text as "periodEnd" from execution_periods f
        where ${regionFilter(sql`f.region_code`, scope.region)} and f.period_start <= ${scope.date}::date and f.period_end >= ${scope.date}::date
        order by 1, 2`,
  );
}

/**
 * One rollup over the month rows per (key, contract period): summed first by the ids the labels join on,
 * by integers (thousandths, sent so). A group with `labels` sends its ids; the rollup by city sums its
 * institutions' sums again by their city, labels joined.
 */
function monthRowsBranch(g: ExecutionGroup, table: SQL, where: SQL, region: string): SQL {
  const group = GROUPS[g];
  const summed = sql`select ${group.ids}, f.period_start, f.period_end, sum(f.agreed_milli) as agreed, sum(f.purchased_milli) as purchased,
                            sum(f.non_selected_milli) as non_selected, sum(f.bought_milli) as bought, sum(f.items) as items
                     from ${table} f where ${where}
                     group by ${group.ids}, f.period_start, f.period_end`;
  const periods = sql`f.period_start::text as "periodStart", f.period_end::text as "periodEnd"`;
  if (group.labels)
    return sql`select ${g}::text as g, ${group.id}::text as id, ${periods}, f.agreed::text as agreed, f.purchased::text as purchased,
                      f.non_selected::text as "nonSelected", f.bought::text as bought, f.items::int as items
               from (${summed}) f`;
  return sql`select ${g}::text as g, ${group.id}::text as id, ${group.columns}, ${periods}, sum(f.agreed)::text as agreed, sum(f.purchased)::text as purchased,
                    sum(f.non_selected)::text as "nonSelected", sum(f.bought)::text as bought, sum(f.items)::int as items
             from (${summed}) f ${group.joins(region)}
             group by ${group.groupBy}, f.period_start, f.period_end`;
}

/** The scope as a condition on a month-rows table (alias f): the date's month, the years in force on it, the filters. */
function monthRowsFilter(scope: Scope, byVariety: boolean): SQL {
  const filters: SQL[] = [
    regionFilter(sql`f.region_code`, scope.region),
    sql`f.month = ${monthStart(scope.date)}::date`,
    sql`f.period_end >= ${scope.date}::date`,
    sql`f.period_start <= ${scope.date}::date`,
  ];
  if (scope.batch !== undefined) filters.push(sql`f.batch_id = (select id from batches where code = ${scope.batch})`);
  if (byVariety) {
    // the variety rows carry their institutions' city and level
    if (scope.city !== undefined) filters.push(sql`f.city_code = ${scope.city}`);
    if (scope.level !== undefined) filters.push(sql`f.level = ${scope.level}`);
  } else {
    const institutionFilters = [...(scope.city !== undefined ? [sql`city_code = ${scope.city}`] : []), ...(scope.level !== undefined ? [sql`level = ${scope.level}`] : [])];
    if (institutionFilters.length) filters.push(sql`(f.region_code, f.institution_id) in (select region_code, id from institutions where ${sql.join(institutionFilters, sql` and `)})`);
  }
  return sql.join(filters, sql` and `);
}

type Meta = Pick<ExecutionRow, 'key' | 'name' | 'detail' | 'regionCode' | 'institutionId' | 'level'>;

/**
 * A rolled-up key: its figures as numbers (`judged`, its quantities printed only when it is shown), its id,
 * its labels once read (`withLabels`), and the group it is of.
 */
type RolledRow = Pick<ExecutionRow, 'completion' | 'timeProgress' | 'behind' | 'nonSelectedShare' | 'items'> & {
  id: string;
  meta: Meta | undefined;
  judged: Judged;
  of: Grouped;
};

// nonSelectedShare: non-selected / everything bought, none when nothing (or less than nothing) was bought
const share = (nonSelected: bigint, bought: bigint) => (bought > 0n ? fraction6(nonSelected, bought) : null);

/**
 * Rolls a group's keys up with the calculators; also returns the totals of all of them (summed from the
 * keys' sums: a second pass over a province's rows cost as much as the first).
 */
function rollUp(grouped: Grouped, threshold: number): { items: RolledRow[]; totals: CompletionFigures } {
  const { lcm, keys, scale } = grouped;
  const byId = new Map(keys.map((k) => [k.key, k]));
  const all = { nonSelected: 0n, bought: 0n, items: 0 };
  for (const k of keys) {
    all.nonSelected += k.nonSelected;
    all.bought += k.bought;
    all.items += k.items;
  }
  const judged = judge(keys, lcm, threshold);
  const items = judged.items.map((j): RolledRow => {
    const k = byId.get(j.sums.key)!;
    const { completion, timeProgress, behind } = j;
    return { id: k.key, meta: k.meta, completion, timeProgress, behind, nonSelectedShare: share(k.nonSelected, k.bought), items: k.items, judged: j, of: grouped };
  });
  const totals: CompletionFigures = judged.total
    ? { ...figures(printRollup(judged.total, lcm, scale)), nonSelectedShare: share(all.nonSelected, all.bought), items: all.items }
    : { purchased: '0', agreed: '0', expected: '0', completion: null, timeProgress: 0, behind: false, nonSelectedShare: null, items: 0 };
  return { items, totals };
}

/** A rolled-up key's figures as the API sends them. */
function printed({ judged, of, nonSelectedShare, items }: RolledRow): CompletionFigures {
  return { ...figures(printRollup(judged, of.lcm, of.scale)), nonSelectedShare, items };
}

function figures(c: CompletionRollup) {
  return { purchased: c.purchased, agreed: c.agreed, expected: c.expected, completion: c.completion, timeProgress: c.timeProgress, behind: c.behind };
}

/** Reads the labels of the rows that have none (the keys shown: a page, the worst, an export). */
async function readLabels(db: Db, region: string, g: ExecutionGroup, rows: readonly RolledRow[]): Promise<void> {
  const missing = rows.filter((r) => !r.meta);
  const labels = GROUPS[g].labels;
  if (missing.length === 0 || !labels) return;
  const found = await selectRows<Meta & { id: string }>(
    db,
    sql`select ${labels.own}::text as id, ${GROUPS[g].columns} from ${labels.from(region, `{${[...new Set(missing.map((r) => r.id))].join(',')}}`)}`,
  );
  const byId = new Map(found.map(({ id, ...meta }) => [id, meta]));
  for (const r of missing) r.meta = byId.get(r.id);
}

/** Rows as the API sends them, their labels read first. */
async function withLabels(db: Db, region: string, g: ExecutionGroup, rows: readonly RolledRow[]): Promise<ExecutionRow[]> {
  await readLabels(db, region, g, rows);
  return rows.map((r) => {
    if (!r.meta) throw new Error(`no label for ${g} ${r.id}`);
    return { ...r.meta, ...printed(r) };
  });
}

/** completion − time progress: the most negative lags most. Rows without completion sort last. */
const gap = (r: Pick<CompletionFigures, 'completion' | 'timeProgress'>) => (r.completion === null ? Number.POSITIVE_INFINITY : r.completion - r.timeProgress);

/** The orders of localeCompare, made once (a comparison per pair of a province's thousands of rows). */
const byName = new Intl.Collator('zh-CN');
const byId = new Intl.Collator();

/** Sorted by the figure asked, then by id; by name only once every row has its labels (`readLabels`). */
function sortRows(rows: RolledRow[], sort: ExecutionFilterQuery['sort'], order: 'asc' | 'desc' | undefined): RolledRow[] {
  const ascending = (order ?? (sort === 'gap' || sort === 'completion' || sort === 'name' ? 'asc' : 'desc')) === 'asc';
  const dir = ascending ? 1 : -1;
  const nullsLast = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : dir * (a - b));
  const compare: Record<ExecutionFilterQuery['sort'], (a: RolledRow, b: RolledRow) => number> = {
    gap: (a, b) => nullsLast(a.completion === null ? null : gap(a), b.completion === null ? null : gap(b)),
    completion: (a, b) => nullsLast(a.completion, b.completion),
    // the quantities compared as exact integers (of one group: one scale)
    agreed: (a, b) => dir * Math.sign(Number(a.judged.sums.agreed - b.judged.sums.agreed)),
    purchased: (a, b) => dir * Math.sign(Number(a.judged.sums.purchased - b.judged.sums.purchased)),
    nonSelected: (a, b) => nullsLast(a.nonSelectedShare, b.nonSelectedShare),
    name: (a, b) => dir * byName.compare(a.meta!.name, b.meta!.name),
  };
  return rows.sort((a, b) => compare[sort](a, b) || byId.compare(a.id, b.id));
}

/**
 * Where the figures come from: uploads (or labelled synthetic data) and the span of the data. The span of
 * the contract years is read from the month rows' first and last months (their key starts with the month),
 * not from the hundreds of thousands of agreed volumes of a province.
 */
async function executionSource(db: Db, region: string, from: FiguresFrom): Promise<ExecutionSource> {
  const inRegion = regionFilter(sql`y.region_code`, region);
  const span =
    from === 'summaries'
      ? sql`select (select min(y.period_start) from execution_institution_months y
                    where ${inRegion} and y.month = (select min(month) from execution_institution_months y where ${inRegion}))::text as "periodsFrom",
                   (select max(y.period_end) from execution_institution_months y
                    where ${inRegion} and y.month = (select max(month) from execution_institution_months y where ${inRegion}))::text as "periodsTo"`
      : sql`select min(period_start)::text as "periodsFrom", max(period_end)::text as "periodsTo" from agreed_volumes y where ${inRegion}`;
  const [[years], [through], uploads] = await Promise.all([
    selectRows<{ synthetic: boolean; periodsFrom: string | null; periodsTo: string | null }>(
      db,
      // independent subqueries (a Citus cluster plans each on its own; `limit 1` stops every shard early)
      sql`select s.synthetic, y."periodsFrom", y."periodsTo"
          from (select exists (select 1 from agreed_volumes av where ${regionFilter(sql`av.region_code`, region)} and av.is_synthetic limit 1) as synthetic) s
          cross join (${span}) y`,
    ),
    // the latest month with purchases, from the months kept per region (no look through the purchases)
    selectRows<{ month: string | null }>(db, sql`select max(month)::text as month from purchase_months where ${regionFilter(sql`region_code`, region)}`),
    selectRows<ExecutionSource['uploads'][number]>(
      db,
      sql`select u.id, u.kind, u.file_name as "fileName", u.committed_at::text as "committedAt", u.is_synthetic as "isSynthetic"
          from uploads u
          where u.status = 'committed' and u.kind in ('agreed-volumes', 'purchases', 'synthetic') and ${regionFilter(sql`u.region_code`, region)}
          order by u.committed_at desc nulls last, u.id desc limit 5`,
    ),
  ]);
  return {
    synthetic: (years?.synthetic ?? false) || uploads.some((u) => u.isSynthetic),
    uploads,
    periodsFrom: years?.periodsFrom ?? null,
    periodsTo: years?.periodsTo ?? null,
    purchasesThrough: through?.month ?? null,
  };
}

/**
 * The batches, cities and levels of the contract years in force, for the filters: from the variety month
 * rows of the date's month (they carry the city and the level) rather than the agreed volumes.
 */
async function filterOptions(db: Db, scope: Scope, from: FiguresFrom): Promise<ExecutionList['options']> {
  const inForce = sql`${regionFilter(sql`f.region_code`, scope.region)} and f.period_start <= ${scope.date}::date and f.period_end >= ${scope.date}::date`;
  const base =
    from === 'summaries'
      ? sql`(select distinct f.region_code, f.batch_id, nullif(f.city_code, '') as city_code, nullif(f.level, '') as level from execution_variety_months f
             where ${inForce} and f.month = ${monthStart(scope.date)}::date)`
      : sql`(select distinct f.region_code, f.batch_id, i.city_code::text as city_code, i.level from agreed_volumes f
             join institutions i on i.region_code = f.region_code and i.id = f.institution_id where ${inForce})`;
  const [batches, cities, levels] = await Promise.all([
    selectRows<{ value: string; label: string }>(
      db,
      sql`select b.code as value, b.name_zh as label from batches b
          where b.id in (select batch_id from ${base} x) order by b.implemented_on nulls last, b.code`,
    ),
    // a city's name as its institutions spell it (the first, when they differ)
    selectRows<{ value: string; label: string }>(
      db,
      sql`select x.city_code as value, min(i.city_name) as label
          from (select distinct region_code, city_code from ${base} x where x.city_code is not null) x
          join institutions i on i.region_code = x.region_code and i.city_code::text = x.city_code and ${regionFilter(sql`i.region_code`, scope.region)}
          group by x.city_code order by 1`,
    ),
    selectRows<{ value: string; label: string }>(db, sql`select distinct x.level as value, x.level as label from ${base} x where x.level is not null order by 1`),
  ]);
  const rank = (l: string) => ['三级', '二级', '一级', '基层'].indexOf(l) + 1 || 9;
  return { batches, cities, levels: levels.sort((a, b) => rank(a.value) - rank(b.value)) };
}

function scopeOf(query: ExecutionFilterQuery, region: string, date: IsoDate): Scope {
  return { region, date, batch: query.batch, city: query.city, level: query.level };
}

/** Every rollup row of the filter, sorted (and behind-only when asked), with the totals of the filter. */
export async function executionRows(db: Db, query: ExecutionFilterQuery, options: ReadOptions = {}) {
  const region = await getRegion(db, query.region);
  const date = query.date ?? todayInChina();
  const [grouped, used] = await Promise.all([
    groupedRows(db, scopeOf(query, region.code, date), [query.by], options.from ?? 'summaries'),
    resolveThreshold(db, region.code, query.threshold),
  ]);
  const { items, totals } = rollUp(grouped.get(query.by)!, used.threshold);
  if (query.sort === 'name') await readLabels(db, region.code, query.by, items);
  const behindCount = items.filter((r) => r.behind).length;
  const filtered = query.behind ? items.filter((r) => r.behind) : items;
  return { region: region.code, date, ...used, rows: sortRows(filtered, query.sort, query.order), totals, behindCount, allRows: items.length };
}

/** GET /api/execution: a page of rollup rows, the totals of the whole filter, the filter options. */
export async function listExecution(db: Db, query: ExecutionListQuery, read: ReadOptions = {}): Promise<ExecutionList> {
  const { region, date, threshold, thresholdSource, rows, totals, behindCount, allRows } = await executionRows(db, query, read);
  const from = read.from ?? 'summaries';
  const [options, source] = await Promise.all([filterOptions(db, { region, date }, from), executionSource(db, region, from)]);
  const start = (query.page - 1) * query.pageSize;
  return {
    region,
    date,
    threshold,
    thresholdSource,
    by: query.by,
    items: await withLabels(db, region, query.by, rows.slice(start, start + query.pageSize)),
    total: rows.length,
    page: query.page,
    pageSize: query.pageSize,
    totals,
    behindCount,
    allRows,
    options,
    source,
  };
}

/** The rows of an export: at most EXECUTION_EXPORT_ROW_CAP, with how many matched. */
export async function exportExecution(db: Db, query: ExecutionFilterQuery, options: ReadOptions = {}) {
  const result = await executionRows(db, query, options);
  const [rows, source] = await Promise.all([
    withLabels(db, result.region, query.by, result.rows.slice(0, EXECUTION_EXPORT_ROW_CAP)),
    executionSource(db, result.region, options.from ?? 'summaries'),
  ]);
  return { ...result, total: result.rows.length, rows, cap: EXECUTION_EXPORT_ROW_CAP, source };
}

/**
 * Savings of the purchases counted against every contract year begun by the date, from the summaries: the
 * spends of the region's cells summed per contract year start and month, and the selections without a
 * usable reference price that were bought (counted, not valued).
 */
async function savingsFromSummaries(db: Db, scope: Scope) {
  const within = sql`${regionFilter(sql`region_code`, scope.region)} and period_start <= ${scope.date}::date and month <= date_trunc('month', ${scope.date}::date)::date`;
  const [spends, unvalued] = await Promise.all([
    selectRows<{ atReference: string; atSelected: string }>(
      db,
      sql`select coalesce(sum(spend_reference), 0)::text as "atReference", coalesce(sum(spend_selected), 0)::text as "atSelected" from execution_savings where ${within}`,
    ),
    selectRows<{ n: number }>(db, sql`select count(distinct selected_product_id)::int as n from execution_unvalued where ${within}`),
  ]);
  return savingsFromTotals(spends[0]?.atReference ?? '0', spends[0]?.atSelected ?? '0', unvalued[0]?.n ?? 0);
}

/**
 * The same from the raw purchases (the equality tests). Only selected products count, so each row is paired
 * with its batch's selected products first and their purchases are read through the purchases key
 * (institution, product, months).
 */
async function savingsFromRaw(db: Db, scope: Scope) {
  const items = await selectRows<SavingsItem>(
    db,
    sql`with ${scopedAgreed(scope, 'started')},
        windows as (
          select s.region_code, s.institution_id, sp.id as sp_id, sp.product_id, s.m_from, s.m_to
          from scoped s
          join selected_products sp on sp.batch_id = s.batch_id and (s.product_id is null or sp.product_id = s.product_id)
          join products p on p.id = sp.product_id and p.variety_id = s.variety_id
        ), per_selection as (
          select w.sp_id, sum(pu.quantity) as quantity
          from windows w
          join purchases pu on pu.region_code = w.region_code and pu.institution_id = w.institution_id
            and pu.product_id = w.product_id and pu.month >= w.m_from and pu.month < w.m_to
          group by w.sp_id
        )
        select q.quantity::text as quantity, sp.reference_price::text as "referencePrice", sp.selected_price::text as "selectedPrice"
        from per_selection q join selected_products sp on sp.id = q.sp_id`,
  );
  return estimateSavings(items);
}

/** GET /api/execution/summary: what the overview shows about execution. */
export async function getExecutionSummary(db: Db, query: ExecutionSummaryQuery, options: ReadOptions = {}): Promise<ExecutionSummary> {
  const region = await getRegion(db, query.region);
  const date = query.date ?? todayInChina();
  const scope: Scope = { region: region.code, date };
  const from = options.from ?? 'summaries';
  const [grouped, savings, source, used] = await Promise.all([
    groupedRows(db, scope, ['institution', 'variety'], from),
    from === 'summaries' ? savingsFromSummaries(db, scope) : savingsFromRaw(db, scope),
    executionSource(db, region.code, from),
    resolveThreshold(db, region.code, query.threshold),
  ]);
  const institutions = rollUp(grouped.get('institution')!, used.threshold);
  const varieties = rollUp(grouped.get('variety')!, used.threshold);
  const worst = (g: ExecutionGroup, items: RolledRow[]) => withLabels(db, region.code, g, sortRows(items.filter((r) => r.behind), 'gap', 'asc').slice(0, query.top));
  const [behindInstitutions, behindVarieties] = await Promise.all([worst('institution', institutions.items), worst('variety', varieties.items)]);
  return {
    region: region.code,
    date,
    ...used,
    totals: institutions.totals,
    savings,
    institutions: { total: institutions.items.length, behind: institutions.items.filter((r) => r.behind).length },
    varieties: { total: varieties.items.length, behind: varieties.items.filter((r) => r.behind).length },
    behindInstitutions,
    behindVarieties,
    source,
  };
}

type InstitutionFactRow = Omit<InstitutionExecutionRow, 'products' | keyof CompletionFigures> & {
  avId: number;
  agreed: string;
  purchased: string;
  nonSelected: string;
  bought: string;
};

type ProductFactRow = ExecutionProduct & { avId: number };

/** GET /api/execution/institutions/{id}: one institution's contract years by variety, with the products bought. */
export async function getInstitutionExecution(
  db: Db,
  params: { id: number; region: string; date?: IsoDate | undefined; threshold?: number | undefined },
  read: ReadOptions = {},
): Promise<InstitutionExecution> {
  const region = await getRegion(db, params.region);
  const date = params.date ?? todayInChina();
  const [institution] = await selectRows<InstitutionExecution['institution']>(
    db,
    sql`select id, code, name, city_code::text as "cityCode", city_name as "cityName", level, is_synthetic as "isSynthetic"
        from institutions where id = ${params.id} and ${regionFilter(sql`region_code`, region.code)}`,
  );
  if (!institution) throw notFound('institution', '医疗机构', `${region.code}/${params.id}`);
  const scope: Scope = { region: region.code, date, institutionId: institution.id };
  const [facts, products, source, used] = await Promise.all([
    selectRows<InstitutionFactRow>(
      db,
      sql`with ${factsCte(scope, 'inForce')}
          select f.av_id::int as "avId", b.code as "batchCode", b.name_zh as "batchNameZh", v.id as "varietyId", v.name_zh as "varietyNameZh",
                 v.dosage_form_group as "dosageFormGroup", f.product_id as "productId", f.contract_year::int as "contractYear",
                 f.period_start::text as "periodStart", f.period_end::text as "periodEnd", f.unit,
                 f.agreed::text as agreed, f.purchased::text as purchased, f.non_selected::text as "nonSelected", f.bought::text as bought
          from facts f join batches b on b.id = f.batch_id join varieties v on v.id = f.variety_id
          order by v.name_zh, b.code, f.contract_year, f.product_id nulls first`,
    ),
    selectRows<ProductFactRow>(
      db,
      sql`with ${scopedAgreed(scope, 'inForce')}
          select s.av_id::int as "avId", p.id as "productId", p.company, p.spec, p.packaging,
                 sp.product_id is not null as selected, ev.product_id is null as "nonSelected",
                 sum(pu.quantity)::text as quantity,
                 sp.reference_price::text as "referencePrice", sp.selected_price::text as "selectedPrice"
          ${ROW_PURCHASES}
          join products p on p.id = pu.product_id
          where s.carrier or sp.product_id is not null
          group by s.av_id, p.id, p.company, p.spec, p.packaging, sp.product_id, ev.product_id, sp.reference_price, sp.selected_price
          order by s.av_id, sp.product_id is not null desc, sum(pu.quantity) desc, p.id`,
    ),
    // its figures come from the raw purchases of the one institution (a few thousand rows, by the purchases key)
    executionSource(db, region.code, read.from ?? 'summaries'),
    resolveThreshold(db, region.code, params.threshold),
  ]);
  const byRow = new Map<number, InstitutionExecutionRow['products']>();
  for (const { avId, ...product } of products) {
    const list = byRow.get(avId) ?? [];
    list.push({ ...product, quantity: toPlain(new Dec(product.quantity)) });
    byRow.set(avId, list);
  }
  // each agreed-volume row is its own key
  const asPeriodRow = ({ avId, periodStart, periodEnd, agreed, purchased, nonSelected, bought }: InstitutionFactRow): PeriodRow => ({
    g: 'institution',
    id: String(avId),
    periodStart,
    periodEnd,
    agreed,
    purchased,
    nonSelected,
    bought,
    items: 1,
  });
  const perRow = rollUp(decimalsPerKey(facts.map(asPeriodRow), ['institution'], date).get('institution')!, used.threshold);
  const figuresOf = new Map(perRow.items.map((r) => [r.id, r]));
  const rows = facts.map(({ avId, agreed, purchased, nonSelected, bought, ...rest }): InstitutionExecutionRow => {
    return { ...rest, ...printed(figuresOf.get(String(avId))!), products: byRow.get(avId) ?? [] };
  });
  return { region: region.code, date, ...used, institution, totals: perRow.totals, rows, source };
}
