/**
 * The execution summaries (packages/db/src/schema/summaries.ts), kept equal to what the raw tables say.
 *
 * Two ways in, both inside the writer's transaction:
 * - **Deltas** (`applyPurchaseDeltas`): a write that adds, changes or removes purchases says which rows it
 *   added (+quantity) and which it took away (−quantity, the values it replaced); their effect on every
 *   contract cell is added to the summaries. Cost follows the size of the write, not of the province.
 * - **Recompute** (`recomputeSummaries`): a write that changes what the purchases mean (agreed volumes: which
 *   cells exist and their months; batch results: which products are selected, which never are) names the
 *   scope it touched (institutions × varieties, or varieties); the summaries of that scope are taken out
 *   and computed again from the raw purchases of that scope.
 * `rebuildSummaries` recomputes everything (repair: `pnpm db:rebuild-summaries`); a property test checks
 * that every sequence of uploads, commits and reverts leaves the summaries equal to a rebuild.
 *
 * The rules are the ones of decision 005 (queries/execution.ts reads raw purchases with the same rules, for
 * the equality tests): a cell takes the months from the one its contract year starts in up to, not
 * including, the month of the day after it ends; `purchased` counts the products the cell's batch selected
 * (only the cell's product when the volume is agreed per product), summed over the cell's agreed-volume rows;
 * `bought` and `non_selected` count once per cell (its first row, the "carrier").
 */
import { sql, type SQL } from 'drizzle-orm';
import { distributeLike, isDistributed, selectRows, type Db } from '@vbp/db';
import { NATION_CODE } from '@vbp/contracts/enums';
import { touchData } from '../data-version';

/** Bumped when the rules above change: a start then rebuilds the summaries (see ensureSummaries). */
export const SUMMARY_RULES_VERSION = 5;

/**
 * Purchase deltas: a SELECT with the columns region_code, institution_id, product_id, month, quantity
 * (signed) and rows (+1 for a purchase row added, −1 for one taken away, 0 for a changed value).
 */
export type PurchaseDeltas = SQL;

/**
 * Applies purchase deltas to every summary. `db` is the writer's transaction. `fresh`: the summaries of
 * every cell the deltas reach were taken out first (a recompute or a rebuild), so rows are inserted
 * without looking for existing ones.
 */
export async function applyPurchaseDeltas(outer: Db, deltas: PurchaseDeltas, options: { fresh?: boolean } = {}): Promise<void> {
  // in the caller's transaction (as a savepoint), or in one of its own: the work tables live until its end
  await outer.transaction((db) => applyInTransaction(db, deltas, options));
}

/**
 * The work tables of one application of deltas, made from queries and dropped at its end. On one server they
 * are temporary tables, analyzed for the joins that follow. On a Citus cluster a temporary table lives on the
 * coordinator, and every join of it with the agreed volumes and every write from it into the summaries would
 * pass through there; so they are tables distributed by province and co-located with the purchases (each
 * shard's deltas meet the same shard's agreed volumes and summaries), named for the transaction.
 */
async function workTables(db: Db) {
  const distributed = await isDistributed(db);
  const [tx] = distributed ? await selectRows<{ id: string }>(db, sql`select txid_current()::text as "id"`) : [];
  const made: SQL[] = [];
  return {
    distributed,
    /** `analyze`: statistics for the joins that read it (the deltas; the cell deltas are only summed). */
    async create(name: string, query: SQL, options: { analyze?: boolean } = {}): Promise<SQL> {
      const tableName = distributed ? `${name}_${tx!.id}` : name;
      const table = sql`${sql.identifier(tableName)}`;
      await db.execute(sql`drop table if exists ${table}`);
      if (!distributed) {
        await db.execute(sql`create temporary table ${table} on commit drop as ${query}`);
      } else {
        await db.execute(sql`create unlogged table ${table} as ${query} with no data`);
        await distributeLike(db, tableName, 'purchases');
        await db.execute(sql`insert into ${table} ${query}`);
      }
      // (on a cluster, the shards' statistics: without them a worker guessed one row and joined 500k rows
      // against the selections once per row, 47 s instead of 1.5 s for the demo province)
      if (options.analyze) await db.execute(sql`analyze ${table}`);
      made.push(table);
      return table;
    },
    async dropAll(): Promise<void> {
      for (const table of made.reverse()) await db.execute(sql`drop table ${table}`);
    },
  };
}

async function applyInTransaction(db: Db, deltas: PurchaseDeltas, options: { fresh?: boolean }): Promise<void> {
  // sorts and hashes of a few million rows stay in memory instead of spilling to disk
  await db.execute(sql`set local work_mem = '128MB'`);
  const work = await workTables(db);
  // the deltas once (the source may be a join, or a million staged rows), with statistics for the joins below
  // (one row per purchase key: a changed value's new and old quantities net out before anything is joined)
  const summaryDeltas = await work.create(
    'summary_deltas',
    sql`select d.region_code, d.institution_id, d.product_id, p.variety_id, d.month, sum(d.quantity) as quantity, sum(d.rows)::int as rows
        from (${deltas}) d join products p on p.id = d.product_id
        group by d.region_code, d.institution_id, d.product_id, p.variety_id, d.month
        having sum(d.quantity) <> 0 or sum(d.rows) <> 0`,
    { analyze: true },
  );
  // a contract cell is named by the id of its first agreed-volume row while its effect is summed: grouping by
  // one integer and the month is several times faster than by the seven columns of the summary's key. The
  // id is always joined back with its region (the agreed volumes' key): on a Citus cluster a join on the id
  // alone is not co-located, and Citus 13.2 answered one such join with no rows instead of refusing it.
  const cells = sql`cells as (
      select av.region_code, av.institution_id, av.batch_id, av.variety_id, av.product_id,
             date_trunc('month', av.period_start)::date as m_from, date_trunc('month', av.period_end + 1)::date as m_to,
             first_value(av.id) over w as cell_id, row_number() over w = 1 as carrier
      from agreed_volumes av
      where (av.region_code, av.institution_id, av.variety_id) in (select distinct region_code, institution_id, variety_id from ${summaryDeltas})
      window w as (partition by av.region_code, av.institution_id, av.batch_id, av.variety_id, av.contract_year order by av.product_id nulls first)
    )`;
  const joinCells = sql`from ${summaryDeltas} d
    join cells c on c.region_code = d.region_code and c.institution_id = d.institution_id and c.variety_id = d.variety_id
      and d.month >= c.m_from and d.month < c.m_to`;
  // the deltas' effect on each contract cell and month (a delta outside every cell's months counts nowhere)
  // (the selections once, materialized, on one server; a cluster joins its reference copies on each shard)
  const materialized = work.distributed ? sql`` : sql`materialized`;
  const cellDeltas = await work.create(
    'summary_cell_deltas',
    sql`
    with sel as ${materialized} (select id, batch_id, product_id, reference_price, selected_price from selected_products),
    ever as ${materialized} (select distinct product_id from selected_products),
    ${cells},
    per_cell as (
      select c.region_code, c.cell_id, d.month,
             coalesce(sum(d.quantity) filter (where s.id is not null), 0) as purchased,
             coalesce(sum(d.quantity) filter (where c.carrier and e.product_id is null), 0) as non_selected,
             coalesce(sum(d.quantity) filter (where c.carrier), 0) as bought,
             coalesce(sum(d.quantity * s.reference_price) filter (where s.reference_price > 0), 0) as spend_reference,
             coalesce(sum(d.quantity * s.selected_price) filter (where s.reference_price > 0), 0) as spend_selected
      ${joinCells}
      left join sel s on s.batch_id = c.batch_id and s.product_id = d.product_id and (c.product_id is null or c.product_id = d.product_id)
      left join ever e on e.product_id = d.product_id
      group by c.region_code, c.cell_id, d.month
    )
    select av.region_code, av.period_end, av.period_start, av.institution_id, av.batch_id, av.variety_id, x.month,
           x.purchased, x.non_selected, x.bought, x.spend_reference, x.spend_selected
    from per_cell x join agreed_volumes av on av.region_code = x.region_code and av.id = x.cell_id`,
  );

  const columns = ['purchased', 'non_selected', 'bought', 'spend_reference', 'spend_selected'];
  const key = 'region_code, period_end, period_start, institution_id, batch_id, variety_id, month';
  const upsert = sql`
    insert into execution_months (${sql.raw(key)}, ${sql.raw(columns.join(', '))})
    select ${sql.raw(key)}, ${sql.raw(columns.join(', '))}
    from ${cellDeltas}
    where ${sql.raw(columns.map((c) => `${c} <> 0`).join(' or '))}
    ${options.fresh ? sql`` : sql.raw(`on conflict on constraint execution_months_pkey do update set ${columns.map((c) => `${c} = execution_months.${c} + excluded.${c}`).join(', ')}`)}`;
  if (options.fresh) await db.execute(upsert);
  else {
    // the rows the deltas bring to zero are noted as they are written (a revert takes back what a commit
    // added) and deleted after: looking for them again among the written rows cost a join as large
    await db.execute(sql`drop table if exists summary_zero_months`);
    await db.execute(sql`
      create temporary table summary_zero_months on commit drop as
      with written as (${upsert} returning ${sql.raw(key)}, ${sql.raw(columns.map((c) => `${c} = 0`).join(' and '))} as zero)
      select ${sql.raw(key)} from written where zero`);
  }
  // savings are sums over every cell: always added to
  await db.execute(sql`
    insert into execution_savings (region_code, period_start, month, spend_reference, spend_selected)
    select region_code, period_start, month, sum(spend_reference), sum(spend_selected)
    from ${cellDeltas}
    group by region_code, period_start, month
    having sum(spend_reference) <> 0 or sum(spend_selected) <> 0
    on conflict on constraint execution_savings_pkey do update set
      spend_reference = execution_savings.spend_reference + excluded.spend_reference,
      spend_selected = execution_savings.spend_selected + excluded.spend_selected`);
  // purchases of selections without a usable reference price, counted per selection (rare: most have one)
  const [unvalued] = await selectRows<{ any: boolean }>(db, sql`select exists (select 1 from selected_products where not coalesce(reference_price > 0, false)) as "any"`);
  if (unvalued?.any)
    await db.execute(sql`
      insert into execution_unvalued (region_code, institution_id, selected_product_id, variety_id, period_start, month, rows)
      with ${cells}
      select c.region_code, c.institution_id, s.id, c.variety_id, av.period_start, d.month, sum(d.rows)::int
      ${joinCells}
      join agreed_volumes av on av.region_code = c.region_code and av.id = c.cell_id
      join selected_products s on s.batch_id = c.batch_id and s.product_id = d.product_id and (c.product_id is null or c.product_id = d.product_id)
      where not coalesce(s.reference_price > 0, false)
      group by c.region_code, c.institution_id, s.id, c.variety_id, av.period_start, d.month
      having sum(d.rows) <> 0
      ${options.fresh ? sql`` : sql`on conflict on constraint execution_unvalued_pkey do update set rows = execution_unvalued.rows + excluded.rows`}`);

  if (!options.fresh) {
    // the month rows per institution × batch and per batch × variety (× city × level): every month of the
    // contract year from the delta's on holds what was bought up to it, so a delta is added to them all
    await addToMonthRows(db, cellDeltas);
    // what no longer counts for anything goes
    await db.execute(sql`
      delete from execution_months m using summary_zero_months z
      where (m.region_code, m.period_end, m.period_start, m.institution_id, m.batch_id, m.variety_id, m.month)
          = (z.region_code, z.period_end, z.period_start, z.institution_id, z.batch_id, z.variety_id, z.month)`);
    await db.execute(sql`drop table summary_zero_months`);
    await db.execute(sql`delete from execution_unvalued where rows <= 0`);
  }
  await db.execute(sql`delete from execution_savings where spend_reference = 0 and spend_selected = 0`);
  // the months that have purchases: rows added and taken away (a recompute does not change the purchases)
  if (!options.fresh) {
    await db.execute(sql`
      insert into purchase_months (region_code, month, rows)
      select region_code, month, sum(rows) from ${summaryDeltas} group by region_code, month having sum(rows) <> 0
      on conflict on constraint purchase_months_pkey do update set rows = purchase_months.rows + excluded.rows`);
    await db.execute(sql`delete from purchase_months where rows <= 0`);
  }
  await work.dropAll();
}

/**
 * Where a recompute applies: regions, varieties, or institution × variety pairs (a SELECT of region_code,
 * institution_id, variety_id; see capturePairs).
 */
export type SummaryScope = { regions: readonly string[] } | { varieties: readonly number[]; exceptRegion?: string } | { pairs: SQL };

function scopeCondition(scope: SummaryScope, columns: { region: SQL; institution: SQL; variety: SQL }): SQL {
  const list = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  if ('regions' in scope) return scope.regions.length ? sql`${columns.region} in (${list(scope.regions)})` : sql`false`;
  if ('varieties' in scope)
    return scope.varieties.length
      ? sql`${columns.variety} in (${list(scope.varieties)})${scope.exceptRegion ? sql` and ${columns.region} <> ${scope.exceptRegion}` : sql``}`
      : sql`false`;
  return sql`(${columns.region}, ${columns.institution}, ${columns.variety}) in (${scope.pairs})`;
}

let captured = 0;

/**
 * The institution × variety pairs a query names, as they are now: a write that is about to change them
 * (a revert removes rows) captures them first and recomputes them after.
 */
export async function capturePairs(db: Db, query: SQL): Promise<SummaryScope> {
  const table = sql.identifier(`summary_scope_${++captured}`);
  await db.execute(sql`create temporary table ${table} on commit drop as select distinct region_code, institution_id, variety_id from (${query}) q`);
  return { pairs: sql`select region_code, institution_id, variety_id from ${table}` };
}

/** Takes the summaries of a scope out and computes them again from the raw purchases of that scope. */
export async function recomputeSummaries(outer: Db, scope: SummaryScope): Promise<void> {
  await outer.transaction((db) => recomputeInTransaction(db, scope));
}

async function recomputeInTransaction(db: Db, scope: SummaryScope): Promise<void> {
  await recomputeMonths(db, scope);
  // the month rows of every institution and every variety the scope touches, made again from the cells
  const list = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  if ('regions' in scope) {
    const regions = scope.regions.length ? sql`region_code in (${list(scope.regions)})` : sql`false`;
    await db.execute(sql`delete from execution_periods where ${regions}`);
    await deriveMonthRows(db, regions, regions);
    await db.execute(sql`delete from purchase_months where ${regions}`);
    await countPurchaseMonths(db, regions);
  } else if ('varieties' in scope) {
    const varieties = scope.varieties.length ? sql`variety_id in (${list(scope.varieties)})` : sql`false`;
    const elsewhere = scope.exceptRegion ? sql` and region_code <> ${scope.exceptRegion}` : sql``;
    await deriveMonthRows(
      db,
      sql`(region_code, institution_id) in (select distinct region_code, institution_id from agreed_volumes where ${varieties}${elsewhere})`,
      sql`${varieties}${elsewhere}`,
    );
  } else {
    await deriveMonthRows(
      db,
      sql`(region_code, institution_id) in (select region_code, institution_id from (${scope.pairs}) p)`,
      sql`(region_code, variety_id) in (select region_code, variety_id from (${scope.pairs}) p)`,
    );
  }
}

/**
 * The cumulative month rows (execution_institution_months, execution_variety_months) of a delta's cells: a
 * delta of month m adds to the rows of every month from m to the end of its contract year. Every row exists
 * already: they are made, one per month of the year, when the cells' agreed volumes are (deriveMonthRows).
 */
async function addToMonthRows(db: Db, cellDeltas: SQL): Promise<void> {
  const sums = sql.raw('sum(d.purchased) as purchased, sum(d.non_selected) as non_selected, sum(d.bought) as bought');
  const set = sql.raw('purchased_milli = e.purchased_milli + x.purchased, non_selected_milli = e.non_selected_milli + x.non_selected, bought_milli = e.bought_milli + x.bought');
  // quantities in thousandths (three decimals: exact)
  const milli = sql.raw('(sum(purchased) * 1000)::bigint as purchased, (sum(non_selected) * 1000)::bigint as non_selected, (sum(bought) * 1000)::bigint as bought');
  await db.execute(sql`
    update execution_institution_months e set ${set}
    from (select e2.region_code, e2.month, e2.period_end, e2.period_start, e2.institution_id, e2.batch_id, ${sums}
          from (select region_code, period_end, period_start, institution_id, batch_id, month, ${milli}
                from ${cellDeltas} group by region_code, period_end, period_start, institution_id, batch_id, month) d
          join execution_institution_months e2 on e2.region_code = d.region_code and e2.period_end = d.period_end
            and e2.period_start = d.period_start and e2.institution_id = d.institution_id and e2.batch_id = d.batch_id and e2.month >= d.month
          group by e2.region_code, e2.month, e2.period_end, e2.period_start, e2.institution_id, e2.batch_id) x
    where e.region_code = x.region_code and e.month = x.month and e.period_end = x.period_end and e.period_start = x.period_start
      and e.institution_id = x.institution_id and e.batch_id = x.batch_id`);
  await db.execute(sql`
    update execution_variety_months e set ${set}
    from (select e2.region_code, e2.month, e2.period_end, e2.period_start, e2.batch_id, e2.variety_id, e2.city_code, e2.level, ${sums}
          from (select c.region_code, c.period_end, c.period_start, c.batch_id, c.variety_id, coalesce(i.city_code::text, '') as city_code,
                       coalesce(i.level, '') as level, c.month, ${milli}
                from ${cellDeltas} c join institutions i on i.region_code = c.region_code and i.id = c.institution_id
                group by 1, 2, 3, 4, 5, 6, 7, 8) d
          join execution_variety_months e2 on e2.region_code = d.region_code and e2.period_end = d.period_end
            and e2.period_start = d.period_start and e2.batch_id = d.batch_id and e2.variety_id = d.variety_id
            and e2.city_code = d.city_code and e2.level = d.level and e2.month >= d.month
          group by e2.region_code, e2.month, e2.period_end, e2.period_start, e2.batch_id, e2.variety_id, e2.city_code, e2.level) x
    where e.region_code = x.region_code and e.month = x.month and e.period_end = x.period_end and e.period_start = x.period_start
      and e.batch_id = x.batch_id and e.variety_id = x.variety_id and e.city_code = x.city_code and e.level = x.level`);
}

/**
 * Makes the month rows again from the agreed volumes and execution_months, for the institutions and the
 * varieties the conditions select (conditions on unqualified region_code, institution_id / variety_id): a row
 * for every month of every contract year, from the month it starts in to the month it ends in, each with
 * the year's agreed volumes and what was bought up to and including that month; the agreed volumes'
 * sums of the varieties (agreed_volume_sums); and their contract periods, added to execution_periods.
 */
async function deriveMonthRows(db: Db, institutions: SQL, varieties: SQL): Promise<void> {
  // written in key order, a month's rows lie together: a view reads a few hundred pages, not thousands (on a
  // Citus cluster each shard's insert is its own, and left as it comes)
  const inKeyOrder = (await isDistributed(db)) ? sql`` : sql`order by 1, 2, 3, 4, 5, 6`;
  // quantities in thousandths (three decimals: exact)
  const figures = sql.raw(`coalesce(sum(b.purchased) over w, 0) * 1000, coalesce(sum(b.non_selected) over w, 0) * 1000, coalesce(sum(b.bought) over w, 0) * 1000`);
  const monthsOf = sql.raw(`cross join lateral generate_series(date_trunc('month', a.period_start), date_trunc('month', a.period_end), interval '1 month') as gs(month)`);
  await db.execute(sql`delete from execution_institution_months where ${institutions}`);
  await db.execute(sql`
    insert into execution_institution_months (region_code, month, period_end, period_start, institution_id, batch_id, agreed_milli, items, purchased_milli, non_selected_milli, bought_milli)
    with a as (
      select region_code, period_end, period_start, institution_id, batch_id, sum(quantity) as agreed, count(*)::int as items
      from agreed_volumes where ${institutions} group by region_code, period_end, period_start, institution_id, batch_id
    ), b as (
      select region_code, period_end, period_start, institution_id, batch_id, month,
             sum(purchased) as purchased, sum(non_selected) as non_selected, sum(bought) as bought
      from execution_months where ${institutions} group by region_code, period_end, period_start, institution_id, batch_id, month
    )
    select a.region_code, gs.month::date, a.period_end, a.period_start, a.institution_id, a.batch_id, a.agreed * 1000, a.items, ${figures}
    from a ${monthsOf}
    left join b on b.region_code = a.region_code and b.period_end = a.period_end and b.period_start = a.period_start
      and b.institution_id = a.institution_id and b.batch_id = a.batch_id and b.month = gs.month::date
    window w as (partition by a.region_code, a.period_end, a.period_start, a.institution_id, a.batch_id order by gs.month)
    ${inKeyOrder}`);
  await db.execute(sql`delete from execution_variety_months where ${varieties}`);
  await db.execute(sql`
    insert into execution_variety_months (region_code, month, period_end, period_start, batch_id, variety_id, city_code, level, agreed_milli, items, purchased_milli, non_selected_milli, bought_milli)
    with a as (
      select av.region_code, av.period_end, av.period_start, av.batch_id, av.variety_id, coalesce(i.city_code::text, '') as city_code,
             coalesce(i.level, '') as level, sum(av.quantity) as agreed, count(*)::int as items
      from (select * from agreed_volumes where ${varieties}) av join institutions i on i.region_code = av.region_code and i.id = av.institution_id
      group by 1, 2, 3, 4, 5, 6, 7
    ), b as (
      select m.region_code, m.period_end, m.period_start, m.batch_id, m.variety_id, coalesce(i.city_code::text, '') as city_code,
             coalesce(i.level, '') as level, m.month, sum(m.purchased) as purchased, sum(m.non_selected) as non_selected, sum(m.bought) as bought
      from (select * from execution_months where ${varieties}) m join institutions i on i.region_code = m.region_code and i.id = m.institution_id
      group by 1, 2, 3, 4, 5, 6, 7, 8
    )
    select a.region_code, gs.month::date, a.period_end, a.period_start, a.batch_id, a.variety_id, a.city_code, a.level, a.agreed * 1000, a.items, ${figures}
    from a ${monthsOf}
    left join b on b.region_code = a.region_code and b.period_end = a.period_end and b.period_start = a.period_start and b.batch_id = a.batch_id
      and b.variety_id = a.variety_id and b.city_code = a.city_code and b.level = a.level and b.month = gs.month::date
    window w as (partition by a.region_code, a.period_end, a.period_start, a.batch_id, a.variety_id, a.city_code, a.level order by gs.month)
    ${inKeyOrder}`);
  // the overview's weights: the agreed volumes per batch × variety (× product), over every contract year
  await db.execute(sql`delete from agreed_volume_sums where ${varieties}`);
  await db.execute(sql`
    insert into agreed_volume_sums (region_code, batch_id, variety_id, product_id, quantity)
    select region_code, batch_id, variety_id, coalesce(product_id, 0), sum(quantity) from agreed_volumes where ${varieties} group by 1, 2, 3, 4`);
  await db.execute(sql`
    insert into execution_periods (region_code, period_end, period_start)
    select distinct region_code, period_end, period_start from agreed_volumes where ${varieties}
    on conflict do nothing`);
}

/** Counts the purchase rows per region and month again (a condition on unqualified region_code). */
async function countPurchaseMonths(db: Db, regions: SQL): Promise<void> {
  await db.execute(sql`insert into purchase_months (region_code, month, rows) select region_code, month, count(*) from purchases where ${regions} group by region_code, month`);
}

async function recomputeMonths(db: Db, scope: SummaryScope): Promise<void> {
  const months = scopeCondition(scope, { region: sql`m.region_code`, institution: sql`m.institution_id`, variety: sql`m.variety_id` });
  // the savings are sums over cells: take the scope's share out before its rows go
  await db.execute(sql`
    update execution_savings s set spend_reference = s.spend_reference - x.spend_reference, spend_selected = s.spend_selected - x.spend_selected
    from (select m.region_code, m.period_start, m.month, sum(m.spend_reference) as spend_reference, sum(m.spend_selected) as spend_selected
          from execution_months m where ${months} group by m.region_code, m.period_start, m.month) x
    where s.region_code = x.region_code and s.period_start = x.period_start and s.month = x.month`);
  await db.execute(sql`delete from execution_savings where spend_reference = 0 and spend_selected = 0`);
  await db.execute(sql`delete from execution_months m where ${months}`);
  await db.execute(sql`
    delete from execution_unvalued u where ${scopeCondition(scope, { region: sql`u.region_code`, institution: sql`u.institution_id`, variety: sql`u.variety_id` })}`);
  await applyPurchaseDeltas(
    db,
    sql`select pu.region_code, pu.institution_id, pu.product_id, pu.month, pu.quantity, 1 as rows
        from purchases pu join products pp on pp.id = pu.product_id
        where ${scopeCondition(scope, { region: sql`pu.region_code`, institution: sql`pu.institution_id`, variety: sql`pp.variety_id` })}`,
    { fresh: true },
  );
}

/** Everything again, from the raw tables (one region, or all). */
export async function rebuildSummaries(outer: Db, regionCode?: string): Promise<void> {
  await outer.transaction((db) => rebuildInTransaction(db, regionCode));
}

async function rebuildInTransaction(db: Db, regionCode: string | undefined): Promise<void> {
  await touchData(db, 'execution', regionCode ?? NATION_CODE);
  if (regionCode === undefined) {
    await db.execute(sql`truncate execution_months, execution_savings, execution_unvalued, execution_institution_months, execution_variety_months, agreed_volume_sums, execution_periods, purchase_months`);
    await applyPurchaseDeltas(db, sql`select region_code, institution_id, product_id, month, quantity, 1 as rows from purchases`, { fresh: true });
    await deriveMonthRows(db, sql`true`, sql`true`);
    await countPurchaseMonths(db, sql`true`);
    await db.execute(sql`
      insert into summary_state (name, rules_version, built_at) values ('execution', ${SUMMARY_RULES_VERSION}, now())
      on conflict (name) do update set rules_version = excluded.rules_version, built_at = excluded.built_at`);
    return;
  }
  await recomputeSummaries(db, { regions: [regionCode] });
}

/** The summaries must be built again from scratch (the next ensureSummaries does it). */
export async function markSummariesStale(db: Db): Promise<void> {
  await db.execute(sql`delete from summary_state where name = 'execution'`);
}

/**
 * At start: summaries built by these rules exist, or they are built now (a database from before the
 * summaries, or after the rules changed). Returns whether it built them.
 */
export async function ensureSummaries(db: Db): Promise<boolean> {
  const [state] = await selectRows<{ version: number }>(db, sql`select rules_version as "version" from summary_state where name = 'execution'`);
  if (state?.version === SUMMARY_RULES_VERSION) return false;
  await db.transaction((tx) => rebuildSummaries(tx));
  return true;
}

/** How many rows each summary holds. */
export async function summaryRowCounts(db: Db): Promise<{ months: number; savings: number; unvalued: number; institutionMonths: number; varietyMonths: number }> {
  const [counts] = await selectRows<{ months: number; savings: number; unvalued: number; institutionMonths: number; varietyMonths: number }>(
    db,
    sql`select (select count(*) from execution_months)::int as months, (select count(*) from execution_savings)::int as savings,
               (select count(*) from execution_unvalued)::int as unvalued, (select count(*) from execution_institution_months)::int as "institutionMonths",
               (select count(*) from execution_variety_months)::int as "varietyMonths"`,
  );
  return counts!;
}
