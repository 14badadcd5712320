/**
 * Contract expiry alerts (issue 14) on both engines, with periods built by the factories at fixed distances
 * from the as-of date: the stage is the smallest alert day crossed (7 days left is in the 7-day stage, 8 in
 * the 30-day one), periods ended or beyond the largest alert day are not alerted, renewal is the contracts
 * page's rule, the province's own alert days replace the defaults, and the export reads back.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractAlert, ContractAlerts } from '@vbp/contracts/contract-alerts';
import { addDays } from '@vbp/contracts/dates';
import { createBatchWithVarieties, createImplementation, createRegion } from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { readRows } from '@vbp/importer/read';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

const DATE = '2024-10-01';

async function sheetRows(res: globalThis.Response, sheet: string): Promise<unknown[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'vbp-alerts-'));
  try {
    const path = join(dir, 'alerts.xlsx');
    await writeFile(path, Buffer.from(await res.arrayBuffer()));
    const rows: unknown[][] = [];
    for await (const row of readRows({ path, fileName: 'alerts.xlsx' }, { sheet })) rows[row.rowNumber - 1] = row.cells;
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(TEST_ENGINES)('contract expiry alerts on %s', (engine) => {
  let t: TestApp;
  let region: string;
  let other: string;
  let office: Client;
  let otherLeader: Client;
  /** Batch codes by days left at DATE. */
  const code: Record<number, string> = {};
  const ids: Record<number, number> = {};
  let renewalCode: string;

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    region = (await createRegion(db)).code;
    other = (await createRegion(db)).code;
    for (const daysLeft of [-1, 0, 5, 7, 8, 30, 45, 61, 90, 150, 181, 400]) {
      const { batch } = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: region });
      await createImplementation(db, { batchId: batch.id, regionCode: region, startOn: '2022-01-01', contractEndOn: addDays(DATE, daysLeft) });
      code[daysLeft] = batch.code;
      ids[daysLeft] = batch.id;
    }
    // the 30-day period is renewed by a batch starting the day after it ends, in this region
    const { batch: renewal } = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: region, renewalOfId: ids[30]! });
    await createImplementation(db, { batchId: renewal.id, regionCode: region, startOn: addDays(DATE, 31), contractEndOn: '2027-12-31' });
    renewalCode = renewal.code;
    // another province's period ending in 10 days is not this region's alert
    const { batch: elsewhere } = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: other });
    await createImplementation(db, { batchId: elsewhere.id, regionCode: other, startOn: '2022-01-01', contractEndOn: addDays(DATE, 10) });
    office = await signIn(t.app, await createTestUser(db, 'office', region));
    otherLeader = await signIn(t.app, await createTestUser(db, 'leader', other));
  });
  afterAll(() => t?.database.close());

  const stagesOf = (items: ContractAlert[]) => Object.fromEntries(items.map((a) => [a.daysLeft, a.stage]));

  it('puts each period ending within 180 days in the stage of the smallest alert day it has crossed', async () => {
    const res = await office.get<ContractAlerts>(`/api/contracts/alerts?region=${region}&date=${DATE}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ region, date: DATE, alertDays: [180, 90, 60, 30, 7], alertDaysSource: 'default', total: 9, page: 1, pageSize: 50 });
    expect(res.body.items.map((a) => a.batchCode)).toEqual([0, 5, 7, 8, 30, 45, 61, 90, 150].map((d) => code[d]));
    expect(stagesOf(res.body.items)).toEqual({ 0: 7, 5: 7, 7: 7, 8: 30, 30: 30, 45: 60, 61: 90, 90: 90, 150: 180 });
    expect(res.body.stages).toEqual([
      { days: 180, count: 1, pending: 1 },
      { days: 90, count: 2, pending: 2 },
      { days: 60, count: 1, pending: 1 },
      { days: 30, count: 2, pending: 1 },
      { days: 7, count: 3, pending: 3 },
    ]);
  });

  it('says whether a renewal batch covers the period', async () => {
    const res = await office.get<ContractAlerts>(`/api/contracts/alerts?region=${region}&date=${DATE}&stage=30`);
    expect(res.body.items.map((a) => [a.daysLeft, a.renewal, a.renewedBy?.code ?? null])).toEqual([
      [8, 'pending', null],
      [30, 'renewed', renewalCode],
    ]);
    expect(res.body.items[1]).toMatchObject({ contractEndOn: addDays(DATE, 30), renewedBy: { startOn: addDays(DATE, 31) }, estimated: false });
    expect(res.body.total).toBe(2);
  });

  it('paginates', async () => {
    const page = await office.get<ContractAlerts>(`/api/contracts/alerts?region=${region}&date=${DATE}&page=2&pageSize=4`);
    expect(page.body).toMatchObject({ total: 9, page: 2, pageSize: 4 });
    expect(page.body.items.map((a) => a.daysLeft)).toEqual([30, 45, 61, 90]);
  });

  it('alerts at the province’s own days once it sets them', async () => {
    const put = await office.send('PUT', '/api/settings', { regionCode: region, contractAlertDays: [14, 365] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const res = await office.get<ContractAlerts>(`/api/contracts/alerts?region=${region}&date=${DATE}`);
    expect(res.body).toMatchObject({ alertDays: [365, 14], alertDaysSource: 'setting', total: 10 });
    expect(stagesOf(res.body.items)).toEqual({ 0: 14, 5: 14, 7: 14, 8: 14, 30: 365, 45: 365, 61: 365, 90: 365, 150: 365, 181: 365 });
    expect(res.body.stages).toEqual([
      { days: 365, count: 6, pending: 5 },
      { days: 14, count: 4, pending: 4 },
    ]);
  });

  it('keeps a province’s alerts to its own users and national ones', async () => {
    const res = await otherLeader.get(`/api/contracts/alerts?region=${region}&date=${DATE}`);
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const own = await otherLeader.get<ContractAlerts>(`/api/contracts/alerts?region=${other}&date=${DATE}`);
    expect(own.body.items.map((a) => [a.daysLeft, a.stage, a.renewal])).toEqual([[10, 30, 'pending']]);
  });

  it('exports every alert as XLSX with Chinese headers', async () => {
    const res = await t.app.request(`/api/contracts/alerts/export.xlsx?region=${region}&date=${DATE}`, { headers: { cookie: office.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const rows = await sheetRows(res, '合同到期预警');
    expect(String(rows[0]?.[0])).toContain(`地区 ${region}，截至 ${DATE}，预警天数 365/14（本省设置）`);
    const header = rows.findIndex((r) => r?.[0] === '批次');
    expect(rows[header]).toEqual(['批次', '批次编码', '地区', '协议期满日', '剩余天数', '预警阶段', '接续采购', '接续批次', '日期说明']);
    const body = rows.slice(header + 1).filter(Boolean);
    expect(body.map((r) => r[1])).toEqual([0, 5, 7, 8, 30, 45, 61, 90, 150, 181].map((d) => code[d]));
    expect(body[4]?.slice(2, 7)).toEqual([region, addDays(DATE, 30), 30, '365 天内到期', '已接续']);
    expect(body[0]?.slice(4, 7)).toEqual([0, '14 天内到期', '待接续']);
  });
});
