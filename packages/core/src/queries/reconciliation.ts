import { sql } from 'drizzle-orm';
import type { CutStats } from '@vbp/contracts/api';
import { todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE, type ProductType } from '@vbp/contracts/enums';
import type { Reconciliation, ReconciliationItem, ReconciliationTargetRef } from '@vbp/contracts/reconciliation';
import { selectRows, type Db } from '@vbp/db';
import { figureMeasure, reconcileFigure, sortFigures, type BatchFacts } from '../calc/reconciliation';
import { getBatch } from './batches';
import { regionCuts } from './overview';
import { listPublishedFigures } from './published-figures';
import { getRegion, listRegions } from './regions';
import { DOCUMENT_COLUMNS, withSource, type SourceColumns } from './source-ref';
import { coverageFactsCache } from './targets';

/** Announcement dates and loaded price lists of every batch (a short table: one row per batch). */
async function loadBatchFacts(db: Db): Promise<Map<string, BatchFacts>> {
  const rows = await selectRows<BatchFacts>(
    db,
    sql`select b.code as "code", b.announced_on::text as "announcedOn",
               count(sp.id)::int as "productCount", count(sp.reference_price)::int as "pricedCount"
        from batches b left join selected_products sp on sp.batch_id = b.id
        group by b.id`,
  );
  return new Map(rows.map((r) => [r.code, r]));
}

type TargetRefRow = Omit<ReconciliationTargetRef, 'source'> & SourceColumns;

/** The regions' own targets (not the national per-province ones): numbers in their documents that are goals, not results. */
async function targetRefs(db: Db, regionCodes: readonly string[] | null): Promise<ReconciliationTargetRef[]> {
  if (regionCodes !== null && regionCodes.length === 0) return [];
  const where = regionCodes === null ? sql`true` : sql`t.region_code in (${sql.join(regionCodes.map((c) => sql`${c}`), sql`, `)})`;
  const rows = await selectRows<TargetRefRow>(
    db,
    sql`select t.code as "code", t.region_code as "regionCode", t.product_type as "productType", t.unit as "unit", t.count as "count",
               t.due_on::text as "dueOn", ${DOCUMENT_COLUMNS}, t.clause as "clause"
        from targets t left join source_documents d on d.id = t.document_id
        where t.scope = 'region' and ${where}
        order by t.region_code, t.product_type, t.due_on, t.code`,
  );
  return rows.map(withSource);
}

/** Memoised loads: the region's cuts at a date (regionCuts: the overview's own figures) and a batch's cuts. */
function cutsCache(db: Db) {
  const regional = new Map<string, Promise<Record<ProductType, CutStats>>>();
  const batches = new Map<string, Promise<CutStats>>();
  return {
    region(region: string, date: IsoDate, type: ProductType): Promise<CutStats> {
      const key = `${region}|${date}`;
      let cuts = regional.get(key);
      if (!cuts) {
        cuts = regionCuts(db, region, date);
        regional.set(key, cuts);
      }
      return cuts.then((c) => c[type]);
    },
    batch(code: string): Promise<CutStats> {
      let cuts = batches.get(code);
      if (!cuts) {
        cuts = getBatch(db, code).then((b) => b.cuts);
        batches.set(code, cuts);
      }
      return cuts;
    },
  };
}

/**
 * Every figure the documents publish for the region (or, with `readable`, for every region the caller may
 * read), each beside what the data computes for the same region, scope and date (see calc/reconciliation.ts),
 * and the regions' own targets, which are goals rather than published results.
 */
export async function getReconciliation(
  db: Db,
  params: { region?: string | undefined; date?: IsoDate | undefined; readable: (regionCode: string) => boolean },
): Promise<Reconciliation> {
  const viewDate = params.date ?? todayInChina();
  if (params.region !== undefined) await getRegion(db, params.region);
  const [regions, allFigures, batchFacts] = await Promise.all([
    listRegions(db),
    listPublishedFigures(db, params.region === undefined ? {} : { regionCode: params.region }),
    loadBatchFacts(db),
  ]);
  const regionOrder = new Map(regions.map((r, i) => [r.code, i]));
  // A figure without a region belongs to its batch (national data): everyone reads the nation.
  const figures = sortFigures(
    allFigures.filter((f) => params.readable(f.regionCode ?? NATION_CODE)),
    regionOrder,
  );
  const facts = coverageFactsCache(db, { allRegions: params.region === undefined });
  const cuts = cutsCache(db);

  const items = await Promise.all(
    figures.map(async (figure): Promise<ReconciliationItem> => {
      const measure = figureMeasure(figure);
      const region = figure.regionCode ?? NATION_CODE;
      const asOf = figure.asOf ?? viewDate;
      const type = measure.kind === 'coverage' || measure.kind === 'batch_count' || measure.kind === 'region_cut' ? measure.productType : null;
      const [regionFacts, atFigure, now] = await Promise.all([
        type === null ? null : facts(region, type),
        measure.kind === 'region_cut' ? cuts.region(region, asOf, measure.productType) : measure.kind === 'batch_cut' ? cuts.batch(measure.batchCode) : null,
        measure.kind === 'region_cut' ? cuts.region(region, viewDate, measure.productType) : measure.kind === 'batch_cut' ? cuts.batch(measure.batchCode) : null,
      ]);
      return reconcileFigure({ figure, asOf, viewDate, facts: regionFacts, batches: batchFacts, cuts: { atFigure, now } });
    }),
  );

  const targetRegions = params.region !== undefined ? [params.region] : regions.map((r) => r.code).filter(params.readable);
  return { region: params.region ?? null, date: viewDate, items, targets: await targetRefs(db, targetRegions) };
}
