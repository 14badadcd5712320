/**
 * Province agreed volumes (各省约定采购量): the joint procurement office's table of each province's
 * first-year agreed volume per variety and strength of a batch, all provinces in one sheet. A national
 * clerk loads every province; a provincial clerk the rows of their own province (the others are skipped,
 * with one warning). Rows of varieties the batch did not select (a failed tender, a variety of another
 * batch) are warned about and kept out of the table. A commit replaces the batch's volumes of the provinces
 * the file covers, snapshotted for the revert.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { UploadIssue } from '@vbp/contracts/uploads';
import { selectRows, type Db, type Tx } from '@vbp/db';
import { batchVarieties, batches, regions as regionsTable, varieties } from '@vbp/db/schema';
import { isXinjiangWithCorps } from '@vbp/importer/rules';
import { withinRegion } from '@vbp/contracts/policy';
import { DomainError } from '../../errors';
import { referenceIssue, rowProblem, text } from '../issues';
import { restoreRows, snapshotRows } from '../snapshots';
import type { KindHandler, ParsedRow, UploadContext } from '../types';
import { genericMatchKey } from '../variety-match';

interface Planned {
  rowNumber: number;
  regionCode: string;
  varietyId: number;
  spec: string;
  contractYear: number;
  quantity: string;
  unit: string | null;
  isMainStrength: boolean;
}

interface BatchVarieties {
  batchId: number;
  code: string;
  /** The provinces the database knows. */
  regions: Set<string>;
  /** Match key → variety, for the varieties the batch selected. */
  selected: Map<string, number>;
  /** Match keys of its varieties whose tender failed. */
  failed: Set<string>;
}

async function loadBatch(db: Db | Tx, upload: UploadContext): Promise<BatchVarieties> {
  if (upload.batchId === null) throw new DomainError('INVALID_INPUT', 'Choose the batch these volumes belong to (batch)', '请选择这些约定采购量所属的批次（batch）');
  const [batch] = await db.select({ id: batches.id, code: batches.code }).from(batches).where(eq(batches.id, upload.batchId));
  if (!batch) throw new DomainError('NOT_FOUND', `Batch ${upload.batchId} not found`, `批次不存在：${upload.batchId}`);
  const rows = await db
    .select({ id: varieties.id, nameZh: varieties.nameZh, form: varieties.dosageFormGroup, outcome: batchVarieties.outcome })
    .from(batchVarieties)
    .innerJoin(varieties, eq(varieties.id, batchVarieties.varietyId))
    .where(and(eq(batchVarieties.batchId, batch.id), eq(varieties.isPlaceholder, false)));
  const regions = new Set((await db.select({ code: regionsTable.code }).from(regionsTable)).map((r) => r.code));
  const selected = new Map<string, number>();
  const failed = new Set<string>();
  for (const r of rows) {
    const keys = [`${genericMatchKey(r.nameZh)}|${r.form ?? ''}`, genericMatchKey(r.nameZh)];
    for (const key of keys) {
      if (r.outcome === 'selected') selected.set(key, r.id);
      else failed.add(key);
    }
  }
  return { batchId: batch.id, code: batch.code, regions, selected, failed };
}

/** The province a row's volume belongs to: 新疆（含兵团） is Xinjiang's (published together). */
function regionOf(value: unknown): string | null {
  const codes = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  if (codes.length === 1) return codes[0]!;
  return isXinjiangWithCorps(codes) ? codes[0]! : null;
}

interface Plan {
  planned: Planned[];
  errors: UploadIssue[];
  warnings: UploadIssue[];
  notSelected: number;
  unselected: number;
  otherRegions: number;
}

/** Checks rows and turns them into planned volumes (row order and duplicates across calls are tracked). */
function planner(batch: BatchVarieties, upload: UploadContext) {
  const seen = new Map<string, number>();
  return (rows: readonly ParsedRow[], plan: Plan) => {
    for (const { rowNumber, values } of rows) {
      const generic = text(values.genericName);
      if (!generic) continue;
      const regionCode = regionOf(values.region);
      if (regionCode !== null && !withinRegion(upload.regionCode, regionCode)) {
        plan.otherRegions++;
        continue;
      }
      const form = text(values.dosageForm);
      const key = `${genericMatchKey(generic)}|${form ?? ''}`;
      const varietyId = batch.selected.get(key) ?? batch.selected.get(genericMatchKey(generic));
      if (values.selected === false) {
        plan.notSelected++;
        continue;
      }
      if (varietyId === undefined) {
        plan.unselected++;
        const failed = batch.failed.has(key) || batch.failed.has(genericMatchKey(generic));
        plan.warnings.push(
          failed
            ? referenceIssue(rowNumber, upload.header('genericName'), generic, 'FAILED_TENDER_VARIETY', `failed its tender in batch ${batch.code}: the row is not counted`, `在批次 ${batch.code} 中流标：该行不计入约定量`)
            : referenceIssue(rowNumber, upload.header('genericName'), generic, 'UNSELECTED_VARIETY', `is not a variety batch ${batch.code} selected: the row is not counted`, `不是批次 ${batch.code} 的中选品种：该行不计入约定量`),
        );
        continue;
      }
      if (regionCode === null) continue; // reported by the importer (one province per row)
      if (!batch.regions.has(regionCode)) {
        plan.errors.push(referenceIssue(rowNumber, upload.header('region'), regionCode, 'UNKNOWN_REGION', 'is not a province in the database', '不是库中已有的省份'));
        continue;
      }
      const quantity = text(values.quantity);
      if (quantity === null) continue;
      const spec = text(values.spec) ?? '';
      const contractYear = Number(text(values.contractYear) ?? 1);
      const natural = `${regionCode}|${varietyId}|${spec}|${contractYear}`;
      const earlier = seen.get(natural);
      if (earlier !== undefined) {
        plan.errors.push(rowProblem(rowNumber, 'DUPLICATE_ROW', `repeats the province, variety and strength of row ${earlier}`, `与第 ${earlier} 行的省份、品种和规格重复`));
        continue;
      }
      seen.set(natural, rowNumber);
      plan.planned.push({ rowNumber, regionCode, varietyId, spec, contractYear, quantity, unit: text(values.unit), isMainStrength: values.mainStrength === true });
    }
  };
}

const emptyPlan = (): Plan => ({ planned: [], errors: [], warnings: [], notSelected: 0, unselected: 0, otherRegions: 0 });

const INSERT_CHUNK = 2_000;

export const provinceVolumesHandler: KindHandler = {
  tables: ['province_volumes'],
  bytesPerRow: 300,
  async validate(database, upload) {
    const db = database.db;
    const batch = await loadBatch(db, upload);
    const plan = emptyPlan();
    const accept = planner(batch, upload);
    return {
      async accept(rows) {
        const before = { errors: plan.errors.length, warnings: plan.warnings.length };
        accept(rows, plan);
        return { errors: plan.errors.slice(before.errors), warnings: plan.warnings.slice(before.warnings) };
      },
      async summarize() {
        const warnings: UploadIssue[] = [];
        if (plan.otherRegions > 0) {
          const n = plan.otherRegions;
          warnings.push({ row: null, column: null, value: null, code: 'OTHER_REGIONS_SKIPPED', message: `${n} row(s) of other provinces are skipped: only your province's rows are loaded`, messageZh: `${n} 行属于其他省份，已跳过：只导入本省的行` });
        }
        const regions = [...new Set(plan.planned.map((p) => p.regionCode))];
        const current = regions.length
          ? await selectRows<{ key: string; quantity: string }>(
              db,
              sql`select region_code || '|' || variety_id || '|' || spec || '|' || contract_year as key, quantity::text as quantity
                  from province_volumes where batch_id = ${batch.batchId} and region_code in (${sql.join(regions.map((r) => sql`${r}`), sql`, `)})`,
            )
          : [];
        const before = new Map(current.map((r) => [r.key, r.quantity]));
        let created = 0;
        let changed = 0;
        for (const p of plan.planned) {
          const old = before.get(`${p.regionCode}|${p.varietyId}|${p.spec}|${p.contractYear}`);
          if (old === undefined) created++;
          else if (Number(old) !== Number(p.quantity)) changed++;
        }
        return {
          counts: { notSelected: plan.notSelected, unselectedVarieties: plan.unselected, otherRegions: plan.otherRegions, new: created, changed, unchanged: plan.planned.length - created - changed },
          warnings,
        };
      },
    };
  },

  async commit(tx, _database, upload, rows) {
    const batch = await loadBatch(tx, upload);
    const plan = emptyPlan();
    const accept = planner(batch, upload);
    for await (const chunk of rows()) {
      upload.job.checkpoint();
      accept(chunk, plan);
    }
    // the file replaces the batch's volumes of the provinces it covers
    const regions = [...new Set(plan.planned.map((p) => p.regionCode))];
    if (regions.length === 0) return 0;
    const covered = sql`t.batch_id = ${batch.batchId} and t.region_code in (${sql.join(regions.map((r) => sql`${r}`), sql`, `)})`;
    await snapshotRows(tx, upload.id, 'province_volumes', covered);
    await tx.execute(sql`delete from province_volumes t where ${covered}`);
    for (let i = 0; i < plan.planned.length; i += INSERT_CHUNK) {
      const values = plan.planned
        .slice(i, i + INSERT_CHUNK)
        .map((p) => sql`(${p.regionCode}, ${batch.batchId}, ${p.varietyId}, ${p.spec}, ${p.contractYear}, ${p.quantity}, ${p.unit}, ${p.isMainStrength}, ${upload.id})`);
      await tx.execute(sql`
        insert into province_volumes (region_code, batch_id, variety_id, spec, contract_year, quantity, unit, is_main_strength, upload_id)
        values ${sql.join(values, sql`, `)}`);
    }
    return plan.planned.length;
  },

  async revert(tx, upload) {
    await restoreRows(tx, upload.id, 'province_volumes');
  },
};
