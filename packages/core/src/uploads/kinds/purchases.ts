/**
 * Monthly purchases (月度采购): institution × product (by its NHSA code) × month. Built for a
 * 1,000,000-row file: rows are resolved against in-memory maps of the region's institutions and the
 * product catalogue and COPYed, as they are read, into a staging table of the upload's own (unlogged, no
 * index: `staged_purchases_<id>`, shaped like `staged_purchases`), dropped at commit or discard at no
 * cost; duplicates and the preview (new / changed / unchanged) are computed in SQL; the commit is one
 * INSERT … SELECT … ON CONFLICT that first keeps the values it overwrites (purchase_revisions), which a
 * revert puts back.
 */
import { eq, isNotNull, sql } from 'drizzle-orm';
import { monthStart } from '@vbp/contracts/dates';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { UploadIssue } from '@vbp/contracts/uploads';
import { copyRows, selectRows, type Database } from '@vbp/db';
import { institutions, products } from '@vbp/db/schema';
import { DomainError } from '../../errors';
import { RowQueue } from '../row-queue';
import { referenceIssue, rowProblem, text } from '../issues';
import type { KindHandler, UploadContext } from '../types';

const STAGED_COLUMNS = ['upload_id', 'row_number', 'region_code', 'institution_id', 'product_id', 'month', 'quantity', 'amount'] as const;
/** Duplicate keys listed in the report at most (the count says how many more). */
const DUPLICATES_LISTED = 200;

export function requireProvince(upload: UploadContext): string {
  if (!upload.regionCode || upload.regionCode === NATION_CODE)
    throw new DomainError('INVALID_INPUT', 'Say which province the data is for (region)', '请指定数据所属省份（region）');
  return upload.regionCode;
}

type StagedRow = (string | number | null)[];

/**
 * Loads checked rows into the staging table. On PostgreSQL: one COPY for the whole file, fed through a
 * queue (a COPY per batch costs ~60 ms of setup each). On PGlite a COPY holds the only connection, which
 * progress updates also need, so each batch is its own short COPY there.
 */
function stager(database: Database, uploadId: number) {
  const table = `staged_purchases_${uploadId}`;
  if (database.kind === 'pglite')
    return {
      push: async (rows: StagedRow[]) => void (rows.length && (await copyRows(database, table, STAGED_COLUMNS, rows))),
      finish: async () => {},
    };
  const queue = new RowQueue<StagedRow>();
  const copying = copyRows(database, table, STAGED_COLUMNS, queue).catch((err: unknown) => {
    queue.fail(err);
    throw err;
  });
  copying.catch(() => {});
  return {
    push: (rows: StagedRow[]) => queue.push(rows),
    finish: async () => {
      queue.close();
      await copying;
    },
  };
}

/** The upload's staging table (its name is built from the integer id only). */
function staging(uploadId: number) {
  if (!Number.isInteger(uploadId)) throw new Error('bad upload id');
  return sql.identifier(`staged_purchases_${uploadId}`);
}

export const purchasesHandler: KindHandler = {
  tables: ['purchases'],
  async validate(database, upload) {
    const region = requireProvince(upload);
    const db = database.db;
    const table = staging(upload.id);
    await db.execute(sql`drop table if exists ${table}`);
    await db.execute(sql`create unlogged table ${table} (like staged_purchases)`);
    const [institutionRows, productRows] = await Promise.all([
      db.select({ id: institutions.id, code: institutions.code }).from(institutions).where(eq(institutions.regionCode, region)),
      db.select({ id: products.id, code: products.nhsaCode }).from(products).where(isNotNull(products.nhsaCode)),
    ]);
    const institutionByCode = new Map(institutionRows.map((r) => [r.code, r.id]));
    const productByCode = new Map(productRows.map((r) => [r.code!, r.id]));
    const stage = stager(database, upload.id);

    return {
      async accept(rows) {
        const errors: UploadIssue[] = [];
        const warnings: UploadIssue[] = [];
        const valid: StagedRow[] = [];
        for (const { rowNumber, values } of rows) {
          const institutionCode = text(values.institutionCode);
          const nhsaCode = text(values.nhsaCode);
          const institutionId = institutionCode ? institutionByCode.get(institutionCode) : undefined;
          const productId = nhsaCode ? productByCode.get(nhsaCode) : undefined;
          let ok = true;
          if (institutionId === undefined) {
            ok = false;
            errors.push(referenceIssue(rowNumber, upload.header('institutionCode'), institutionCode, 'UNKNOWN_INSTITUTION', `is not an institution of region ${region}`, `不是本省（${region}）已登记的医疗机构编码`));
          }
          if (productId === undefined) {
            ok = false;
            errors.push(referenceIssue(rowNumber, upload.header('nhsaCode'), nhsaCode, 'UNKNOWN_PRODUCT', 'is not a known NHSA product code', '不是已登记产品的医保编码'));
          }
          const quantity = text(values.quantity);
          if (quantity !== null && quantity.startsWith('-'))
            warnings.push(referenceIssue(rowNumber, upload.header('quantity'), quantity, 'NEGATIVE_QUANTITY', 'is negative (a return?)', '为负数（是否为退货？）'));
          const month = text(values.month);
          if (!ok || quantity === null || month === null) continue;
          valid.push([upload.id, rowNumber, region, institutionId!, productId!, monthStart(month), quantity, text(values.amount)]);
        }
        await stage.push(valid);
        return { errors, warnings };
      },

      dispose: () => stage.finish().catch(() => {}),

      async summarize() {
        await stage.finish();
        const duplicates = await selectRows<{ rows: number[]; n: number }>(
          db,
          sql`select array_agg(row_number order by row_number) as "rows", count(*) over ()::int as "n"
              from ${table}
              group by institution_id, product_id, month having count(*) > 1
              order by min(row_number) limit ${DUPLICATES_LISTED}`,
        );
        const [diff] = await selectRows<{ new: number; changed: number; unchanged: number }>(
          db,
          sql`select count(*) filter (where p.month is null)::int as "new",
                     count(*) filter (where p.month is not null and (p.quantity <> s.quantity or p.amount is distinct from s.amount))::int as "changed",
                     count(*) filter (where p.month is not null and p.quantity = s.quantity and p.amount is not distinct from s.amount)::int as "unchanged"
              from ${table} s
              left join purchases p on p.region_code = s.region_code and p.institution_id = s.institution_id and p.product_id = s.product_id and p.month = s.month`,
        );
        const errors = duplicates.map((d) =>
          rowProblem(d.rows[0]!, 'DUPLICATE_ROW', `the same institution, product and month is also on row(s) ${d.rows.slice(1).join(', ')}`, `与第 ${d.rows.slice(1).join('、')} 行的医疗机构、产品和月份重复`),
        );
        return { counts: { new: diff?.new ?? 0, changed: diff?.changed ?? 0, unchanged: diff?.unchanged ?? 0 }, errors, moreErrors: Math.max(0, (duplicates[0]?.n ?? 0) - duplicates.length) };
      },
    };
  },

  async commit(tx, _database, upload) {
    const table = staging(upload.id);
    const insert = sql`
      insert into purchases (region_code, institution_id, product_id, month, quantity, amount, upload_id, is_synthetic)
      select region_code, institution_id, product_id, month, quantity, amount, ${upload.id}, false
      from ${table}`;
    // Fast path: the preview found only new rows, so there is nothing to keep for a revert and no conflict
    // to resolve. If rows arrived since (another upload), the plain insert fails on the key and the
    // savepoint falls back to the full path.
    if ((upload.counts.changed ?? 0) === 0 && (upload.counts.unchanged ?? 0) === 0) {
      const fast = await tx
        .transaction(async (savepoint) => {
          await savepoint.execute(insert);
          return true;
        })
        .catch((err: unknown) => {
          if ((err as { cause?: { code?: string }; code?: string }).cause?.code === '23505' || (err as { code?: string }).code === '23505') return false;
          throw err;
        });
      if (fast) {
        await tx.execute(sql`drop table ${table}`);
        return;
      }
    }
    await tx.execute(sql`
      insert into purchase_revisions (upload_id, region_code, institution_id, product_id, month, quantity, amount, previous_upload_id, is_synthetic)
      select ${upload.id}, p.region_code, p.institution_id, p.product_id, p.month, p.quantity, p.amount, p.upload_id, p.is_synthetic
      from purchases p
      join ${table} s on p.region_code = s.region_code and p.institution_id = s.institution_id and p.product_id = s.product_id and p.month = s.month`);
    await tx.execute(sql`${insert}
      on conflict (region_code, institution_id, product_id, month)
      do update set quantity = excluded.quantity, amount = excluded.amount, upload_id = excluded.upload_id, is_synthetic = false`);
    await tx.execute(sql`drop table ${table}`);
  },

  async revert(tx, upload) {
    await tx.execute(sql`delete from purchases where upload_id = ${upload.id}`);
    await tx.execute(sql`
      insert into purchases (region_code, institution_id, product_id, month, quantity, amount, upload_id, is_synthetic)
      select region_code, institution_id, product_id, month, quantity, amount, previous_upload_id, is_synthetic
      from purchase_revisions where upload_id = ${upload.id}`);
    await tx.execute(sql`delete from purchase_revisions where upload_id = ${upload.id}`);
  },

  async discard(db, uploadId) {
    await db.execute(sql`drop table if exists ${staging(uploadId)}`);
  },
};

