/**
 * Retention through the real app on every engine: ended sessions and spent throttle rows go after their
 * limits while live ones and a running lock stay; the stored files of reverted and never-committed uploads
 * go 30 days on (the rows marked, reading again or committing refused in both languages) while committed
 * uploads keep theirs; a second run removes nothing and audits nothing. Time moves by `now`, not by waiting.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { lockedUntil, recordFailure, throttleKeys } from '@vbp/core/auth/throttle';
import { applyRetention, DEFAULT_RETENTION } from '@vbp/core/retention';
import { UploadJobs } from '@vbp/core/uploads/jobs';
import { cleanupUploads } from '@vbp/core/uploads/recovery';
import { UploadStore } from '@vbp/core/uploads/storage';
import { selectRows } from '@vbp/db';
import { addVarieties, createBatchWithVarieties, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { authThrottle, institutions, sessions, uploads } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

const DAY = 86_400_000;
const HEADER = '医疗机构编码,采购月份,医保编码,采购数量,采购金额';

function form(fields: Record<string, string>, fileName: string, content: string): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append('file', new Blob([content]), fileName);
  return data;
}

describe.each(TEST_ENGINES)('retention on %s', (engine) => {
  /** A fresh app with its own upload folder, closed and removed after `body`. */
  async function withApp(body: (t: TestApp, store: UploadStore, jobs: UploadJobs) => Promise<void>) {
    const dir = mkdtempSync(join(tmpdir(), 'vbp-retention-test-'));
    const jobs = new UploadJobs();
    const t = await openTestApp(engine, { uploads: { dir, maxBytes: 2 * 1024 * 1024, jobs } });
    try {
      await body(t, new UploadStore(dir), jobs);
    } finally {
      await t.database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const retentionAudits = async (t: TestApp) =>
    selectRows<{ actor: string; after: { deleted: Record<string, number>; keptDays: Record<string, number>; uploadIds: number[] } }>(
      t.database.db,
      sql`select actor, after from audit_log where action = 'retention' order by id`,
    );

  it('deletes sessions ended more than 30 days ago and throttle rows spent more than a day ago; live ones, recent ones and a running lock stay', async () => {
    await withApp(async (t, store) => {
      const db = t.database.db;
      const now = new Date();
      const ago = (days: number) => new Date(now.getTime() - days * DAY);
      const user = await createTestUser(db, 'clerk', '100000');
      const signedIn = await signIn(t.app, user);
      const session = (values: { expiresAt: Date; revokedAt?: Date }) => {
        const tokenHash = randomBytes(32).toString('hex');
        return db
          .insert(sessions)
          .values({ tokenHash, userId: user.id, csrfToken: 'x', createdAt: new Date(values.expiresAt.getTime() - DAY), lastSeenAt: values.expiresAt, ...values })
          .then(() => tokenHash);
      };
      const expiredLongAgo = await session({ expiresAt: ago(40) });
      const revokedLongAgo = await session({ expiresAt: ago(31), revokedAt: ago(31.2) });
      const expiredRecently = await session({ expiresAt: ago(5) });
      const revokedRecently = await session({ expiresAt: ago(1.5), revokedAt: ago(2) });

      // throttle: a name locked now (by failures, as sign-in counts them), a window spent 2 days ago, one spent
      // an hour ago, and a lock that ended 12 hours ago
      const locked = throttleKeys('locked-out', null);
      for (let i = 0; i < 5; i++) await recordFailure(db, locked, now);
      expect(await lockedUntil(db, locked, now)).not.toBeNull();
      await db.insert(authThrottle).values([
        { key: 'ip:192.0.2.1', failures: 3, windowStartedAt: ago(2) },
        { key: 'ip:192.0.2.2', failures: 3, windowStartedAt: ago(1 / 24) },
        { key: 'user:lock-ended', failures: 5, windowStartedAt: ago(0.6), lockedUntil: ago(0.5) },
        // never written by sign-in (a lock starts within its window), but a lock is a lock: kept while it runs
        { key: 'user:odd', failures: 5, windowStartedAt: ago(10), lockedUntil: new Date(now.getTime() + 60_000) },
      ]);

      const result = await applyRetention(db, store, { now });
      expect(result).toMatchObject({ sessions: 2, throttle: 1, uploadFiles: 0, policy: DEFAULT_RETENTION, at: now.toISOString() });
      const left = new Set((await db.select({ h: sessions.tokenHash }).from(sessions)).map((r) => r.h));
      expect([expiredLongAgo, revokedLongAgo].filter((h) => left.has(h))).toEqual([]);
      expect([expiredRecently, revokedRecently].every((h) => left.has(h))).toBe(true);
      // the signed-in users stay signed in
      expect((await signedIn.get('/api/auth/me')).status).toBe(200);
      expect((await t.admin.get('/api/auth/me')).status).toBe(200);
      const keys = (await db.select({ key: authThrottle.key }).from(authThrottle)).map((r) => r.key).sort();
      expect(keys).toEqual(['ip:192.0.2.2', 'user:locked-out', 'user:lock-ended', 'user:odd'].sort());
      expect(await lockedUntil(db, locked, now)).not.toBeNull();

      const audits = await retentionAudits(t);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actor: 'system', after: { deleted: { signIns: 2, throttle: 1, uploadFiles: 0 }, keptDays: { signIns: 30, throttle: 1, uploadFiles: 30 } } });

      // a second run has nothing to do and writes nothing
      expect(await applyRetention(db, store, { now })).toMatchObject({ sessions: 0, throttle: 0, uploadFiles: 0 });
      expect(await retentionAudits(t)).toHaveLength(1);

      // two days on, the locks have ended more than a day ago and their rows go too; recent sessions still stay
      const later = await applyRetention(db, store, { now: new Date(now.getTime() + 2 * DAY) });
      expect(later).toMatchObject({ sessions: 0, throttle: 4 });
      expect(await db.select().from(authThrottle)).toEqual([]);
      // the policy may be changed per call
      expect(await applyRetention(db, store, { now, policy: { sessionDays: 1 } })).toMatchObject({ sessions: 2, policy: { ...DEFAULT_RETENTION, sessionDays: 1 } });
      await expect(applyRetention(db, store, { policy: { batchSize: 0 } })).rejects.toThrow(/batchSize/);
    });
  });

  it('removes the files of reverted and never-committed uploads 30 days on, keeps committed ones, and refuses to read a removed file again', async () => {
    await withApp(async (t, store, jobs) => {
      const db = t.database.db;
      await createRegion(db, { code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
      let clerk: Client = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
      let sequence = 0;

      /** A purchases file for an institution and a product of its own. */
      async function purchasesFile() {
        const n = ++sequence;
        await db.insert(institutions).values({ regionCode: '320000', code: `RT${n}`, name: `保留测试医院${n}` });
        const variety = await createVariety(db);
        const { batch } = await createBatchWithVarieties(db, 0);
        await addVarieties(db, batch.id, [variety.id]);
        await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: `RTX${n}` });
        return `${HEADER}\nRT${n},2024-01,RTX${n},10,40\nRT${n},2024-02,RTX${n},12,48`;
      }
      async function upload(csv: string) {
        const res = await clerk.sendForm('/api/uploads', form({ kind: 'purchases' }, 'purchases.csv', csv));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body as { id: number; status: string };
      }
      const commit = (id: number) => clerk.send('POST', `/api/uploads/${id}/commit`, { acknowledgeWarnings: true });
      async function committed() {
        const up = await upload(await purchasesFile());
        expect((await commit(up.id)).body.status).toBe('committed');
        return up.id;
      }
      async function reverted() {
        const id = await committed();
        expect((await t.admin.send('POST', `/api/uploads/${id}/revert`)).body.status).toBe('reverted');
        return id;
      }
      const row = async (id: number) => (await db.select().from(uploads).where(eq(uploads.id, id)))[0]!;
      const fileOf = async (id: number) => join(store.dir, (await row(id)).storedName!);

      const kept = await committed();
      const revertedOld = await reverted();
      const revertedRecently = await reverted();
      const validated = await upload(await purchasesFile());
      expect(validated.status).toBe('validated');
      const invalid = await upload(`${HEADER}\nRT${sequence},2024-13,RTX${sequence},1,1`);
      expect(invalid.status).toBe('invalid');
      const files = new Map<number, string>();
      for (const id of [kept, revertedOld, revertedRecently, validated.id, invalid.id]) files.set(id, await fileOf(id));
      expect([...files.values()].every((f) => existsSync(f))).toBe(true);

      const now = Date.now();
      // ten days on every file is recent
      expect(await applyRetention(db, store, { now: new Date(now + 10 * DAY) })).toMatchObject({ uploadFiles: 0 });
      expect([...files.values()].every((f) => existsSync(f))).toBe(true);

      // 31 days on; one of the reverts happened 20 days after the others
      await db.update(uploads).set({ revertedAt: new Date(now + 20 * DAY) }).where(eq(uploads.id, revertedRecently));
      const at = new Date(now + 31 * DAY);
      const result = await applyRetention(db, store, { now: at });
      expect(result).toMatchObject({ uploadFiles: 3, uploadIds: [revertedOld, validated.id, invalid.id].sort((a, b) => a - b), filesNotRemoved: [] });
      expect([revertedOld, validated.id, invalid.id].map((id) => existsSync(files.get(id)!))).toEqual([false, false, false]);
      expect([kept, revertedRecently].map((id) => existsSync(files.get(id)!))).toEqual([true, true]);
      for (const id of [revertedOld, validated.id, invalid.id]) expect(await row(id)).toMatchObject({ storedName: null, fileRemovedAt: at });
      expect(await row(kept)).toMatchObject({ status: 'committed', fileRemovedAt: null });
      expect(await row(revertedRecently)).toMatchObject({ status: 'reverted', fileRemovedAt: null });
      expect((await row(revertedOld)).status).toBe('reverted');
      const audits = await retentionAudits(t);
      expect(audits).toHaveLength(1);
      expect(audits[0]!.after).toMatchObject({ deleted: { uploadFiles: 3 }, uploadIds: result.uploadIds });

      // the sessions of the test clients ended 31 days ago too: sign in again
      clerk = await signIn(t.app, await createTestUser(db, 'clerk', '320000'));
      // reading again or committing is refused with the reason, in both languages; the uploads stay as they were
      const reprocess = await clerk.send('POST', `/api/uploads/${invalid.id}/reprocess`, {});
      expect([reprocess.status, reprocess.body.error.code]).toEqual([409, 'CONFLICT']);
      expect(reprocess.body.error.message).toContain('removed');
      expect(reprocess.body.error.messageZh).toContain('按数据保留策略删除');
      expect(reprocess.body.error.messageZh).toContain('请重新上传');
      const refused = await commit(validated.id);
      expect([refused.status, refused.body.error.messageZh]).toEqual([409, expect.stringContaining('按数据保留策略删除')]);
      const view = (await clerk.get(`/api/uploads/${validated.id}`)).body;
      expect(view).toMatchObject({ status: 'validated', statusReason: { code: 'FILE_REMOVED' }, fileRemovedAt: at.toISOString() });
      // the list says it too, so the pages offer no action the server would refuse
      const listed = (await clerk.get('/api/uploads?region=320000')).body.items as { id: number; fileRemovedAt: string | null }[];
      expect(listed.find((u) => u.id === kept)?.fileRemovedAt).toBeNull();
      expect(listed.find((u) => u.id === invalid.id)?.fileRemovedAt).toBe(at.toISOString());
      expect((await clerk.get(`/api/uploads/${invalid.id}`)).body.status).toBe('invalid');
      // the validated upload's staged rows are no longer waited for
      expect((await cleanupUploads(db, store, jobs, { atStart: false })).stagingTables).toEqual([`staged_purchases_${validated.id}`]);

      // a second run has nothing left to remove, and writes no audit entry
      const again = await applyRetention(db, store, { now: at, policy: { sessionDays: 10_000 } });
      expect(again).toMatchObject({ sessions: 0, throttle: 0, uploadFiles: 0, uploadIds: [] });
      expect(await retentionAudits(t)).toHaveLength(1);
    });
  });

  it('works in batches', async () => {
    await withApp(async (t, store) => {
      const db = t.database.db;
      const user = await createTestUser(db, 'clerk', '100000');
      const old = new Date(Date.now() - 60 * DAY);
      await db.insert(sessions).values(
        Array.from({ length: 7 }, () => ({ tokenHash: randomBytes(32).toString('hex'), userId: user.id, csrfToken: 'x', createdAt: old, lastSeenAt: old, expiresAt: old })),
      );
      await db.insert(authThrottle).values(Array.from({ length: 5 }, (_, i) => ({ key: `ip:198.51.100.${i}`, failures: 1, windowStartedAt: old })));
      expect(await applyRetention(db, store, { policy: { batchSize: 2 } })).toMatchObject({ sessions: 7, throttle: 5 });
      expect(await retentionAudits(t)).toHaveLength(1);
    });
  });
});
