/**
 * Region settings (issue 14): the defaults, a change (audited, scoped to the province), invalid values, and
 * that the warning threshold is used: the execution answers (list, summary, drill-down, export) flag other
 * institutions after a change of the setting, and say which threshold produced the flags.
 * As of 2024-06-30: H1 has bought 700 of 1500 (completion 0.466667, time progress 0.497268), H2 300 of 2000
 * (0.15 against 0.249315). Behind at 0.8: H2 only (0.15 < 0.199452); at 1: both; at 0.5: neither.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { createBatchWithVarieties, createRegion, createSelectedProduct } from '@vbp/db/factories';
import { createAgreedVolume, createInstitution, createPurchases } from '@vbp/db/execution-factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { readRows } from '@vbp/importer/read';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

const OWN = '320000';
const OTHER = '110000';
const DATE = '2024-06-30';

const months = (from: number, to: number, quantity: string) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`2024-${String(from + i).padStart(2, '0')}-01`, quantity]));

async function firstRows(res: Response, sheet: string, count: number): Promise<unknown[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'vbp-settings-'));
  try {
    const path = join(dir, 'export.xlsx');
    await writeFile(path, Buffer.from(await res.arrayBuffer()));
    const rows: unknown[][] = [];
    for await (const row of readRows({ path, fileName: 'export.xlsx' }, { sheet })) {
      rows.push(row.cells);
      if (rows.length >= count) break;
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(TEST_ENGINES)('region settings on %s', (engine) => {
  let t: TestApp;
  let office: Client;
  let otherOffice: Client;
  let leader: Client;
  let clerk: Client;
  let h1: number;
  let h2: number;

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    await createRegion(db, { code: OWN, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: OTHER, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const { batch, varieties } = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: OWN });
    const [v1, v2] = varieties as [(typeof varieties)[number], (typeof varieties)[number]];
    const p1 = await createSelectedProduct(db, { batchId: batch.id, varietyId: v1.id, referencePrice: '10', selectedPrice: '4' });
    h1 = (await createInstitution(db, { regionCode: OWN, name: '南京第一医院', cityCode: '320100', cityName: '南京市', level: '三级' })).id;
    h2 = (await createInstitution(db, { regionCode: OWN, name: '无锡第二医院', cityCode: '320200', cityName: '无锡市', level: '二级' })).id;
    const year = { regionCode: OWN, batchId: batch.id, periodStart: '2024-01-01', periodEnd: '2024-12-31' };
    await createAgreedVolume(db, { ...year, institutionId: h1, varietyId: v1.id, quantity: '1000' });
    await createAgreedVolume(db, { ...year, institutionId: h1, varietyId: v2.id, quantity: '500' });
    await createPurchases(db, { regionCode: OWN, institutionId: h1, productId: p1.product.id, months: { ...months(1, 6, '100'), '2024-03-01': '200' } });
    await createAgreedVolume(db, { regionCode: OWN, batchId: batch.id, institutionId: h2, varietyId: v1.id, periodStart: '2024-04-01', periodEnd: '2025-03-31', quantity: '2000' });
    await createPurchases(db, { regionCode: OWN, institutionId: h2, productId: p1.product.id, months: months(4, 6, '100') });
    await rebuildSummaries(db);
    office = await signIn(t.app, await createTestUser(db, 'office', OWN));
    otherOffice = await signIn(t.app, await createTestUser(db, 'office', OTHER));
    leader = await signIn(t.app, await createTestUser(db, 'leader', OWN));
    clerk = await signIn(t.app, await createTestUser(db, 'clerk', OWN));
  });
  afterAll(() => t?.database.close());

  const behindKeys = async (query = '') => {
    const res = await office.get(`/api/execution?region=${OWN}&date=${DATE}&by=institution${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return {
      threshold: res.body.threshold,
      thresholdSource: res.body.thresholdSource,
      behind: (res.body.items as { key: string; behind: boolean }[]).filter((r) => r.behind).map((r) => Number(r.key)).sort((a, b) => a - b),
    };
  };

  it('answers the defaults while the province has set nothing, and the execution answers say so', async () => {
    const res = await leader.get(`/api/settings?region=${OWN}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ regionCode: OWN, progressWarningThreshold: 0.8, contractAlertDays: [180, 90, 60, 30, 7], isDefault: true, updatedAt: null, updatedBy: null });
    expect(await behindKeys()).toEqual({ threshold: 0.8, thresholdSource: 'default', behind: [h2] });
  });

  it('changes the threshold: audited, and the execution answers flag by it and say so', async () => {
    const res = await office.send('PUT', '/api/settings', { regionCode: OWN, progressWarningThreshold: 1, contractAlertDays: [7, 365, 30] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ regionCode: OWN, progressWarningThreshold: 1, contractAlertDays: [365, 30, 7], isDefault: false, updatedBy: expect.any(String) });
    expect((await leader.get(`/api/settings?region=${OWN}`)).body).toMatchObject({ progressWarningThreshold: 1, contractAlertDays: [365, 30, 7], isDefault: false });

    // the same URLs as before the change: the cached answers moved with it
    expect(await behindKeys()).toEqual({ threshold: 1, thresholdSource: 'setting', behind: [h1, h2] });
    const summary = await office.get(`/api/execution/summary?region=${OWN}&date=${DATE}`);
    expect(summary.body).toMatchObject({ threshold: 1, thresholdSource: 'setting', institutions: { total: 2, behind: 2 } });
    const drill = await office.get(`/api/execution/institutions/${h1}?region=${OWN}&date=${DATE}`);
    expect(drill.body).toMatchObject({ threshold: 1, thresholdSource: 'setting', totals: { behind: true } });
    // a threshold in the request wins over the setting
    expect(await behindKeys('&threshold=0.8')).toEqual({ threshold: 0.8, thresholdSource: 'request', behind: [h2] });

    const xlsx = await t.app.request(`/api/execution/export.xlsx?region=${OWN}&date=${DATE}`, { headers: { cookie: office.cookie! } });
    expect(xlsx.status).toBe(200);
    const [title] = await firstRows(xlsx, '执行进度', 1);
    expect(String(title?.[0])).toContain('滞后阈值 1（本省设置）');

    const second = await office.send('PUT', '/api/settings', { regionCode: OWN, progressWarningThreshold: 0.5 });
    expect(second.body).toMatchObject({ progressWarningThreshold: 0.5, contractAlertDays: [365, 30, 7] });
    expect(await behindKeys()).toEqual({ threshold: 0.5, thresholdSource: 'setting', behind: [] });

    const audit = await office.get('/api/audit?entity=region_settings');
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { action: string; before: unknown; after: unknown; regionCode: string; entityId: string }) => [e.action, e.regionCode, e.entityId, e.before, e.after])).toEqual([
      ['update', OWN, OWN, { progressWarningThreshold: 1, contractAlertDays: [365, 30, 7], isDefault: false }, { progressWarningThreshold: 0.5, contractAlertDays: [365, 30, 7], isDefault: false }],
      ['create', OWN, OWN, { progressWarningThreshold: 0.8, contractAlertDays: [180, 90, 60, 30, 7], isDefault: true }, { progressWarningThreshold: 1, contractAlertDays: [365, 30, 7], isDefault: false }],
    ]);
  });

  it('lets only the province’s office or an administrator change them', async () => {
    const across = await otherOffice.send('PUT', '/api/settings', { regionCode: OWN, progressWarningThreshold: 0.9 });
    expect([across.status, across.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(across.body.error.messageZh).toContain('预警设置');
    for (const who of [leader, clerk]) expect((await who.send('PUT', '/api/settings', { regionCode: OWN, progressWarningThreshold: 0.9 })).status).toBe(403);
    expect((await otherOffice.get(`/api/settings?region=${OWN}`)).status).toBe(403);
    // a national administrator changes any province
    const admin = await t.admin.send('PUT', '/api/settings', { regionCode: OTHER, progressWarningThreshold: 0.75 });
    expect(admin.body).toMatchObject({ regionCode: OTHER, progressWarningThreshold: 0.75, contractAlertDays: [180, 90, 60, 30, 7] });
    expect((await otherOffice.get(`/api/settings?region=${OTHER}`)).body.progressWarningThreshold).toBe(0.75);
    expect((await office.get(`/api/settings?region=${OWN}`)).body.progressWarningThreshold).toBe(0.5);
  });

  it('refuses invalid values with what and where, in Chinese and English', async () => {
    const cases: [unknown, string, string, string][] = [
      [{ progressWarningThreshold: 0 }, 'progressWarningThreshold', 'must be above 0', '须大于 0'],
      [{ progressWarningThreshold: 1.2 }, 'progressWarningThreshold', 'at most 1', '不得超过 1'],
      [{ progressWarningThreshold: 0.8125 }, 'progressWarningThreshold', 'at most 3 decimals', '最多 3 位小数'],
      [{ contractAlertDays: [90, 30, 30] }, 'contractAlertDays', 'distinct', '不得重复'],
      [{ contractAlertDays: [0, 30] }, 'contractAlertDays.0', 'at least 1', '至少为 1'],
      [{ contractAlertDays: [800] }, 'contractAlertDays.0', 'at most 730', '不得超过 730'],
      [{ contractAlertDays: [1.5] }, 'contractAlertDays.0', 'whole days', '整数'],
      [{ contractAlertDays: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, 'contractAlertDays', 'at most 10', '最多 10'],
      [{ contractAlertDays: [] }, 'contractAlertDays', 'at least one', '至少设置一个'],
    ];
    for (const [values, path, en, zh] of cases) {
      const res = await office.send('PUT', '/api/settings', { regionCode: OWN, ...(values as object) });
      expect([JSON.stringify(values), res.status, res.body.error.code]).toEqual([JSON.stringify(values), 400, 'INVALID_INPUT']);
      const issue = res.body.error.issues.find((i: { path: string }) => i.path === path);
      expect(issue, `${JSON.stringify(values)}: ${JSON.stringify(res.body.error.issues)}`).toBeDefined();
      expect(issue.message).toContain(en);
      expect(issue.message).toContain(zh);
    }
    const nothing = await office.send('PUT', '/api/settings', { regionCode: OWN });
    expect([nothing.status, nothing.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect(nothing.body.error.messageZh).toContain('未提供要修改的设置');
    const unknown = await t.admin.send('PUT', '/api/settings', { regionCode: '990000', progressWarningThreshold: 0.9 });
    expect(unknown.status).toBe(404);
    // nothing was stored by the refused requests
    expect((await office.get(`/api/settings?region=${OWN}`)).body).toMatchObject({ progressWarningThreshold: 0.5, contractAlertDays: [365, 30, 7] });
  });
});
