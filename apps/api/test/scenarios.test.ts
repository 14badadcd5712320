import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addVarieties, createBatch, createImplementation, createRegion, createTarget, createVariety } from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, signIn, openTestApp, type Client, type TestApp } from './helpers';

const JIANGSU = '320000';
const BEIJING = '110000';
/** Every projection here is made as of this day, so the trend and what is "covered today" do not move. */
const AS_OF = '2025-06-30';

interface Batch {
  name: string;
  level: 'provincial' | 'alliance';
  productType: 'drug' | 'consumable';
  implementationDate: string;
  varieties?: string[];
  varietyCount?: number;
  coveredShare?: string;
}

const plan = (name: string, batches: Batch[]) => ({ name, regionCode: JIANGSU, batches });

describe.each(TEST_ENGINES)('scenarios (规划) on %s', (engine) => {
  let t: TestApp;
  let office: Client;
  let targetId: number;

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    await createRegion(db, { code: JIANGSU, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: BEIJING, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    // 江苏 covers 阿托伐他汀 and 二甲双胍 (named as the catalogue names them) and three more from 2023-09, five
    // more from 2024-09: a rising trend of about five varieties a year
    const first = await createBatch(db, { level: 'provincial', regionCode: JIANGSU });
    const named = [
      await createVariety(db, { nameZh: '阿托伐他汀', key: '阿托伐他汀|口服常释剂型' }),
      await createVariety(db, { nameZh: '二甲双胍', key: '二甲双胍|口服常释剂型' }),
    ];
    const others = [await createVariety(db), await createVariety(db), await createVariety(db)];
    await addVarieties(db, first.id, [...named, ...others].map((v) => v.id));
    // a failed tender (流标) covers nothing: 恩替卡韦 is not covered
    await addVarieties(db, first.id, [(await createVariety(db, { nameZh: '恩替卡韦', key: '恩替卡韦|口服常释剂型' })).id], 'failed');
    await createImplementation(db, { batchId: first.id, regionCode: JIANGSU, startOn: '2023-09-01' });
    const second = await createBatch(db, { level: 'provincial', regionCode: JIANGSU });
    const more = [];
    for (let i = 0; i < 5; i++) more.push(await createVariety(db));
    await addVarieties(db, second.id, more.map((v) => v.id));
    await createImplementation(db, { batchId: second.id, regionCode: JIANGSU, startOn: '2024-09-01' });
    // scheduled after the projection's day: 氨氯地平 is not covered yet
    const later = await createBatch(db, { level: 'provincial', regionCode: JIANGSU });
    await addVarieties(db, later.id, [(await createVariety(db, { nameZh: '氨氯地平', key: '氨氯地平|口服常释剂型' })).id]);
    await createImplementation(db, { batchId: later.id, regionCode: JIANGSU, startOn: '2025-12-01' });

    targetId = (await createTarget(db, { regionCode: JIANGSU, count: 20, setOn: '2024-01-01', dueOn: '2026-12-31' })).id;
    office = await signIn(t.app, await createTestUser(db, 'office', JIANGSU));
  });
  afterAll(() => t?.database.close());

  it('creates, lists, changes and removes a scenario, each change audited with before and after', async () => {
    const created = await office.send('POST', '/api/scenarios', {
      ...plan('省级第九批', [{ name: '省级第九批', level: 'provincial', productType: 'drug', implementationDate: '2026-03-01', varietyCount: 10, coveredShare: '0.3' }]),
      note: '草案',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ regionCode: JIANGSU, name: '省级第九批', note: '草案', batches: [{ position: 0, varietyCount: 10, coveredShare: '0.300', varieties: null, announcementDate: null }] });
    const id = created.body.id;

    const list = await office.get(`/api/scenarios?region=${JIANGSU}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: number }) => s.id)).toContain(id);
    expect(list.body).toMatchObject({ page: 1, pageSize: 50 });
    // without a region: the user's own province
    expect((await office.get('/api/scenarios')).body.total).toBe(list.body.total);

    const taken = await office.send('POST', '/api/scenarios', plan('省级第九批', [{ name: 'x', level: 'alliance', productType: 'drug', implementationDate: '2026-03-01', varietyCount: 1 }]));
    expect([taken.status, taken.body.error.code, taken.body.error.messageZh]).toEqual([409, 'CONFLICT', '320000 已有名为“省级第九批”的规划']);

    const changed = await office.send('PATCH', `/api/scenarios/${id}`, {
      name: '省级第九批（调整）',
      batches: [
        { name: '联盟集采', level: 'alliance', productType: 'drug', announcementDate: '2026-01-10', implementationDate: '2026-05-01', varieties: ['甲药', '乙药'] },
        { name: '省级第九批', level: 'provincial', productType: 'drug', implementationDate: '2026-03-01', varietyCount: 12 },
      ],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.name).toBe('省级第九批（调整）');
    expect(changed.body.batches.map((b: { name: string; level: string }) => [b.name, b.level])).toEqual([['联盟集采', 'alliance'], ['省级第九批', 'provincial']]);
    expect((await office.get(`/api/scenarios/${id}`)).body.batches).toHaveLength(2);

    expect((await office.send('DELETE', `/api/scenarios/${id}`)).status).toBe(204);
    expect((await office.get(`/api/scenarios/${id}`)).status).toBe(404);
    expect((await office.send('DELETE', `/api/scenarios/${id}`)).status).toBe(404);

    const audit = await office.get('/api/audit?entity=scenario');
    const entries = audit.body.items.filter((e: { entityId: string }) => e.entityId === String(id));
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
    const update = entries[1];
    expect(update.before.name).toBe('省级第九批');
    expect(update.before.batches).toHaveLength(1);
    expect(update.after.name).toBe('省级第九批（调整）');
    expect(update.after.batches.map((b: { varieties: string[] | null }) => b.varieties)).toEqual([['甲药', '乙药'], null]);
    expect(entries[0].before.name).toBe('省级第九批（调整）');
  });

  it('keeps each province to its own scenarios: leaders read, other provinces neither read nor write', async () => {
    const db = t.database.db;
    const created = await office.send('POST', '/api/scenarios', plan('范围检查', [{ name: 'b', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 3 }]));
    const id = created.body.id;
    const beijing = await signIn(t.app, await createTestUser(db, 'office', BEIJING));
    // another province's scenario answers exactly as one that does not exist; naming its region is refused
    const unknown = await beijing.get('/api/scenarios/99999999');
    for (const res of [
      await beijing.get(`/api/scenarios/${id}`),
      await beijing.get(`/api/scenarios/${id}/projection`),
      await beijing.send('PATCH', `/api/scenarios/${id}`, { name: 'x' }),
      await beijing.send('DELETE', `/api/scenarios/${id}`),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
      expect(res.body.error.message.replace(String(id), 'N')).toBe(unknown.body.error.message.replace('99999999', 'N'));
    }
    expect((await office.get(`/api/scenarios/${id}`)).body.name).toBe('范围检查');
    expect((await beijing.get(`/api/scenarios?region=${JIANGSU}`)).status).toBe(403);
    const foreign = await beijing.send('POST', '/api/scenarios', plan('越权', [{ name: 'b', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 3 }]));
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await beijing.get('/api/scenarios')).body.items).toEqual([]);
    const own = await beijing.send('POST', '/api/scenarios', { ...plan('北京规划', [{ name: 'b', level: 'alliance', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 3 }]), regionCode: BEIJING });
    expect(own.status).toBe(201);
    expect((await beijing.get('/api/scenarios')).body.items.map((s: { id: number }) => s.id)).toEqual([own.body.id]);

    const leader = await signIn(t.app, await createTestUser(db, 'leader', JIANGSU));
    expect((await leader.get(`/api/scenarios/${id}`)).body.name).toBe('范围检查');
    expect((await leader.get(`/api/scenarios/${id}/projection?date=${AS_OF}`)).status).toBe(200);
    expect((await leader.send('PATCH', `/api/scenarios/${id}`, { name: 'x' })).status).toBe(403);
    // a national user reads and writes any province's
    expect((await t.get(`/api/scenarios?region=${JIANGSU}`)).body.items.some((s: { id: number }) => s.id === id)).toBe(true);
    // without a region, every province's
    const everywhere = (await t.get('/api/scenarios')).body;
    expect(everywhere.items.map((s: { id: number }) => s.id)).toEqual(expect.arrayContaining([id, own.body.id]));
    expect((await t.send('PATCH', `/api/scenarios/${id}`, { note: '国家局意见' })).body.note).toBe('国家局意见');
    const national = await t.send('POST', '/api/scenarios', { ...plan('全国', []), regionCode: '100000', batches: [{ name: 'b', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 1 }] });
    expect([national.status, national.body.error.messageZh]).toEqual([400, '规划须针对某一省份，不能针对全国']);
  });

  it('refuses a planned batch without varieties or a count, saying where in Chinese and English', async () => {
    const res = await office.send('POST', '/api/scenarios', plan('无品种', [{ name: '空批次', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01' }]));
    expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect(res.body.error.issues).toContainEqual({ path: 'batches.0.varieties', message: 'give a list of variety names or a variety count / 请填写品种清单或品种数量' });
    expect(res.body.error.messageZh).toContain('请求参数无效：batches.0.varieties');

    const national = await office.send('POST', '/api/scenarios', plan('国家级', [{ name: 'n', level: 'national' as 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 2 }]));
    expect(national.body.error.issues[0]).toMatchObject({ path: 'batches.0.level', message: 'the level is provincial or alliance / 批次层级应为省级（provincial）或联盟（alliance）' });
    const share = await office.send('POST', '/api/scenarios', plan('比例', [{ name: 'n', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 2, coveredShare: '1.5' }]));
    expect(share.body.error.issues[0].path).toBe('batches.0.coveredShare');
    const empty = await office.send('POST', '/api/scenarios', plan('空', []));
    expect(empty.body.error.issues[0]).toMatchObject({ path: 'batches', message: 'a scenario plans at least one batch / 规划至少包含一个批次' });
  });

  it('counts no new variety for a planned batch of varieties 江苏 already covers, and lists the overlap', async () => {
    const created = await office.send(
      'POST',
      '/api/scenarios',
      plan('重复品种', [{ name: '省级续约', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varieties: ['阿托伐他汀钙片', '盐酸二甲双胍片', '阿托伐他汀钙片'] }]),
    );
    const res = await office.get(`/api/scenarios/${created.body.id}/projection?date=${AS_OF}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.netNewVarieties).toBe(0);
    expect(res.body.overlap.map((o: { name: string; variety: { nameZh: string } }) => [o.name, o.variety.nameZh])).toEqual([
      ['阿托伐他汀钙片', '阿托伐他汀'],
      ['盐酸二甲双胍片', '二甲双胍'],
      ['阿托伐他汀钙片', '阿托伐他汀'],
    ]);
    const target = res.body.targets.find((x: { targetId: number }) => x.targetId === targetId);
    // nothing new: the scenario is the baseline
    expect(target.scenario).toEqual({ projectedAtDue: target.baseline.projectedAtDue, metOn: target.baseline.metOn, addedByDue: 0 });

    // a failed tender and a batch not yet started cover nothing today: those names are new
    const mixed = await office.send(
      'POST',
      '/api/scenarios',
      plan('部分新增', [{ name: '联盟', level: 'alliance', productType: 'drug', implementationDate: '2026-01-01', varieties: ['恩替卡韦片', '苯磺酸氨氯地平片', '阿托伐他汀'] }]),
    );
    const projection = (await office.get(`/api/scenarios/${mixed.body.id}/projection?date=${AS_OF}`)).body;
    expect(projection.netNewVarieties).toBe(2);
    expect(projection.batches[0]).toMatchObject({ basis: 'list', planned: 3, netNewVarieties: 2, repeated: [] });
    expect(projection.overlap.map((o: { name: string }) => o.name)).toEqual(['阿托伐他汀']);
  });

  it('moves the met date earlier and the projected count up when a batch of new varieties is planned', async () => {
    const created = await office.send('POST', '/api/scenarios', plan('新增八个', [{ name: '省级第十批', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varieties: ['甲1', '甲2', '甲3', '甲4', '甲5', '甲6', '甲7', '甲8'] }]));
    const before = (await office.get(`/api/scenarios/${created.body.id}/projection?date=${AS_OF}`)).body;
    const target = before.targets.find((x: { targetId: number }) => x.targetId === targetId);
    // the baseline is the targets page's own projection
    const listed = (await office.get(`/api/targets?region=${JIANGSU}&date=${AS_OF}`)).body.items.find((x: { id: number }) => x.id === targetId);
    expect(target.baseline).toEqual({ projectedAtDue: listed.progress.projectedAtDue, metOn: listed.progress.projectedMetOn });
    expect(target.current).toBe(10);
    expect(listed.progress.projectedAtDue).toBeLessThan(20);
    expect(target.baseline.metOn > '2026-12-31').toBe(true);

    expect(before.netNewVarieties).toBe(8);
    expect(target.scenario.addedByDue).toBe(8);
    expect(target.scenario.projectedAtDue).toBeCloseTo(target.baseline.projectedAtDue + 8, 6);
    expect(target.scenario.metOn < target.baseline.metOn).toBe(true);
    expect(target.scenario.metOn >= '2026-01-01').toBe(true);
    // the path steps up by 8 on the implementation date and never before it
    const on = target.path.find((p: { date: string }) => p.date === '2026-01-01');
    const dayBefore = target.path.find((p: { date: string }) => p.date === '2025-12-31');
    expect(on.scenario - on.baseline).toBeCloseTo(8, 6);
    expect(dayBefore.scenario).toBe(dayBefore.baseline);

    // planned after the due date, the same batch leaves the projected count at the due date alone
    await office.send('PATCH', `/api/scenarios/${created.body.id}`, { batches: [{ name: '省级第十批', level: 'provincial', productType: 'drug', implementationDate: '2027-06-01', varietyCount: 8 }] });
    const after = (await office.get(`/api/scenarios/${created.body.id}/projection?date=${AS_OF}`)).body.targets.find((x: { targetId: number }) => x.targetId === targetId);
    expect(after.scenario.addedByDue).toBe(0);
    expect(after.scenario.projectedAtDue).toBe(after.baseline.projectedAtDue);
    expect(after.scenario.metOn >= '2027-06-01' || after.scenario.metOn === after.baseline.metOn).toBe(true);
    expect(after.scenario.metOn <= after.baseline.metOn).toBe(true);
  });

  it('applies the expected covered share to a counted batch, and never changes actual coverage', async () => {
    const coverage = async () => (await office.get(`/api/coverage?region=${JIANGSU}&type=drug&date=2026-12-31`)).body.cumulative;
    const before = await coverage();
    const created = await office.send('POST', '/api/scenarios', plan('按数量', [{ name: '联盟', level: 'alliance', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 15, coveredShare: '0.3' }]));
    const projection = (await office.get(`/api/scenarios/${created.body.id}/projection?date=${AS_OF}`)).body;
    // round(15 × 0.7) = round(10.5) = 11
    expect(projection.batches[0]).toMatchObject({ basis: 'count', planned: 15, netNewVarieties: 11 });
    expect(projection.assumptions.map((a: { zh: string }) => a.zh).join('')).toContain('新增品种数 = 四舍五入');
    expect(await coverage()).toBe(before);
  });
});
