/**
 * The follow-up list (督办) as an office reads it: filtered, paginated, each item with its institution, variety
 * and batch, whether it is overdue, and for items not closed whether the institution has caught up.
 *
 * Rules chosen here:
 * - Overdue: the due date is before the as-of date (default today, CST) and the item is not closed.
 * - Caught up: the execution page's rule, reused: the contract years in force on the as-of date of the
 *   institution (only the item's variety when it names one, only the item's batch when it names one) rolled
 *   up with rollUpWithTotal and not behind (purchased ≥ expected × threshold, i.e. completion ≥ time progress
 *   × threshold), the threshold being the province's setting (resolveThreshold, default 0.8). The figures are
 *   the execution page's: its rollup by institution (executionRows), or for one variety the institution's
 *   drill-down (getInstitutionExecution) rolled up by the same calculator.
 *   Nothing agreed in force: null. The item says so; it is never closed by it.
 */
import { and, asc, count, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE } from '@vbp/contracts/enums';
import { FOLLOW_UP_EXPORT_ROW_CAP, type FollowUpCounts, type FollowUpFilterQuery, type FollowUpList, type FollowUpQuery, type FollowUpView } from '@vbp/contracts/follow-ups';
import type { Db } from '@vbp/db';
import { batches, followUps, institutions, varieties } from '@vbp/db/schema';
import { rollUpWithTotal } from '../calc/completion';
import { resolveThreshold } from '../settings';
import { executionRows, getInstitutionExecution } from './execution';
import { getRegion } from './regions';

/** The warning threshold of each region (its setting, or the default), as the execution page uses it. */
async function thresholdsOf(db: Db, regionCodes: readonly string[]): Promise<Map<string, number>> {
  const codes = [...new Set(regionCodes)];
  const used = await Promise.all(codes.map((code) => resolveThreshold(db, code, undefined)));
  return new Map(codes.map((code, i) => [code, used[i]!.threshold]));
}

function regionFilter(region: string): SQL | undefined {
  return region === NATION_CODE ? undefined : eq(followUps.regionCode, region);
}

function filters(query: FollowUpFilterQuery): SQL | undefined {
  return and(
    regionFilter(query.region),
    query.status ? eq(followUps.status, query.status) : undefined,
    query.reason ? eq(followUps.reason, query.reason) : undefined,
    query.city ? eq(institutions.cityCode, query.city) : undefined,
    query.batch ? eq(batches.code, query.batch) : undefined,
  );
}

const columns = {
  id: followUps.id,
  regionCode: followUps.regionCode,
  institutionId: institutions.id,
  institutionCode: institutions.code,
  institutionName: institutions.name,
  cityCode: institutions.cityCode,
  cityName: institutions.cityName,
  varietyId: varieties.id,
  varietyNameZh: varieties.nameZh,
  dosageFormGroup: varieties.dosageFormGroup,
  batchCode: batches.code,
  batchNameZh: batches.nameZh,
  reason: followUps.reason,
  note: followUps.note,
  dueOn: followUps.dueOn,
  status: followUps.status,
  createdBy: followUps.createdBy,
  createdAt: followUps.createdAt,
  updatedBy: followUps.updatedBy,
  updatedAt: followUps.updatedAt,
  closedAt: followUps.closedAt,
};

function selectItems(db: Db) {
  return db
    .select(columns)
    .from(followUps)
    .innerJoin(institutions, and(eq(institutions.regionCode, followUps.regionCode), eq(institutions.id, followUps.institutionId)))
    .leftJoin(varieties, eq(varieties.id, followUps.varietyId))
    .leftJoin(batches, eq(batches.id, followUps.batchId));
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItems>['where']>>[number];

type Progress = { caughtUp: boolean; completion: number | null; timeProgress: number };

/**
 * Completion of each item not closed, by the execution page's rule (see the file's comment). An institution
 * as a whole is read from the execution page's own rollup by institution (one per region × batch asked, from
 * the summaries); an institution × variety from the institution's drill-down, its rows of that variety
 * rolled up with the same calculator.
 */
async function catchUp(db: Db, rows: readonly ItemRow[], date: IsoDate): Promise<Map<string, Progress>> {
  const open = rows.filter((r) => r.status !== 'closed');
  const thresholds = await thresholdsOf(db, open.map((r) => r.regionCode));
  const result = new Map<string, Progress>();
  const group = (items: readonly ItemRow[], key: (r: ItemRow) => string) => {
    const groups = new Map<string, ItemRow[]>();
    for (const r of items) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    return [...groups.values()];
  };
  for (const items of group(open.filter((r) => r.varietyId === null), (r) => `${r.regionCode}/${r.batchCode ?? ''}`)) {
    const { regionCode, batchCode } = items[0]!;
    const threshold = thresholds.get(regionCode)!;
    const { rows: rollup } = await executionRows(db, { region: regionCode, date, threshold, by: 'institution', sort: 'gap', batch: batchCode ?? undefined });
    // the rollup by institution names its rows by the institution's id
    const byInstitution = new Map(rollup.map((r) => [r.id, r]));
    for (const item of items) {
      const row = byInstitution.get(String(item.institutionId));
      if (row && row.completion !== null) result.set(`${item.regionCode}/${item.id}`, { caughtUp: !row.behind, completion: row.completion, timeProgress: row.timeProgress });
    }
  }
  for (const items of group(open.filter((r) => r.varietyId !== null), (r) => `${r.regionCode}/${r.institutionId}`)) {
    const first = items[0]!;
    const threshold = thresholds.get(first.regionCode)!;
    // one drill-down per institution (its purchases, by the purchases key), whatever its items ask
    const execution = await getInstitutionExecution(db, { id: first.institutionId, region: first.regionCode, date, threshold });
    for (const item of items) {
      const rows = execution.rows.filter((r) => r.varietyId === item.varietyId && (item.batchCode === null || r.batchCode === item.batchCode));
      const { total } = rollUpWithTotal(
        rows.map((r) => ({ key: 'item', purchased: r.purchased, agreed: r.agreed, periodStart: r.periodStart, periodEnd: r.periodEnd })),
        date,
        threshold,
      );
      if (total && total.completion !== null) result.set(`${item.regionCode}/${item.id}`, { caughtUp: !total.behind, completion: total.completion, timeProgress: total.timeProgress });
    }
  }
  return result;
}

function toView(r: ItemRow, date: IsoDate, progress: Progress | undefined): FollowUpView {
  return {
    id: r.id,
    regionCode: r.regionCode,
    institution: { id: r.institutionId, code: r.institutionCode, name: r.institutionName, cityCode: r.cityCode, cityName: r.cityName },
    variety: r.varietyId === null ? null : { id: r.varietyId, nameZh: r.varietyNameZh!, dosageFormGroup: r.dosageFormGroup },
    batch: r.batchCode === null ? null : { code: r.batchCode, nameZh: r.batchNameZh! },
    reason: r.reason,
    note: r.note,
    dueOn: r.dueOn,
    status: r.status,
    overdue: r.status !== 'closed' && r.dueOn < date,
    caughtUp: progress?.caughtUp ?? null,
    completion: progress?.completion ?? null,
    timeProgress: progress?.timeProgress ?? null,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  };
}

async function views(db: Db, rows: readonly ItemRow[], date: IsoDate): Promise<FollowUpView[]> {
  const progress = await catchUp(db, rows, date);
  return rows.map((r) => toView(r, date, progress.get(`${r.regionCode}/${r.id}`)));
}

/** Open (not closed) and overdue items of a region (100000: every province), as of `date`. */
export async function followUpCounts(db: Db, region: string, date: IsoDate = todayInChina()): Promise<FollowUpCounts> {
  const [row] = await db
    .select({
      open: count(),
      overdue: sql<number>`count(*) filter (where ${followUps.dueOn} < ${date}::date)`.mapWith(Number),
    })
    .from(followUps)
    .where(and(regionFilter(region), ne(followUps.status, 'closed')));
  return { open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
}

/** Not closed first, then by due date (soonest first), newest last. */
const ORDER = [sql`${followUps.status} = 'closed'`, asc(followUps.dueOn), desc(followUps.id)];

/** GET /api/follow-ups: a page of the filter, the counts of the region and the filter options. */
export async function listFollowUps(db: Db, query: FollowUpQuery): Promise<FollowUpList> {
  const region = await getRegion(db, query.region);
  const date = query.date ?? todayInChina();
  const where = filters({ ...query, region: region.code });
  const [rows, [total], counts, options, used] = await Promise.all([
    selectItems(db)
      .where(where)
      .orderBy(...ORDER)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ n: count() })
      .from(followUps)
      .innerJoin(institutions, and(eq(institutions.regionCode, followUps.regionCode), eq(institutions.id, followUps.institutionId)))
      .leftJoin(batches, eq(batches.id, followUps.batchId))
      .where(where),
    followUpCounts(db, region.code, date),
    filterOptions(db, region.code),
    resolveThreshold(db, region.code, undefined),
  ]);
  return {
    region: region.code,
    date,
    ...used,
    items: await views(db, rows, date),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
    counts,
    options,
  };
}

async function filterOptions(db: Db, region: string): Promise<FollowUpList['options']> {
  const [cities, batchOptions] = await Promise.all([
    db
      .selectDistinct({ value: sql<string>`${institutions.cityCode}::text`, label: sql<string>`coalesce(${institutions.cityName}, ${institutions.cityCode}::text)` })
      .from(followUps)
      .innerJoin(institutions, and(eq(institutions.regionCode, followUps.regionCode), eq(institutions.id, followUps.institutionId)))
      .where(and(regionFilter(region), sql`${institutions.cityCode} is not null`))
      .orderBy(sql`1`),
    db
      .selectDistinct({ value: batches.code, label: batches.nameZh })
      .from(followUps)
      .innerJoin(batches, eq(batches.id, followUps.batchId))
      .where(regionFilter(region))
      .orderBy(batches.code),
  ]);
  return { cities, batches: batchOptions };
}

/** One item as the list shows it (after a write). */
export async function getFollowUp(db: Db, region: string, id: number, date: IsoDate = todayInChina()): Promise<FollowUpView | null> {
  const rows = await selectItems(db).where(and(eq(followUps.regionCode, region), eq(followUps.id, id)));
  const [view] = await views(db, rows, date);
  return view ?? null;
}

/** Every item of the filter for the export, at most FOLLOW_UP_EXPORT_ROW_CAP, with how many matched. */
export async function exportFollowUps(db: Db, query: FollowUpFilterQuery) {
  const region = await getRegion(db, query.region);
  const date = query.date ?? todayInChina();
  const where = filters({ ...query, region: region.code });
  const [rows, [total]] = await Promise.all([
    selectItems(db).where(where).orderBy(...ORDER).limit(FOLLOW_UP_EXPORT_ROW_CAP),
    db
      .select({ n: count() })
      .from(followUps)
      .innerJoin(institutions, and(eq(institutions.regionCode, followUps.regionCode), eq(institutions.id, followUps.institutionId)))
      .leftJoin(batches, eq(batches.id, followUps.batchId))
      .where(where),
  ]);
  const used = await resolveThreshold(db, region.code, undefined);
  return { region: region.code, date, ...used, rows: await views(db, rows, date), total: total?.n ?? 0, cap: FOLLOW_UP_EXPORT_ROW_CAP };
}
