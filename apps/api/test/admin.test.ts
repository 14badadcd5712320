import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatch, createDocument, createRegion } from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type TestApp } from './helpers';

describe.each(TEST_ENGINES)('users, targets, batches and the audit log on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(engine);
    await createRegion(t.database.db, { code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(t.database.db, { code: '110000', nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
  });
  afterAll(() => t?.database.close());

  it('creates, finds, changes and disables users, and refuses a taken name', async () => {
    const created = await t.send('POST', '/api/users', { username: 'Zhang.San', displayName: '张三', role: 'clerk', regionCode: '320000', password: 'first password 123' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'Zhang.San', role: 'clerk', regionCode: '320000', disabled: false, mustChangePassword: true });
    expect(created.body).not.toHaveProperty('passwordHash');
    const taken = await t.send('POST', '/api/users', { username: 'zhang.san', displayName: 'x', role: 'leader', regionCode: '320000', password: 'first password 123' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'CONFLICT']);
    const badRegion = await t.send('POST', '/api/users', { username: 'li.si', displayName: '李四', role: 'leader', regionCode: '999999', password: 'first password 123' });
    expect([badRegion.status, badRegion.body.error.messageZh]).toEqual([400, '地区代码不存在：999999']);
    const short = await t.send('POST', '/api/users', { username: 'li.si', displayName: '李四', role: 'leader', regionCode: '320000', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0].path).toBe('password');

    const found = await t.get('/api/users?q=zhang&role=clerk');
    expect(found.body.items.map((u: { username: string }) => u.username)).toEqual(['Zhang.San']);
    const changed = await t.send('PATCH', `/api/users/${created.body.id}`, { role: 'office', displayName: '张三（集采办）' });
    expect(changed.body).toMatchObject({ role: 'office', displayName: '张三（集采办）' });
    const me = (await t.get('/api/auth/me')).body.user;
    const selfDisable = await t.send('PATCH', `/api/users/${me.id}`, { disabled: true });
    expect([selfDisable.status, selfDisable.body.error.code]).toEqual([409, 'CONFLICT']);
  });

  it('lets an office set, change and remove its own province’s targets, with before and after in the audit log', async () => {
    const doc = await createDocument(t.database.db, { code: 'JS-TEST-DOC', titleZh: '江苏测试文件', issuedOn: '2024-10-28' });
    const documents = await t.get('/api/documents');
    expect(documents.body.items).toContainEqual({ code: 'JS-TEST-DOC', titleZh: '江苏测试文件', issuer: '测试机关', issuedOn: '2024-10-28', url: null });
    const office = await signIn(t.app, await createTestUser(t.database.db, 'office', '320000'));
    const created = await office.send('POST', '/api/targets', {
      regionCode: '320000',
      productType: 'consumable',
      unit: 'category',
      count: 8,
      setOn: '2024-01-01',
      dueOn: '2026-12-31',
      documentCode: doc.code,
      clause: '二(三)',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ count: 8, unit: 'category', regionCode: '320000', source: { titleZh: '江苏测试文件', clause: '二(三)' } });
    const id = created.body.id;
    const backwards = await office.send('PATCH', `/api/targets/${id}`, { dueOn: '2023-06-30' });
    expect([backwards.status, backwards.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    const unknownDoc = await office.send('PATCH', `/api/targets/${id}`, { documentCode: 'NOPE' });
    expect(unknownDoc.body.error.messageZh).toBe('来源文件代码不存在：NOPE');
    expect((await office.send('PATCH', `/api/targets/${id}`, { count: 9 })).body.count).toBe(9);
    expect((await office.send('DELETE', `/api/targets/${id}`)).status).toBe(204);
    expect((await office.send('DELETE', `/api/targets/${id}`)).status).toBe(404);

    const audit = await office.get('/api/audit?entity=target');
    expect(audit.status).toBe(200);
    const actions = audit.body.items.filter((e: { entityId: string }) => e.entityId === String(id)).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['delete', 'update', 'create']);
    const update = audit.body.items.find((e: { action: string; entityId: string }) => e.action === 'update' && e.entityId === String(id));
    expect(update.before.count).toBe(8);
    expect(update.after.count).toBe(9);
    // the office sees its own region's entries only
    expect(audit.body.items.every((e: { regionCode: string }) => e.regionCode === '320000')).toBe(true);
  });

  it('lets an office correct its own provincial batch but not a national one', async () => {
    const own = await createBatch(t.database.db, { level: 'provincial', regionCode: '320000', code: 'JS-P-TEST' });
    const national = await createBatch(t.database.db, { level: 'national', code: 'N-TEST' });
    const office = await signIn(t.app, await createTestUser(t.database.db, 'office', '320000'));
    const res = await office.send('PATCH', `/api/batches/${own.code}`, { nameZh: '江苏省第一批（更正）', contractYears: '2', announcedOn: '2023-03-01' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: own.code, nameZh: '江苏省第一批（更正）', contractYears: '2.0', announcedOn: '2023-03-01' });
    expect((await office.send('PATCH', `/api/batches/${national.code}`, { note: 'x' })).status).toBe(403);
    expect((await t.send('PATCH', `/api/batches/${national.code}`, { note: '全国用户可改' })).status).toBe(200);
  });

  it('filters the audit log and exports it as CSV for Excel, formulas neutralised', async () => {
    await t.send('POST', '/api/users', { username: 'formula-user', displayName: '=HYPERLINK("http://evil","x")', role: 'leader', regionCode: '110000', password: 'first password 123' });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const list = await t.get(`/api/audit?entity=user&action=create&from=${today}&to=${today}&pageSize=2`);
    expect(list.status).toBe(200);
    expect(list.body.pageSize).toBe(2);
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    expect(list.body.items.every((e: { entity: string; action: string }) => e.entity === 'user' && e.action === 'create')).toBe(true);
    const none = await t.get('/api/audit?from=2001-01-01&to=2001-12-31');
    expect(none.body.total).toBe(0);

    const res = await t.app.request('/api/audit/export.csv?entity=user', { headers: { cookie: t.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('时间 at');
    expect(text).toContain('formula-user');
    // the display name went in as JSON inside a quoted cell, never as a cell starting with =
    expect(text.split('\r\n').some((line) => line.split(',').some((cell) => /^"?=/.test(cell)))).toBe(false);
  });
});
