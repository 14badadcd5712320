/**
 * Implementation notices (落地执行): a batch takes effect in a province on a date, with its contract end.
 * Upserted on (batch, region); the rows replaced are snapshotted for the revert. A provincial clerk may
 * load their own province only.
 */
import { sql } from 'drizzle-orm';
import type { UploadIssue } from '@vbp/contracts/uploads';
import type { Tx } from '@vbp/db';
import { batches } from '@vbp/db/schema';
import { withinRegion } from '@vbp/contracts/policy';
import { referenceIssue, rowProblem, text } from '../issues';
import { restoreRows, snapshotRows } from '../snapshots';
import type { KindHandler, ParsedRow, UploadContext } from '../types';

interface Planned {
  batchId: number;
  regionCode: string;
  startOn: string;
  contractEndOn: string | null;
  note: string | null;
}

function regionsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Checks rows and turns them into one planned implementation per batch × region. */
function planner(batchByCode: Map<string, number>, upload: UploadContext) {
  const seen = new Map<string, number>();
  return (rows: readonly ParsedRow[]) => {
    const errors: UploadIssue[] = [];
    const planned: Planned[] = [];
    for (const { rowNumber, values } of rows) {
      const code = text(values.batchCode);
      const batchId = code ? batchByCode.get(code) : undefined;
      if (batchId === undefined) {
        errors.push(referenceIssue(rowNumber, upload.header('batchCode'), code, 'UNKNOWN_BATCH', 'is not a known batch code', '不是已登记的批次编号'));
        continue;
      }
      const startOn = text(values.startOn);
      const contractEndOn = text(values.contractEndOn);
      if (!startOn) continue;
      if (contractEndOn && contractEndOn < startOn) {
        errors.push(referenceIssue(rowNumber, upload.header('contractEndOn'), contractEndOn, 'END_BEFORE_START', `is before the start date ${startOn}`, `早于执行日期 ${startOn}`));
        continue;
      }
      for (const regionCode of regionsOf(values.region)) {
        if (!withinRegion(upload.regionCode, regionCode)) {
          errors.push(referenceIssue(rowNumber, upload.header('region'), regionCode, 'REGION_OUT_OF_SCOPE', `is outside this upload's region (${upload.regionCode})`, `不在本次上传的地区（${upload.regionCode}）范围内`));
          continue;
        }
        const key = `${batchId}:${regionCode}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          errors.push(rowProblem(rowNumber, 'DUPLICATE_ROW', `batch ${code} in ${regionCode} is also on row ${earlier}`, `批次 ${code} 在 ${regionCode} 的执行记录与第 ${earlier} 行重复`));
          continue;
        }
        seen.set(key, rowNumber);
        planned.push({ batchId, regionCode, startOn, contractEndOn, note: text(values.note) });
      }
    }
    return { errors, planned };
  };
}

async function batchCodes(db: Tx | Parameters<KindHandler['validate']>[0]['db']) {
  const rows = await db.select({ id: batches.id, code: batches.code }).from(batches);
  return new Map(rows.map((r) => [r.code, r.id]));
}

export const implementationsHandler: KindHandler = {
  tables: ['implementations'],
  bytesPerRow: 1000,
  async validate(database, upload) {
    const plan = planner(await batchCodes(database.db), upload);
    const planned: Planned[] = [];
    return {
      async accept(rows) {
        const result = plan(rows);
        planned.push(...result.planned);
        return { errors: result.errors, warnings: [] };
      },
      async summarize() {
        if (planned.length === 0) return { counts: { new: 0, changed: 0, unchanged: 0 } };
        const current = new Map<string, { startOn: string; contractEndOn: string | null }>();
        const rows = await database.db.query.implementations.findMany({ columns: { batchId: true, regionCode: true, startOn: true, contractEndOn: true } });
        for (const r of rows) current.set(`${r.batchId}:${r.regionCode}`, r);
        let created = 0;
        let changed = 0;
        for (const p of planned) {
          const before = current.get(`${p.batchId}:${p.regionCode}`);
          if (!before) created++;
          else if (before.startOn !== p.startOn || before.contractEndOn !== p.contractEndOn) changed++;
        }
        return { counts: { new: created, changed, unchanged: planned.length - created - changed } };
      },
    };
  },

  async commit(tx, _database, upload, rows) {
    const plan = planner(await batchCodes(tx), upload);
    let written = 0;
    for await (const batch of rows()) {
      upload.job.checkpoint();
      const { planned } = plan(batch);
      written += planned.length;
      for (const p of planned) {
        await snapshotRows(tx, upload.id, 'implementations', sql`t.batch_id = ${p.batchId} and t.region_code = ${p.regionCode}`);
        await tx.execute(sql`
          insert into implementations (batch_id, region_code, start_on, start_precision, contract_end_on, estimated, source, note, upload_id)
          values (${p.batchId}, ${p.regionCode}, ${p.startOn}, 'day', ${p.contractEndOn}, false, ${`upload:${upload.id}`}, ${p.note}, ${upload.id})
          on conflict (batch_id, region_code) do update set
            start_on = excluded.start_on, start_precision = 'day', contract_end_on = excluded.contract_end_on, estimated = false,
            source = excluded.source, note = excluded.note, upload_id = excluded.upload_id`);
      }
    }
    return written;
  },

  async revert(tx, upload) {
    await restoreRows(tx, upload.id, 'implementations');
  },
};
