import { asc, eq, or } from 'drizzle-orm';
import type { TargetView } from '@vbp/contracts/api';
import { addMonths, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE, type ProductType } from '@vbp/contracts/enums';
import type { Db } from '@vbp/db';
import { regions, sourceDocuments, targets } from '@vbp/db/schema';
import { computeCoverage, coverageSeries, dateReached, type CoverageFact } from '../calc/coverage';
import { evaluateTarget, expectedPath, type TargetSpec } from '../calc/targets';
import { loadCoverageFacts, loadCoverageFactsByRegion } from './coverage-facts';
import { getRegion } from './regions';
import { seriesDates } from './coverage';

/** How far back the projection looks (DOMAIN.md: fit the region's coverage over the last 24 months). */
export const PROJECTION_WINDOW_MONTHS = 24;

type TargetRow = Awaited<ReturnType<typeof selectTargets>>[number];

function selectTargets(db: Db, regionCode: string | undefined) {
  const query = db
    .select({
      id: targets.id,
      code: targets.code,
      ownerRegionCode: targets.regionCode,
      scope: targets.scope,
      productType: targets.productType,
      unit: targets.unit,
      count: targets.count,
      dueOn: targets.dueOn,
      dueAssumed: targets.dueAssumed,
      dueNote: targets.dueNote,
      setOn: targets.setOn,
      clause: targets.clause,
      note: targets.note,
      documentCode: sourceDocuments.code,
      titleZh: sourceDocuments.titleZh,
      issuer: sourceDocuments.issuer,
      issuedOn: sourceDocuments.issuedOn,
      url: sourceDocuments.url,
    })
    .from(targets)
    .leftJoin(sourceDocuments, eq(sourceDocuments.id, targets.documentId))
    .orderBy(asc(targets.regionCode), asc(targets.productType), asc(targets.dueOn), asc(targets.id));
  if (regionCode === undefined) return query;
  return query.where(
    regionCode === NATION_CODE
      ? eq(targets.regionCode, NATION_CODE)
      : or(eq(targets.regionCode, regionCode), eq(targets.scope, 'each_province')),
  );
}

/**
 * Loads coverage facts once per region × product type for a set of target evaluations; with
 * `allRegions`, once per product type for every region together.
 */
export function coverageFactsCache(db: Db, options: { allRegions?: boolean } = {}) {
  const cache = new Map<string, Promise<CoverageFact[]>>();
  const byType = new Map<ProductType, Promise<Map<string, CoverageFact[]>>>();
  return (region: string, type: ProductType) => {
    const key = `${region}:${type}`;
    let facts = cache.get(key);
    if (!facts) {
      if (options.allRegions && region !== NATION_CODE) {
        let all = byType.get(type);
        if (!all) {
          all = loadCoverageFactsByRegion(db, type);
          byType.set(type, all);
        }
        facts = all.then((m) => m.get(region) ?? []);
      } else {
        facts = loadCoverageFacts(db, region, type);
      }
      cache.set(key, facts);
    }
    return facts;
  };
}

export function evaluateTargetRow(row: TargetRow, regionCode: string, facts: readonly CoverageFact[] | null, asOf: IsoDate): TargetView {
  const baseline = facts ? computeCoverage(facts, row.setOn, row.unit).cumulative : 0;
  const spec: TargetSpec = { count: row.count, setOn: row.setOn, dueOn: row.dueOn, baseline };
  let progress: TargetView['progress'] = null;
  if (facts) {
    const current = computeCoverage(facts, asOf, row.unit).cumulative;
    const dates = seriesDates(facts, addMonths(asOf, -PROJECTION_WINDOW_MONTHS), asOf);
    const series = coverageSeries(facts, dates, row.unit).map((p) => ({ date: p.date, value: p.cumulative }));
    const evaluation = evaluateTarget({ target: spec, current, series, asOf });
    // a met target's date comes from the whole history, not from the projection window
    const metOn = evaluation.status === 'met' ? dateReached(facts, row.count, row.unit) : evaluation.projectedMetOn;
    progress = { asOf, current, baseline, ...evaluation, projectedMetOn: metOn };
  }
  return {
    id: row.id,
    code: row.code,
    ownerRegionCode: row.ownerRegionCode,
    regionCode,
    scope: row.scope,
    productType: row.productType,
    unit: row.unit,
    count: row.count,
    dueOn: row.dueOn,
    dueAssumed: row.dueAssumed,
    dueNote: row.dueNote,
    setOn: row.setOn,
    note: row.note,
    source: {
      documentCode: row.documentCode,
      titleZh: row.titleZh,
      issuer: row.issuer,
      issuedOn: row.issuedOn,
      url: row.url,
      clause: row.clause,
    },
    progress,
    expectedPath: expectedPath(spec),
  };
}

/**
 * Targets with progress, projection and status.
 * - For a province: its own targets and the national ones every province reports against.
 * - For the nation: the national targets; a per-province target has no single progress there (null).
 * - Without a region: every region's own targets, and each national per-province target evaluated
 *   for every province (and XPCC).
 */
export async function listTargets(db: Db, params: { region?: string | undefined; date?: IsoDate | undefined }): Promise<TargetView[]> {
  const asOf = params.date ?? todayInChina();
  if (params.region !== undefined) await getRegion(db, params.region);
  const rows = await selectTargets(db, params.region);
  const facts = coverageFactsCache(db, { allRegions: params.region === undefined });

  const evaluations: Promise<TargetView>[] = [];
  const evaluate = (row: TargetRow, region: string, withProgress: boolean) =>
    evaluations.push((withProgress ? facts(region, row.productType) : Promise.resolve(null)).then((f) => evaluateTargetRow(row, region, f, asOf)));

  const provinces =
    params.region === undefined
      ? (await db.select({ code: regions.code }).from(regions).orderBy(asc(regions.sortOrder))).map((r) => r.code).filter((c) => c !== NATION_CODE)
      : [];

  for (const row of rows) {
    if (row.scope === 'region') evaluate(row, row.ownerRegionCode, true);
    else if (params.region === undefined) for (const code of provinces) evaluate(row, code, true);
    else if (params.region === NATION_CODE) evaluate(row, NATION_CODE, false);
    else evaluate(row, params.region, true);
  }
  return Promise.all(evaluations);
}
