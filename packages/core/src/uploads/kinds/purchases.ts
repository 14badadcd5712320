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
import { copyRows, distributeLike, selectRows, type Database, type Db, type Tx } from '@vbp/db';
import { institutions, products } from '@vbp/db/schema';
import { DomainError } from '../../errors';
import { applyPurchaseDeltas } from '../../summaries/maintain';
import { RowQueue } from '../row-queue';
import { referenceIssue, rowProblem, text } from '../issues';
import type { KindHandler, UploadContext } from '../types';

const STAGED_COLUMNS = ['upload_id', 'row_number', 'region_code', 'institution_id', 'product_id', 'month', 'quantity', 'amount'] as const;
/** Duplicate keys listed in the report at most (the count says how many more). */
const DUPLICATES_LISTED = 200;
/**
 * Row numbers a commit writes per statement: progress is reported, and a stop honoured, between them
 * (about a second's work on either engine; readers are served meanwhile from the server's other sessions
 * or, on PGlite, from a snapshot on another thread).
 */
const SLICE_ROWS = 100_000;

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
  tables: ['purchases', 'execution_months', 'execution_savings', 'execution_unvalued', 'purchase_months'],
  async validate(database, upload) {
    const region = requireProvince(upload);
    const db = database.db;
    const table = staging(upload.id);
    await db.execute(sql`drop table if exists ${table}`);
    await db.execute(sql`create unlogged table ${table} (like staged_purchases)`);
    // On a Citus cluster its shards sit beside the purchases', so the commit moves rows within each shard.
    await distributeLike(db, `staged_purchases_${upload.id}`, 'purchases');
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
        // the keys found more than once first, then their rows: collecting every key's row numbers to keep the
        // few duplicated ones took twice as long (200,000 rows: 607 → 332 ms)
        const duplicates = await selectRows<{ rows: number[]; n: number }>(
          db,
          sql`with twice as (select region_code, institution_id, product_id, month from ${table} group by 1, 2, 3, 4 having count(*) > 1)
              select array_agg(s.row_number order by s.row_number) as "rows", count(*) over ()::int as "n"
              from ${table} s
              join twice t on t.region_code = s.region_code and t.institution_id = s.institution_id and t.product_id = s.product_id and t.month = s.month
              group by s.region_code, s.institution_id, s.product_id, s.month
              order by min(s.row_number) limit ${DUPLICATES_LISTED}`,
        );
        const [diff] = await selectRows<{ new: number; changed: number; unchanged: number }>(
          db,
          sql`select count(*) filter (where p.month is null)::int as "new",
                     count(*) filter (where p.month is not null and (p.quantity <> s.quantity or p.amount is distinct from s.amount))::int as "changed",
                     count(*) filter (where p.month is not null and p.quantity = s.quantity and p.amount is not distinct from s.amount)::int as "unchanged"
              from ${table} s
              left join purchases p on p.region_code = s.region_code and p.institution_id = s.institution_id and p.product_id = s.product_id and p.month = s.month`,
        );
        // the commit writes slices of row numbers: a BRIN index finds each slice without reading the table
        await db.execute(sql`create index on ${table} using brin (row_number)`);
        const state = await stagedState(db, upload.id);
        const errors = duplicates.map((d) =>
          rowProblem(d.rows[0]!, 'DUPLICATE_ROW', `the same institution, product and month is also on row(s) ${d.rows.slice(1).join(', ')}`, `与第 ${d.rows.slice(1).join('、')} 行的医疗机构、产品和月份重复`),
        );
        return {
          counts: { new: diff?.new ?? 0, changed: diff?.changed ?? 0, unchanged: diff?.unchanged ?? 0 },
          errors,
          moreErrors: Math.max(0, (duplicates[0]?.n ?? 0) - duplicates.length),
          stagedChecksum: state!.checksum,
        };
      },
    };
  },

  async commit(tx, database, upload) {
    const table = staging(upload.id);
    const promise = upload.promise!;
    // the proof: the staging still holds exactly the rows validation checked (an unlogged table is emptied
    // by a database crash; a table can be dropped)
    const staged = await stagedState(tx, upload.id);
    if (!staged || staged.rows !== promise.rows || staged.checksum !== promise.checksum) throw stagingLost(upload.id, promise.rows, staged?.rows ?? null);
    await upload.ensureDatabaseSpace(promise.rows * purchasesHandler.bytesPerRow);

    const [range] = await selectRows<{ lo: number | null; hi: number | null }>(tx, sql`select min(row_number) as "lo", max(row_number) as "hi" from ${table}`);
    /**
     * Writes the staged rows in slices of row numbers, so that the job reports progress and can stop between
     * them. `upsert`: rows may exist; the ones replaced are kept for a revert first.
     */
    const writeAll = async (db: Tx, upsert: boolean) => {
      let written = 0;
      for (let from = range?.lo ?? 0; range?.hi != null && from <= range.hi; from += SLICE_ROWS) {
        upload.job.checkpoint();
        const slice = sql`s.row_number >= ${from} and s.row_number < ${from + SLICE_ROWS}`;
        if (upsert)
          await db.execute(sql`
            insert into purchase_revisions (upload_id, region_code, institution_id, product_id, month, quantity, amount, previous_upload_id, is_synthetic)
            select ${upload.id}, p.region_code, p.institution_id, p.product_id, p.month, p.quantity, p.amount, p.upload_id, p.is_synthetic
            from purchases p
            join ${table} s on p.region_code = s.region_code and p.institution_id = s.institution_id and p.product_id = s.product_id and p.month = s.month
            where ${slice}`);
        const [done] = await selectRows<{ n: number }>(
          db,
          sql`with written as (
                insert into purchases (region_code, institution_id, product_id, month, quantity, amount, upload_id, is_synthetic)
                select s.region_code, s.institution_id, s.product_id, s.month, s.quantity, s.amount, ${upload.id}, false
                from ${table} s where ${slice}
                ${upsert ? sql`on conflict (region_code, institution_id, product_id, month)
                  do update set quantity = excluded.quantity, amount = excluded.amount, upload_id = excluded.upload_id, is_synthetic = false` : sql``}
                returning 1)
              select count(*)::int as "n" from written`,
        );
        written += done?.n ?? 0;
        upload.job.report({ phase: 'committing', done: written, total: promise.rows });
      }
      return written;
    };

    // Fast path: the preview found only new rows, so there is nothing to keep for a revert and no conflict
    // to resolve. If rows arrived since (another upload), the plain insert fails on the key and the
    // savepoint falls back to the full path.
    if ((upload.counts.changed ?? 0) === 0 && (upload.counts.unchanged ?? 0) === 0) {
      const fast = await tx
        .transaction((savepoint) => writeAll(savepoint, false))
        .catch((err: unknown) => {
          if (sqlState(err) === '23505') return null;
          throw err;
        });
      if (fast !== null) {
        // the summaries, in the same transaction: the new rows are what changed
        upload.job.report({ phase: 'summarising', done: fast, total: promise.rows });
        const summarising = performance.now();
        await applyPurchaseDeltas(tx, sql`select region_code, institution_id, product_id, month, quantity, 1 as rows from ${table}`);
        upload.timings.summarisingMs = Math.round(performance.now() - summarising);
        await tx.execute(sql`drop table ${table}`);
        return fast;
      }
    }
    const written = await writeAll(tx, true);
    // the summaries: the new values in, the values they replaced (kept for a revert) out
    upload.job.report({ phase: 'summarising', done: written, total: promise.rows });
    const summarising = performance.now();
    await applyPurchaseDeltas(
      tx,
      sql`select region_code, institution_id, product_id, month, quantity, 1 as rows from ${table}
          union all
          select region_code, institution_id, product_id, month, -quantity, -1 from purchase_revisions where upload_id = ${upload.id}`,
    );
    upload.timings.summarisingMs = Math.round(performance.now() - summarising);
    await tx.execute(sql`drop table ${table}`);
    return written;
  },

  async revert(tx, upload) {
    // the summaries first, while the upload's rows are still there: its rows out, the kept ones back in
    await applyPurchaseDeltas(
      tx,
      sql`select region_code, institution_id, product_id, month, -quantity as quantity, -1 as rows from purchases where upload_id = ${upload.id}
          union all
          select region_code, institution_id, product_id, month, quantity, 1 from purchase_revisions where upload_id = ${upload.id}`,
    );
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

  async stagedRows(db, uploadId) {
    if (!(await stagingExists(db, uploadId))) return null;
    const [row] = await selectRows<{ n: number }>(db, sql`select count(*)::int as "n" from ${staging(uploadId)}`);
    return row?.n ?? 0;
  },

  // measured (test/faults/long-writes): a million purchases grow the embedded database by ~430 MB, ~500 MB
  // at the peak of the commit (heap, key, indexes and write-ahead log)
  bytesPerRow: 550,
};

/** A checksum of staged rows: order-independent, so it can be computed in one pass over an unordered table. */
const STAGED_CHECKSUM = sql.raw(`coalesce(sum(('x' || left(md5(concat_ws('|', row_number, institution_id, product_id, month, quantity, amount)), 15))::bit(60)::bigint::numeric), 0)::text`);

async function stagingExists(db: Db, uploadId: number): Promise<boolean> {
  const [row] = await selectRows<{ found: boolean }>(db, sql`select to_regclass(${`staged_purchases_${uploadId}`}) is not null as "found"`);
  return row?.found ?? false;
}

/** The staged rows' count and checksum, or null when the staging table is gone. */
async function stagedState(db: Db, uploadId: number): Promise<{ rows: number; checksum: string } | null> {
  if (!(await stagingExists(db, uploadId))) return null;
  const [row] = await selectRows<{ rows: number; checksum: string }>(db, sql`select count(*)::int as "rows", ${STAGED_CHECKSUM} as "checksum" from ${staging(uploadId)}`);
  return row ?? { rows: 0, checksum: '0' };
}

function stagingLost(uploadId: number, promised: number, staged: number | null): DomainError {
  const found = staged === null ? 'none (the staging table is gone)' : String(staged);
  return new DomainError(
    'UPLOAD_STALE',
    `The ${promised} rows checked at validation are no longer staged (found ${found}); the database was probably restarted since. Nothing was written: validate the stored file again, then commit.`,
    `校验时暂存的 ${promised} 行数据已不存在（现有 ${staged ?? 0} 行），数据库可能在此期间重启过。未写入任何数据：请对已上传的文件重新校验后再提交。`,
    { uploadId, reason: 'staging-lost', promised, staged },
  );
}

/** The SQLSTATE of a database error, however the driver wrapped it. */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++)
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

