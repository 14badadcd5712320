/**
 * Agreed volumes (约定采购量): institution × variety (or product) × contract year of a batch in one
 * province. Contract year N runs 12 months from the batch's implementation start in the province plus
 * N − 1 years, cut at the contract end. Institutions not yet known are created from the file (code and
 * name) and removed again by a revert when nothing else uses them. Upserted on the natural key, with the
 * replaced rows snapshotted.
 */
import { eq, sql } from 'drizzle-orm';
import { addDays, addMonths, minDate } from '@vbp/contracts/dates';
import type { UploadIssue } from '@vbp/contracts/uploads';
import { refreshStatistics, selectRows, type Db } from '@vbp/db';
import { institutions, products } from '@vbp/db/schema';
import { referenceIssue, rowProblem, text } from '../issues';
import { capturePairs, recomputeSummaries } from '../../summaries/maintain';
import { restoreRows, snapshotRows } from '../snapshots';
import type { KindHandler, ParsedRow, UploadContext } from '../types';
import { genericMatchKey } from '../variety-match';
import { requireProvince } from './purchases';

interface Planned {
  rowNumber: number;
  institutionCode: string;
  institutionName: string | null;
  batchId: number;
  varietyId: number;
  productId: number | null;
  contractYear: number;
  periodStart: string;
  periodEnd: string;
  quantity: string;
  unit: string | null;
}

interface Lookups {
  region: string;
  batchByCode: Map<string, { id: number; startOn: string | null; contractEndOn: string | null }>;
  /** batch id → match key of a variety's name|form (and name alone) → variety id */
  varietiesOf: Map<number, Map<string, number>>;
  productByCode: Map<string, { id: number; varietyId: number }>;
  institutionByCode: Map<string, number>;
  defaultBatch: string | null;
}

async function lookups(db: Db, upload: UploadContext): Promise<Lookups> {
  const region = requireProvince(upload);
  const batchRows = await selectRows<{ id: number; code: string; startOn: string | null; contractEndOn: string | null }>(
    db,
    sql`select b.id as "id", b.code as "code", i.start_on::text as "startOn", i.contract_end_on::text as "contractEndOn"
        from batches b left join implementations i on i.batch_id = b.id and i.region_code = ${region}`,
  );
  const links = await selectRows<{ batchId: number; varietyId: number; nameZh: string; form: string | null }>(
    db,
    sql`select bv.batch_id as "batchId", v.id as "varietyId", v.name_zh as "nameZh", v.dosage_form_group as "form"
        from batch_varieties bv join varieties v on v.id = bv.variety_id where bv.outcome = 'selected' and not v.is_placeholder`,
  );
  const varietiesOf = new Map<number, Map<string, number>>();
  for (const l of links) {
    const map = varietiesOf.get(l.batchId) ?? new Map<string, number>();
    map.set(`${genericMatchKey(l.nameZh)}|${l.form ?? ''}`, l.varietyId);
    map.set(genericMatchKey(l.nameZh), l.varietyId);
    varietiesOf.set(l.batchId, map);
  }
  const productRows = await db.select({ id: products.id, code: products.nhsaCode, varietyId: products.varietyId }).from(products);
  const institutionRows = await db.select({ id: institutions.id, code: institutions.code }).from(institutions).where(eq(institutions.regionCode, region));
  const defaultBatch = upload.batchId === null ? null : (batchRows.find((b) => b.id === upload.batchId)?.code ?? null);
  return {
    region,
    batchByCode: new Map(batchRows.map((b) => [b.code, b])),
    varietiesOf,
    productByCode: new Map(productRows.filter((p) => p.code).map((p) => [p.code!, p])),
    institutionByCode: new Map(institutionRows.map((r) => [r.code, r.id])),
    defaultBatch,
  };
}

/** Checks rows and turns them into planned agreed volumes. */
function planner(l: Lookups, upload: UploadContext) {
  const seen = new Map<string, number>();
  const newInstitutions = new Map<string, string | null>();
  return {
    newInstitutions,
    plan(rows: readonly ParsedRow[]) {
      const errors: UploadIssue[] = [];
      const planned: Planned[] = [];
      for (const { rowNumber, values } of rows) {
        const institutionCode = text(values.institutionCode);
        const batchCode = text(values.batchCode) ?? l.defaultBatch;
        const generic = text(values.genericName);
        const quantity = text(values.quantity);
        const year = Number(text(values.contractYear));
        if (!institutionCode || !generic || !quantity || !Number.isInteger(year)) continue;
        const batch = batchCode ? l.batchByCode.get(batchCode) : undefined;
        if (!batch) {
          errors.push(referenceIssue(rowNumber, upload.header('batchCode'), batchCode, 'UNKNOWN_BATCH', 'is not a known batch code', '不是已登记的批次编号'));
          continue;
        }
        if (!batch.startOn) {
          errors.push(referenceIssue(rowNumber, upload.header('batchCode'), batchCode, 'NOT_IMPLEMENTED', `has no implementation in ${l.region}: load its implementation first`, `在本省（${l.region}）尚无落地执行记录，请先上传落地执行`));
          continue;
        }
        if (year < 1 || year > 10) {
          errors.push(referenceIssue(rowNumber, upload.header('contractYear'), year, 'BAD_CONTRACT_YEAR', 'must be between 1 and 10', '应为1至10之间的整数'));
          continue;
        }
        const form = text(values.dosageForm);
        const varieties = l.varietiesOf.get(batch.id);
        const varietyId = varieties?.get(`${genericMatchKey(generic)}|${form ?? ''}`) ?? varieties?.get(genericMatchKey(generic));
        if (varietyId === undefined) {
          errors.push(referenceIssue(rowNumber, upload.header('genericName'), generic, 'UNKNOWN_VARIETY', `is not a selected variety of batch ${batchCode} (load its results first)`, `不是批次 ${batchCode} 的中选品种（请先上传中选结果）`));
          continue;
        }
        const nhsaCode = text(values.nhsaCode);
        const product = nhsaCode ? l.productByCode.get(nhsaCode) : undefined;
        if (nhsaCode && (!product || product.varietyId !== varietyId)) {
          errors.push(referenceIssue(rowNumber, upload.header('nhsaCode'), nhsaCode, 'UNKNOWN_PRODUCT', `is not a product of ${generic}`, `不是“${generic}”的产品医保编码`));
          continue;
        }
        const key = [institutionCode, batch.id, varietyId, product?.id ?? '', year].join(':');
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          errors.push(rowProblem(rowNumber, 'DUPLICATE_ROW', `repeats row ${earlier}`, `与第 ${earlier} 行重复`));
          continue;
        }
        seen.set(key, rowNumber);
        const institutionName = text(values.institutionName);
        if (!l.institutionByCode.has(institutionCode)) {
          if (!institutionName) {
            errors.push(referenceIssue(rowNumber, upload.header('institutionCode'), institutionCode, 'UNKNOWN_INSTITUTION', 'is a new institution: give its name too', '为新医疗机构，请同时填写机构名称'));
            continue;
          }
          newInstitutions.set(institutionCode, institutionName);
        }
        const periodStart = addMonths(batch.startOn, 12 * (year - 1));
        const naturalEnd = addDays(addMonths(batch.startOn, 12 * year), -1);
        const periodEnd = batch.contractEndOn ? minDate(naturalEnd, batch.contractEndOn) : naturalEnd;
        if (periodEnd < periodStart) {
          errors.push(referenceIssue(rowNumber, upload.header('contractYear'), year, 'AFTER_CONTRACT_END', `starts after the contract ends (${batch.contractEndOn})`, `开始时协议已期满（${batch.contractEndOn}）`));
          continue;
        }
        planned.push({ rowNumber, institutionCode, institutionName, batchId: batch.id, varietyId, productId: product?.id ?? null, contractYear: year, periodStart, periodEnd, quantity, unit: text(values.unit) });
      }
      return { errors, planned };
    },
  };
}

/** The institution × variety pairs an upload's agreed volumes touch: the rows it wrote and the ones it replaced. */
function agreedPairs(uploadId: number) {
  return sql`select region_code, institution_id, variety_id from agreed_volumes where upload_id = ${uploadId}
             union
             select (s.row ->> 'region_code')::char(6), (s.row ->> 'institution_id')::int, (s.row ->> 'variety_id')::int
             from upload_snapshots s where s.upload_id = ${uploadId} and s.table_name = 'agreed_volumes'`;
}

export const agreedVolumesHandler: KindHandler = {
  tables: ['agreed_volumes', 'institutions', 'execution_months', 'execution_savings', 'execution_unvalued', 'execution_institution_months', 'execution_variety_months'],
  bytesPerRow: 1000,
  async validate(database, upload) {
    const l = await lookups(database.db, upload);
    const p = planner(l, upload);
    let rows = 0;
    return {
      async accept(chunk) {
        const { errors, planned } = p.plan(chunk);
        rows += planned.length;
        return { errors, warnings: [] };
      },
      async summarize() {
        return { counts: { new: rows, institutionsCreated: p.newInstitutions.size } };
      },
    };
  },

  async commit(tx, _database, upload, rows) {
    const l = await lookups(tx, upload);
    const p = planner(l, upload);
    const created: number[] = [];
    let written = 0;
    for await (const chunk of rows()) {
      upload.job.checkpoint();
      const { planned } = p.plan(chunk);
      for (const [code, name] of p.newInstitutions) {
        if (l.institutionByCode.has(code)) continue;
        const [row] = await tx.insert(institutions).values({ regionCode: l.region, code, name: name ?? code }).returning({ id: institutions.id });
        l.institutionByCode.set(code, row!.id);
        created.push(row!.id);
      }
      for (const v of planned) {
        const institutionId = l.institutionByCode.get(v.institutionCode)!;
        await snapshotRows(
          tx,
          upload.id,
          'agreed_volumes',
          sql`t.region_code = ${l.region} and t.institution_id = ${institutionId} and t.batch_id = ${v.batchId} and t.variety_id = ${v.varietyId}
              and t.product_id is not distinct from ${v.productId} and t.contract_year = ${v.contractYear}`,
        );
        await tx.execute(sql`
          insert into agreed_volumes (region_code, institution_id, batch_id, variety_id, product_id, contract_year, period_start, period_end, quantity, unit, upload_id, is_synthetic)
          values (${l.region}, ${institutionId}, ${v.batchId}, ${v.varietyId}, ${v.productId}, ${v.contractYear}, ${v.periodStart}, ${v.periodEnd}, ${v.quantity}, ${v.unit}, ${upload.id}, false)
          on conflict on constraint agreed_volumes_natural_key do update set
            period_start = excluded.period_start, period_end = excluded.period_end, quantity = excluded.quantity,
            unit = excluded.unit, upload_id = excluded.upload_id, is_synthetic = false`);
        written++;
      }
      upload.job.report({ phase: 'committing', done: written, total: upload.promise?.rows ?? null });
    }
    // the summaries of every institution × variety whose cells the upload added, changed or replaced (with
    // statistics of the rows just written: a province's volumes arrive in one file)
    await refreshStatistics(tx, ['agreed_volumes', 'institutions']);
    await recomputeSummaries(tx, await capturePairs(tx, agreedPairs(upload.id)));
    // remembered for the revert: the institutions this upload created
    if (created.length)
      await tx.execute(sql`update uploads set report = coalesce(report, '{}'::jsonb) || jsonb_build_object('createdInstitutions', ${JSON.stringify(created)}::jsonb) where id = ${upload.id}`);
    return written;
  },

  async revert(tx, upload) {
    const scope = await capturePairs(tx, agreedPairs(upload.id));
    await restoreRows(tx, upload.id, 'agreed_volumes');
    await recomputeSummaries(tx, scope);
    await tx.execute(sql`
      delete from institutions i
      using uploads u, jsonb_array_elements_text(coalesce(u.report -> 'createdInstitutions', '[]'::jsonb)) as c(id)
      where u.id = ${upload.id} and i.id = c.id::int
        and not exists (select 1 from agreed_volumes av where av.region_code = i.region_code and av.institution_id = i.id)
        and not exists (select 1 from purchases p where p.region_code = i.region_code and p.institution_id = i.id)
        and not exists (select 1 from follow_ups f where f.region_code = i.region_code and f.institution_id = i.id)`);
  },
};

