import { sql, type SQL } from 'drizzle-orm';
import type { PublishedFigure } from '@vbp/contracts/api';
import { selectRows, type Db } from '@vbp/db';
import { DOCUMENT_COLUMNS, withSource, type SourceColumns } from './source-ref';

type FigureRow = Omit<PublishedFigure, 'source'> & SourceColumns;

/** Figures the documents publish, for a region or a batch, with their source. */
export async function listPublishedFigures(db: Db, filter: { regionCode?: string; batchId?: number }): Promise<PublishedFigure[]> {
  const conditions: SQL[] = [];
  if (filter.regionCode !== undefined) conditions.push(sql`f.region_code = ${filter.regionCode}`);
  if (filter.batchId !== undefined) conditions.push(sql`f.batch_id = ${filter.batchId}`);
  const where = conditions.length ? sql.join(conditions, sql` and `) : sql`true`;
  const rows = await selectRows<FigureRow>(
    db,
    sql`select f.code as "code", f.region_code as "regionCode", b.code as "batchCode", f.metric as "metric",
               f.product_type as "productType", f.comparator as "comparator", trim_scale(f.value)::text as "value", f.unit as "unit",
               f.as_of::text as "asOf", f.source_url as "sourceUrl", f.note as "note", f.clause as "clause",
               ${DOCUMENT_COLUMNS}
        from published_figures f
        left join batches b on b.id = f.batch_id
        left join source_documents d on d.id = f.document_id
        where ${where}
        order by f.as_of nulls last, f.code`,
  );
  return rows.map(withSource);
}
