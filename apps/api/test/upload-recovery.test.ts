/**
 * An upload never says "committed" for rows it did not write. Through the real HTTP app on both engines:
 * a commit proves the staged rows (or the file's rows) against what validation promised, and otherwise
 * writes nothing and names the upload `interrupted`; a start names what a stop left half-way and what a
 * database crash emptied; leftovers are removed and audited; a full disk and a shutdown are refusals with
 * a reason, not crashes. (Killed processes, real full disks and database crashes: test/faults.)
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskGuard } from '@vbp/core/disk';
import { UploadJobs } from '@vbp/core/uploads/jobs';
import { cleanupUploads, recoverUploads } from '@vbp/core/uploads/recovery';
import { UploadStore } from '@vbp/core/uploads/storage';
import { selectRows } from '@vbp/db';
import { addVarieties, createBatch, createBatchWithVarieties, createImplementation, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { institutions } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

function form(fields: Record<string, string>, fileName: string, content: string): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append('file', new Blob([content]), fileName);
  return data;
}

const HEADER = '医疗机构编码,采购月份,医保编码,采购数量,采购金额';

describe.each(TEST_ENGINES)('upload recovery on %s', (engine) => {
  let t: TestApp;
  let dir: string;
  let jobs: UploadJobs;
  let clerk: Client;
  let sequence = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vbp-recovery-test-'));
    jobs = new UploadJobs();
    t = await openTestApp(engine, { uploads: { dir, maxBytes: 2 * 1024 * 1024, jobs } });
    await createRegion(t.database.db, { code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    clerk = await signIn(t.app, await createTestUser(t.database.db, 'clerk', '320000'));
  });
  afterAll(async () => {
    await t?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An institution and a product of its own, and a purchases file of `months` rows for them. */
  async function purchasesFile(months: number) {
    const n = ++sequence;
    const db = t.database.db;
    const [inst] = await db.insert(institutions).values({ regionCode: '320000', code: `RC${n}`, name: `恢复测试医院${n}` }).returning();
    const variety = await createVariety(db);
    const { batch } = await createBatchWithVarieties(db, 0);
    await addVarieties(db, batch.id, [variety.id]);
    await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: `RCX${n}` });
    const lines = Array.from({ length: months }, (_, i) => `RC${n},2024-${String(i + 1).padStart(2, '0')},RCX${n},${10 + i},${(10 + i) * 4}`);
    return { institutionId: inst!.id, csv: [HEADER, ...lines].join('\n') };
  }

  async function upload(csv: string, kind = 'purchases') {
    const res = await clerk.sendForm('/api/uploads', form({ kind }, `${kind}.csv`, csv));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  const purchasesOf = async (institutionId: number) =>
    (await selectRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from purchases where institution_id = ${institutionId}`))[0]!.n;

  it('refuses to commit when the staged rows are gone or changed, writes nothing, and a revalidation commits exactly the file', async () => {
    const { institutionId, csv } = await purchasesFile(3);
    const first = await upload(csv);
    expect(first).toMatchObject({ status: 'validated', counts: { new: 3 } });
    // what crash recovery does to an unlogged table
    await t.database.db.execute(sql.raw(`truncate staged_purchases_${first.id}`));
    const refused = await clerk.send('POST', `/api/uploads/${first.id}/commit`, { acknowledgeWarnings: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('UPLOAD_STALE');
    expect(refused.body.error.messageZh).toContain('重新校验');
    expect(await purchasesOf(institutionId)).toBe(0);
    const interrupted = (await clerk.get(`/api/uploads/${first.id}`)).body;
    expect(interrupted).toMatchObject({ status: 'interrupted', statusReason: { code: 'STAGING_LOST', phase: 'committing' } });
    // only a validated upload commits; one click validates the stored file again
    expect((await clerk.send('POST', `/api/uploads/${first.id}/commit`, { acknowledgeWarnings: false })).status).toBe(409);
    expect((await clerk.send('POST', `/api/uploads/${first.id}/reprocess`, {})).body).toMatchObject({ status: 'validated', statusReason: null, counts: { new: 3 } });
    expect((await clerk.send('POST', `/api/uploads/${first.id}/commit`, { acknowledgeWarnings: false })).body.status).toBe('committed');
    expect(await purchasesOf(institutionId)).toBe(3);

    // a staged row changed since validation (the checksum, not only the count)
    const second = await purchasesFile(2);
    const changed = await upload(second.csv);
    await t.database.db.execute(sql.raw(`update staged_purchases_${changed.id} set quantity = quantity + 1 where row_number = 2`));
    expect((await clerk.send('POST', `/api/uploads/${changed.id}/commit`, { acknowledgeWarnings: false })).body.error.code).toBe('UPLOAD_STALE');
    expect(await purchasesOf(second.institutionId)).toBe(0);

    // the staging table dropped
    const third = await purchasesFile(2);
    const dropped = await upload(third.csv);
    await t.database.db.execute(sql.raw(`drop table staged_purchases_${dropped.id}`));
    expect((await clerk.send('POST', `/api/uploads/${dropped.id}/commit`, { acknowledgeWarnings: false })).body.error.code).toBe('UPLOAD_STALE');
    expect(await purchasesOf(third.institutionId)).toBe(0);
  });

  it('refuses to commit a file whose referenced data changed since validation (it would write fewer rows than promised)', async () => {
    const db = t.database.db;
    const variety = await createVariety(db, { key: `恢复他汀-${engine}|口服常释剂型`, nameZh: `恢复他汀${engine}`, dosageFormGroup: '口服常释剂型' });
    const batch = await createBatch(db, { code: `RAV-${engine}` });
    await addVarieties(db, batch.id, [variety.id]);
    await createImplementation(db, { batchId: batch.id, regionCode: '320000', startOn: '2023-01-01', contractEndOn: '2025-12-31' });
    const csv = ['医疗机构编码,医疗机构名称,批次编号,通用名,协议年度,约定采购量,单位', `RAV01,无锡市立医院,${batch.code},恢复他汀${engine}片,1,100,片`, `RAV01,无锡市立医院,${batch.code},恢复他汀${engine}片,2,200,片`].join('\n');
    const validated = await upload(csv, 'agreed-volumes');
    expect(validated.status).toBe('validated');
    // the implementation is gone meanwhile: the commit would plan no rows at all
    await db.execute(sql`delete from implementations where batch_id = ${batch.id}`);
    const refused = await clerk.send('POST', `/api/uploads/${validated.id}/commit`, { acknowledgeWarnings: false });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'UPLOAD_STALE']);
    expect(await selectRows(db, sql`select 1 from agreed_volumes where batch_id = ${batch.id}`)).toEqual([]);
    expect(await selectRows(db, sql`select 1 from institutions where code = 'RAV01'`)).toEqual([]);
    expect((await clerk.get(`/api/uploads/${validated.id}`)).body).toMatchObject({ status: 'interrupted', statusReason: { code: 'ROWS_CHANGED' } });
  });

  it('marks at start what a stop left half-way or a crash emptied, and removes leftovers, audited', async () => {
    const db = t.database.db;
    const a = await purchasesFile(2);
    const b = await purchasesFile(2);
    const c = await purchasesFile(2);
    const validating = await upload(a.csv);
    const committing = await upload(b.csv);
    const emptied = await upload(c.csv);
    // as a stopped server leaves them
    await db.execute(sql`update uploads set status = 'processing' where id = ${validating.id}`);
    await db.execute(sql`update uploads set status = 'committing' where id = ${committing.id}`);
    await db.execute(sql.raw(`truncate staged_purchases_${emptied.id}`));

    const recovered = await recoverUploads(db);
    expect(recovered.interrupted.sort()).toEqual([validating.id, committing.id].sort());
    expect(recovered.stagingLost).toEqual([emptied.id]);
    const view = async (id: number) => (await clerk.get(`/api/uploads/${id}`)).body;
    expect(await view(validating.id)).toMatchObject({ status: 'interrupted', statusReason: { code: 'STOPPED_VALIDATING', phase: 'validating' } });
    expect((await view(committing.id)).statusReason.messageZh).toContain('未写入任何数据');
    expect(await view(emptied.id)).toMatchObject({ status: 'interrupted', statusReason: { code: 'STAGING_LOST' } });

    // leftovers: their staging tables, a partial file of a receive that died, a file no upload refers to
    const store = new UploadStore(dir);
    writeFileSync(join(dir, `${'a'.repeat(32)}.part`), 'half a file');
    writeFileSync(join(dir, 'b'.repeat(32)), 'nobody’s file');
    const removed = await cleanupUploads(db, store, jobs, { atStart: true, now: Date.now() + 2 * 3_600_000 });
    expect(removed.stagingTables.sort()).toEqual([validating.id, committing.id, emptied.id].map((id) => `staged_purchases_${id}`).sort());
    expect(removed.partialFiles).toEqual([`${'a'.repeat(32)}.part`]);
    expect(removed.unreferencedFiles).toEqual(['b'.repeat(32)]);
    expect(readdirSync(dir).some((n) => n.endsWith('.part') || n === 'b'.repeat(32))).toBe(false);
    const audit = await selectRows<{ action: string; entityId: string | null; after: { stagingTables?: string[] } }>(
      db,
      sql`select action, entity_id as "entityId", after from audit_log where actor = 'system' and entity = 'upload' order by id`,
    );
    expect(audit.filter((e) => e.action === 'interrupt').map((e) => Number(e.entityId)).sort()).toEqual([validating.id, committing.id, emptied.id].sort());
    expect(audit.find((e) => e.action === 'cleanup')?.after.stagingTables).toHaveLength(3);

    // the interrupted ones are validated again with one click, and commit their rows
    expect((await clerk.send('POST', `/api/uploads/${committing.id}/reprocess`, {})).body.status).toBe('validated');
    expect((await clerk.send('POST', `/api/uploads/${committing.id}/commit`, { acknowledgeWarnings: false })).body.status).toBe('committed');
    expect(await purchasesOf(b.institutionId)).toBe(2);
    // a validated upload's staging is kept by the cleanup
    const waiting = await upload((await purchasesFile(1)).csv);
    expect((await cleanupUploads(db, store, jobs, { atStart: false })).stagingTables).toEqual([]);
    expect((await recoverUploads(db)).stagingLost).toEqual([]);
    expect((await clerk.get(`/api/uploads/${waiting.id}`)).body.status).toBe('validated');
  });

  it('says a full disk plainly and keeps nothing of the file; refuses new work while shutting down', async () => {
    const full = await openTestApp(engine, {
      uploads: { dir, maxBytes: 2 * 1024 * 1024, disk: new DiskGuard({ uploads: dir, database: dir }, Number.MAX_SAFE_INTEGER / 2) },
    });
    try {
      await createRegion(full.database.db, { code: '320000' });
      const fullClerk = await signIn(full.app, await createTestUser(full.database.db, 'clerk', '320000'));
      const before = readdirSync(dir).length;
      const res = await fullClerk.sendForm('/api/uploads', form({ kind: 'purchases' }, 'p.csv', `${HEADER}\nX,2024-01,Y,1,1`));
      expect(res.status).toBe(507);
      expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
      expect(res.body.error.messageZh).toContain('磁盘空间不足');
      expect(readdirSync(dir).length).toBe(before);
    } finally {
      await full.database.close();
    }

    const { csv } = await purchasesFile(1);
    const validated = await upload(csv);
    // the last test of the suite: the app's registry stops accepting for good
    jobs.stopAccepting();
    const refused = await clerk.send('POST', `/api/uploads/${validated.id}/commit`, { acknowledgeWarnings: false });
    expect([refused.status, refused.body.error.code, refused.headers.get('retry-after')]).toEqual([503, 'UNAVAILABLE', '60']);
    expect((await clerk.sendForm('/api/uploads', form({ kind: 'purchases' }, 'p.csv', csv))).status).toBe(503);
    // reads go on
    expect((await clerk.get(`/api/uploads/${validated.id}`)).body.status).toBe('validated');
  });
});
