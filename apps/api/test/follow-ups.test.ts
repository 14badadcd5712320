/**
 * The follow-up list (督办) on both engines, through the real app. As of 2024-06-30 the contract year
 * 2024-01-01…2024-12-31 has run 182 of 366 days (time progress 0.497268); behind below 0.8 of that (0.397814).
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchData } from '@vbp/core/data-version';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { createBatchWithVarieties, createRegion, createSelectedProduct } from '@vbp/db/factories';
import { createAgreedVolume, createInstitution, createPurchases } from '@vbp/db/execution-factories';
import { auditLog } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, readSheet, signIn, openTestApp, type Client, type TestApp, type TestUser } from './helpers';

const OWN = '320000';
const OTHER = '110000';
const DATE = '2024-06-30';
const YEAR = { periodStart: '2024-01-01', periodEnd: '2024-12-31' };

const months = (from: number, to: number, quantity: string) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`2024-${String(from + i).padStart(2, '0')}-01`, quantity]));


let citySequence = 0;
/** A city code of its own for each test, so filters by city see only that test's items. */
const nextCity = () => `32${String(++citySequence).padStart(2, '0')}00`;

describe.each(TEST_ENGINES)('follow-ups on %s', (engine) => {
  let t: TestApp;
  let officeUser: TestUser;
  let office: Client;
  let leader: Client;
  let otherOffice: Client;
  let ids: { batch: number; batchCode: string; v1: number; v2: number; p1: number; p2: number; otherInstitution: number };

  /** An institution in its own city with an agreed volume of V1 (1000) and V2 (500) for 2024, and what it bought. */
  async function hospital(bought: { v1?: Record<string, string>; v2?: Record<string, string> } = {}) {
    const db = t.database.db;
    const city = nextCity();
    const h = await createInstitution(db, { regionCode: OWN, cityCode: city, cityName: `城市${city}` });
    await createAgreedVolume(db, { ...YEAR, regionCode: OWN, batchId: ids.batch, institutionId: h.id, varietyId: ids.v1, quantity: '1000' });
    await createAgreedVolume(db, { ...YEAR, regionCode: OWN, batchId: ids.batch, institutionId: h.id, varietyId: ids.v2, quantity: '500' });
    if (bought.v1) await createPurchases(db, { regionCode: OWN, institutionId: h.id, productId: ids.p1, months: bought.v1 });
    if (bought.v2) await createPurchases(db, { regionCode: OWN, institutionId: h.id, productId: ids.p2, months: bought.v2 });
    // the factories write raw rows; the product's writers keep the execution summaries the execution page reads
    await rebuildSummaries(db);
    await touchData(db, 'execution', OWN);
    return { ...h, city };
  }

  const create = (client: Client, body: Record<string, unknown>) =>
    client.send('POST', '/api/follow-ups', { regionCode: OWN, reason: 'late_purchase', dueOn: '2024-07-31', ...body });

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    await createRegion(db, { code: OWN, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: OTHER, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const { batch, varieties } = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: OWN, nameZh: '江苏省第九批药品集采' });
    const [v1, v2] = varieties as [(typeof varieties)[number], (typeof varieties)[number]];
    const p1 = await createSelectedProduct(db, { batchId: batch.id, varietyId: v1.id, referencePrice: '10', selectedPrice: '4' });
    const p2 = await createSelectedProduct(db, { batchId: batch.id, varietyId: v2.id, referencePrice: '8', selectedPrice: '3' });
    const other = await createInstitution(db, { regionCode: OTHER, name: '北京测试医院', cityCode: '110100', cityName: '北京市' });
    ids = { batch: batch.id, batchCode: batch.code, v1: v1.id, v2: v2.id, p1: p1.product.id, p2: p2.product.id, otherInstitution: other.id };
    officeUser = await createTestUser(db, 'office', OWN);
    office = await signIn(t.app, officeUser);
    leader = await signIn(t.app, await createTestUser(db, 'leader', '100000'));
    otherOffice = await signIn(t.app, await createTestUser(db, 'office', OTHER));
  });
  afterAll(() => t?.database.close());

  it('creates, moves, closes and reopens an item, each change audited with the actor and the values before and after', async () => {
    const h = await hospital({ v1: months(1, 5, '60') });
    const created = await create(office, { institutionId: h.id, batchCode: ids.batchCode, reason: 'supply', note: '配送企业断供', dueOn: '2024-08-15' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      regionCode: OWN,
      institution: { id: h.id, code: h.code, name: h.name, cityCode: h.city },
      variety: null,
      batch: { code: ids.batchCode, nameZh: '江苏省第九批药品集采' },
      reason: 'supply',
      note: '配送企业断供',
      dueOn: '2024-08-15',
      status: 'open',
      createdBy: officeUser.username,
      updatedBy: officeUser.username,
      closedAt: null,
    });
    const id = created.body.id as number;

    const interviewed = await office.send('PATCH', `/api/follow-ups/${id}?region=${OWN}`, { status: 'interviewed', note: '已约谈院方药剂科' });
    expect(interviewed.status, JSON.stringify(interviewed.body)).toBe(200);
    expect(interviewed.body).toMatchObject({ status: 'interviewed', note: '已约谈院方药剂科', closedAt: null, reason: 'supply' });

    const closed = await office.send('PATCH', `/api/follow-ups/${id}?region=${OWN}`, { status: 'closed' });
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).toEqual(expect.any(String));
    expect(closed.body.caughtUp).toBeNull();

    const reopened = await office.send('PATCH', `/api/follow-ups/${id}?region=${OWN}`, { status: 'open', dueOn: '2024-09-30' });
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null, dueOn: '2024-09-30' });

    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'follow-up'), eq(auditLog.entityId, String(id))))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.action, a.actor, a.regionCode])).toEqual([
      ['create', officeUser.username, OWN],
      ['update', officeUser.username, OWN],
      ['close', officeUser.username, OWN],
      ['reopen', officeUser.username, OWN],
    ]);
    expect(audit.every((a) => a.at instanceof Date)).toBe(true);
    expect(audit[0]!.before).toBeNull();
    expect(audit[0]!.after).toMatchObject({ status: 'open', reason: 'supply', institutionId: h.id, createdBy: officeUser.username });
    expect(audit[1]!.before).toMatchObject({ status: 'open', note: '配送企业断供' });
    expect(audit[1]!.after).toMatchObject({ status: 'interviewed', note: '已约谈院方药剂科' });
    expect(audit[2]!.after).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(audit[3]!.before).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(audit[3]!.after).toMatchObject({ status: 'open', closedAt: null, dueOn: '2024-09-30' });
  });

  it('keeps each province to its own items (another province’s answer as missing ones), and leaders read-only', async () => {
    const h = await hospital();
    const forOther = await create(office, { regionCode: OTHER, institutionId: ids.otherInstitution });
    expect([forOther.status, forOther.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const theirs = await create(otherOffice, { regionCode: OTHER, institutionId: ids.otherInstitution });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    // another province's item answers as one that does not exist, and stays as it was
    const patchTheirs = await office.send('PATCH', `/api/follow-ups/${theirs.body.id}?region=${OTHER}`, { status: 'closed' });
    expect([patchTheirs.status, patchTheirs.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await office.send('PATCH', `/api/follow-ups/99999999?region=${OTHER}`, { status: 'closed' })).body.error).toMatchObject({ code: 'NOT_FOUND' });
    expect((await otherOffice.get(`/api/follow-ups?region=${OTHER}`)).body.items.find((i: { id: number }) => i.id === theirs.body.id).status).toBe('open');
    // the item's id under the office's own region is not theirs either
    expect((await office.send('PATCH', `/api/follow-ups/${theirs.body.id}?region=${OWN}`, { status: 'closed' })).status).toBe(404);
    expect((await office.get(`/api/follow-ups?region=${OTHER}`)).status).toBe(403);
    expect((await office.get(`/api/follow-ups/export.xlsx?region=${OTHER}`)).status).toBe(403);
    // an institution of another province named under one's own
    const crossed = await create(office, { institutionId: ids.otherInstitution });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.message).toContain('institutionId');

    const mine = await create(office, { institutionId: h.id });
    expect((await create(leader, { institutionId: h.id })).status).toBe(403);
    expect((await leader.send('PATCH', `/api/follow-ups/${mine.body.id}?region=${OWN}`, { status: 'closed' })).status).toBe(403);
    const read = await leader.get(`/api/follow-ups?region=${OWN}&city=${h.city}`);
    expect(read.status).toBe(200);
    expect(read.body.items.map((i: { id: number }) => i.id)).toEqual([mine.body.id]);
  });

  it('says when an open item has caught up with time progress, and does not close it', async () => {
    // 300 of V1 by June, nothing of V2: 300 of 1500 agreed (0.2 < 0.397814)
    const lagging = await hospital({ v1: months(1, 5, '60') });
    // V1 720 of 1000, V2 nothing: the institution (720 of 1500 = 0.48) is not behind, its V2 is
    const mixed = await hospital({ v1: months(1, 6, '120') });
    const a = await create(office, { institutionId: lagging.id });
    const b = await create(office, { institutionId: mixed.id, varietyId: ids.v2, batchCode: ids.batchCode });
    const c = await create(office, { institutionId: mixed.id });
    const list = async (city: string) => (await office.get(`/api/follow-ups?region=${OWN}&city=${city}&date=${DATE}`)).body;

    let body = await list(lagging.city);
    expect([body.threshold, body.thresholdSource]).toEqual([0.8, 'default']);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id: a.body.id, caughtUp: false, completion: 0.2, timeProgress: 0.497268, status: 'open' });
    body = await list(mixed.city);
    const byId = Object.fromEntries(body.items.map((i: { id: number }) => [i.id, i]));
    expect(byId[b.body.id]).toMatchObject({ caughtUp: false, completion: 0, variety: { id: ids.v2 } });
    expect(byId[c.body.id]).toMatchObject({ caughtUp: true, completion: 0.48 });

    // June's purchases arrive: 600 of 1500 ≥ 1500 × 182/366 × 0.8 = 596.72
    await createPurchases(t.database.db, { regionCode: OWN, institutionId: lagging.id, productId: ids.p1, months: { '2024-06-01': '300' } });
    await rebuildSummaries(t.database.db);
    await touchData(t.database.db, 'execution', OWN);
    body = await list(lagging.city);
    expect(body.items[0]).toMatchObject({ id: a.body.id, caughtUp: true, completion: 0.4, status: 'open', closedAt: null });

    // a closed item is not judged
    await office.send('PATCH', `/api/follow-ups/${a.body.id}?region=${OWN}`, { status: 'closed' });
    body = await list(lagging.city);
    expect(body.items[0]).toMatchObject({ status: 'closed', caughtUp: null, completion: null });
  });

  it("judges caught-up with the province's own warning threshold, as the execution page does", async () => {
    // a province of its own, so its setting leaves the other tests' default alone
    const db = t.database.db;
    const ZJ = '330000';
    await createRegion(db, { code: ZJ, nameZh: '浙江省', shortNameZh: '浙江', nameEn: 'Zhejiang' });
    const zjOffice = await signIn(t.app, await createTestUser(db, 'office', ZJ));
    const h = await createInstitution(db, { regionCode: ZJ, cityCode: '330100', cityName: '杭州市' });
    await createAgreedVolume(db, { ...YEAR, regionCode: ZJ, batchId: ids.batch, institutionId: h.id, varietyId: ids.v1, quantity: '1000' });
    // 450 of 1000 by June: 0.45 ≥ 0.497268 × 0.8, but < 0.497268 × 0.95
    await createPurchases(db, { regionCode: ZJ, institutionId: h.id, productId: ids.p1, months: months(1, 6, '75') });
    // the factories write raw rows; the product's writers keep the execution summaries the execution page reads
    await rebuildSummaries(db);
    await touchData(db, 'execution', ZJ);
    const item = await zjOffice.send('POST', '/api/follow-ups', { regionCode: ZJ, institutionId: h.id, reason: 'other', dueOn: '2024-07-31' });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const judged = async () => {
      const [list, execution] = await Promise.all([
        zjOffice.get(`/api/follow-ups?region=${ZJ}&date=${DATE}`),
        zjOffice.get(`/api/execution?region=${ZJ}&date=${DATE}&by=institution`),
      ]);
      const row = execution.body.items.find((r: { institutionId: number }) => r.institutionId === h.id);
      return { list: list.body, caughtUp: list.body.items[0].caughtUp, executionBehind: row.behind, executionThreshold: execution.body.threshold };
    };
    expect(await judged()).toMatchObject({ caughtUp: true, executionBehind: false, executionThreshold: 0.8, list: { threshold: 0.8, thresholdSource: 'default' } });
    expect((await zjOffice.send('PUT', '/api/settings', { regionCode: ZJ, progressWarningThreshold: 0.95 })).status).toBe(200);
    expect(await judged()).toMatchObject({ caughtUp: false, executionBehind: true, executionThreshold: 0.95, list: { threshold: 0.95, thresholdSource: 'setting' } });
  });

  it('filters by status, city, batch and reason, pages, and counts the open and overdue', async () => {
    const h1 = await hospital();
    const h2 = await hospital();
    const x = await create(office, { institutionId: h1.id, reason: 'supply', dueOn: '2024-06-01', batchCode: ids.batchCode });
    const y = await create(office, { institutionId: h1.id, reason: 'not_reported', dueOn: '2024-07-15' });
    const z = await create(office, { institutionId: h1.id, reason: 'supply', dueOn: '2024-05-01' });
    await create(office, { institutionId: h2.id, reason: 'supply', dueOn: '2024-05-01' });
    await office.send('PATCH', `/api/follow-ups/${z.body.id}?region=${OWN}`, { status: 'closed' });
    const get = async (q: string) => {
      const res = await office.get(`/api/follow-ups?region=${OWN}&city=${h1.city}&date=${DATE}${q}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const idsOf = (body: { items: { id: number }[] }) => body.items.map((i) => i.id);

    // not closed first, soonest due first
    const all = await get('');
    expect([idsOf(all), all.total]).toEqual([[x.body.id, y.body.id, z.body.id], 3]);
    // overdue: due before the date and not closed (z is past due but closed)
    expect(all.items.map((i: { overdue: boolean }) => i.overdue)).toEqual([true, false, false]);
    expect(idsOf(await get('&status=closed'))).toEqual([z.body.id]);
    expect(idsOf(await get('&reason=supply'))).toEqual([x.body.id, z.body.id]);
    expect(idsOf(await get(`&batch=${ids.batchCode}`))).toEqual([x.body.id]);
    expect(idsOf(await get('&status=open&reason=not_reported'))).toEqual([y.body.id]);
    const page2 = await get('&pageSize=1&page=2');
    expect([idsOf(page2), page2.total, page2.page, page2.pageSize]).toEqual([[y.body.id], 3, 2, 1]);
    expect(all.options.cities).toEqual(expect.arrayContaining([{ value: h1.city, label: `城市${h1.city}` }, { value: h2.city, label: `城市${h2.city}` }]));
    expect(all.options.batches).toEqual([{ value: ids.batchCode, label: '江苏省第九批药品集采' }]);

    // the counts: every item of the province not closed, and of those the overdue, as of the date
    const items = (await office.get(`/api/follow-ups?region=${OWN}&date=${DATE}&pageSize=100`)).body.items as { status: string; dueOn: string }[];
    const expected = { open: items.filter((i) => i.status !== 'closed').length, overdue: items.filter((i) => i.status !== 'closed' && i.dueOn < DATE).length };
    expect(expected.overdue).toBeGreaterThanOrEqual(2);
    const counts = await office.get(`/api/follow-ups/counts?region=${OWN}&date=${DATE}`);
    expect(counts.body).toEqual(expected);
    expect((await office.get(`/api/follow-ups?region=${OWN}&date=${DATE}&pageSize=1`)).body.counts).toEqual(expected);
    // the nation's counts for national users, none for a province's office
    expect((await leader.get(`/api/follow-ups/counts?region=100000&date=${DATE}`)).body.open).toBeGreaterThanOrEqual(expected.open);
    expect((await office.get('/api/follow-ups/counts?region=100000')).status).toBe(403);
  });

  it('names the field that failed validation', async () => {
    const h = await hospital();
    const noReason = await office.send('POST', '/api/follow-ups', { regionCode: OWN, institutionId: h.id, dueOn: '2024-07-31' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['reason']);
    const badDate = await create(office, { institutionId: h.id, dueOn: '2024-13-01' });
    expect(badDate.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['dueOn']);
    const badReason = await create(office, { institutionId: h.id, reason: 'lazy' });
    expect(badReason.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['reason']);
    const unknownVariety = await create(office, { institutionId: h.id, varietyId: 99999999 });
    expect([unknownVariety.status, unknownVariety.body.error.message]).toEqual([400, expect.stringContaining('varietyId')]);
    const unknownBatch = await create(office, { institutionId: h.id, batchCode: 'NO-SUCH-BATCH' });
    expect([unknownBatch.status, unknownBatch.body.error.messageZh]).toEqual([400, expect.stringContaining('NO-SUCH-BATCH')]);
    const item = await create(office, { institutionId: h.id });
    const badStatus = await office.send('PATCH', `/api/follow-ups/${item.body.id}?region=${OWN}`, { status: 'done' });
    expect(badStatus.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['status']);
    expect((await office.send('PATCH', `/api/follow-ups/${item.body.id}?region=${OWN}`, {})).status).toBe(400);
    const noRegion = await office.send('PATCH', `/api/follow-ups/${item.body.id}`, { status: 'closed' });
    expect(noRegion.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['region']);
  });

  it('exports the filter to XLSX with Chinese headers, every row read back', async () => {
    const h = await hospital({ v1: months(1, 5, '60') });
    const a = await create(office, { institutionId: h.id, reason: 'clinical_demand', note: '临床用药结构调整', dueOn: '2024-06-15', batchCode: ids.batchCode });
    const b = await create(office, { institutionId: h.id, varietyId: ids.v2, reason: 'other', dueOn: '2024-12-31' });
    const res = await office.get(`/api/follow-ups/export.xlsx?region=${OWN}&city=${h.city}&date=${DATE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('x-total-rows')).toBe('2');
    const raw = await t.app.request(`/api/follow-ups/export.xlsx?region=${OWN}&city=${h.city}&date=${DATE}`, {
      headers: { cookie: office.cookie! },
    });
    const rows = await readSheet(raw, '督办清单');
    expect(String(rows[0]![0])).toContain(`督办清单 — 地区 ${OWN}，截至 ${DATE}，滞后阈值 0.8（默认值），筛选：城市 ${h.city}`);
    const header = rows.findIndex((r) => r?.[0] === '编号');
    expect(rows[header]).toEqual([
      '编号', '医疗机构', '机构编码', '城市', '品种', '批次', '原因', '备注', '整改期限', '状态', '是否逾期',
      '完成率', '序时进度', '是否已赶上序时进度', '创建人', '创建时间', '最后修改人', '最后修改时间', '关闭时间',
    ]);
    const body = rows.slice(header + 1).filter(Boolean);
    expect(body).toHaveLength(2);
    expect(body[0]!.slice(0, 14)).toEqual([
      a.body.id, h.name, h.code, `城市${h.city}`, '（全部品种）', '江苏省第九批药品集采', '临床需求变化', '临床用药结构调整', '2024-06-15', '待处理', '逾期', 0.2, 0.497268, '仍滞后',
    ]);
    expect(body[1]!.slice(0, 3)).toEqual([b.body.id, h.name, h.code]);
    expect(body[1]!.slice(6, 14)).toEqual(['其他', null, '2024-12-31', '待处理', '否', 0, 0.497268, '仍滞后']);
    expect(body[0]![14]).toBe(officeUser.username);
  });
});
