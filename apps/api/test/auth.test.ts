import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, ensureInitialUsers } from '@vbp/core/auth/bootstrap';
import { hashPassword, parseHash, SCRYPT_PARAMS, verifyPassword } from '@vbp/core/auth/password';
import { findSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, createSession } from '@vbp/core/auth/sessions';
import { THROTTLE } from '@vbp/core/auth/throttle';
import { selectRows } from '@vbp/db';
import { TEST_ENGINES } from '@vbp/db/testing';
import { auditLog } from '@vbp/db/schema';
import { createApp } from '../src/app';
import { anonymous, createTestUser, openTestApp, signIn, TEST_PASSWORD, type TestApp } from './helpers';

describe('password hashing', () => {
  it('uses scrypt with N=2^15, r=8, p=1, a 16-byte salt per hash and a 32-byte key', async () => {
    expect(SCRYPT_PARAMS).toMatchObject({ N: 32768, r: 8, p: 1, saltLength: 16, keyLength: 32 });
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).not.toBe(b);
    const parsed = parseHash(a)!;
    expect(parsed).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.key).toHaveLength(32);
    expect(a).not.toContain('same password');
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same passworD', a)).toBe(false);
    expect(await verifyPassword('same password', 'scrypt$garbage')).toBe(false);
  });
});

describe.each(TEST_ENGINES)('sign-in and sessions on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(engine);
  });
  afterAll(() => t?.database.close());

  it('signs in with an httpOnly, SameSite=Lax cookie and answers me; signs out for good', async () => {
    const user = await createTestUser(t.database.db, 'leader', '320000');
    const client = anonymous(t.app);
    const res = await client.send('POST', '/api/auth/login', { username: user.username.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^vbp_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    client.csrfToken = res.body.csrfToken;
    const me = await client.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ username: user.username, role: 'leader', regionCode: '320000', permissions: expect.arrayContaining(['read:coverage']) });
    expect(me.body.user.permissions).not.toContain('write:targets');
    expect((await client.send('POST', '/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('marks the cookie Secure behind HTTPS', async () => {
    const user = await createTestUser(t.database.db, 'leader', '320000');
    const secureApp = createApp({ database: t.database, request: { secureCookies: true } });
    const res = await anonymous(secureApp).send('POST', '/api/auth/login', { username: user.username, password: TEST_PASSWORD });
    expect(res.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('expires sessions after 8 idle hours and 12 hours in all, and slides while used', async () => {
    const user = await createTestUser(t.database.db, 'leader', '320000');
    const start = new Date('2026-01-05T01:00:00Z');
    const { token } = await createSession(t.database.db, user.id, { ip: null, userAgent: null }, start);
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect(await findSession(t.database.db, token, at(SESSION_IDLE_MS + 1000))).toBeNull();
    // used every 7 hours it lives on, but never past 12 hours after sign-in
    expect(await findSession(t.database.db, token, at(7 * 3_600_000))).not.toBeNull();
    expect(await findSession(t.database.db, token, at(11.5 * 3_600_000))).not.toBeNull();
    expect(await findSession(t.database.db, token, at(SESSION_ABSOLUTE_MS + 1000))).toBeNull();
  });

  it('stores only a hash of the session token', async () => {
    const user = await createTestUser(t.database.db, 'leader', '320000');
    const client = await signIn(t.app, user);
    const token = client.cookie!.split('=')[1]!;
    const rows = await selectRows<{ dump: string }>(t.database.db, sql`select row_to_json(s)::text as dump from sessions s`);
    expect(rows.some((r) => r.dump.includes(token))).toBe(false);
  });

  it('revokes sessions on sign-out elsewhere, password change, reset and disabling', async () => {
    const user = await createTestUser(t.database.db, 'office', '320000');
    const first = await signIn(t.app, user);
    const second = await signIn(t.app, user);
    const changed = await first.send('POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' });
    expect(changed.status).toBe(204);
    expect((await first.get('/api/auth/me')).status).toBe(200);
    expect((await second.get('/api/auth/me')).status).toBe(401);

    const again = await signIn(t.app, { username: user.username, password: 'a brand new password' });
    const reset = await t.admin.send('POST', `/api/users/${user.id}/reset-password`, { newPassword: 'reset by the admin' });
    expect(reset.status).toBe(204);
    expect((await again.get('/api/auth/me')).status).toBe(401);

    const afterReset = await signIn(t.app, { username: user.username, password: 'reset by the admin' });
    // must change the password first: everything else is refused
    const blocked = await afterReset.get('/api/overview?region=320000');
    expect([blocked.status, blocked.body.error.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    expect((await afterReset.send('POST', '/api/auth/password', { currentPassword: 'reset by the admin', newPassword: 'my own new password' })).status).toBe(204);
    expect((await afterReset.get('/api/regions')).status).toBe(200);

    expect((await t.admin.send('PATCH', `/api/users/${user.id}`, { disabled: true })).status).toBe(200);
    expect((await afterReset.get('/api/auth/me')).status).toBe(401);
    const disabledLogin = await anonymous(t.app).send('POST', '/api/auth/login', { username: user.username, password: 'my own new password' });
    expect([disabledLogin.status, disabledLogin.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
  });

  it('refuses state-changing requests without the CSRF token or from another origin', async () => {
    const user = await createTestUser(t.database.db, 'office', '320000');
    const client = await signIn(t.app, user);
    const body = { regionCode: '320000', productType: 'drug', unit: 'variety', count: 10, setOn: '2024-01-01', dueOn: '2025-12-31' };
    const token = client.csrfToken;
    client.csrfToken = null;
    const missing = await client.send('POST', '/api/targets', body);
    expect([missing.status, missing.body.error.code]).toEqual([403, 'CSRF_REJECTED']);
    const wrong = await client.send('POST', '/api/targets', body, { 'x-csrf-token': 'not-the-token' });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'CSRF_REJECTED']);
    client.csrfToken = token;
    const crossSite = await client.send('POST', '/api/targets', body, { origin: 'https://evil.example' });
    expect([crossSite.status, crossSite.body.error.code]).toEqual([403, 'CSRF_REJECTED']);
    expect((await client.send('POST', '/api/targets', body, { origin: 'http://localhost' })).status).toBe(201);
    // a cross-site form cannot sign anyone in
    const form = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a&password=b' });
    expect(form.status).toBe(400);
    const foreign = await anonymous(t.app).send('POST', '/api/auth/login', { username: user.username, password: TEST_PASSWORD }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });

  it('locks a username after 5 failures without saying whether it exists', async () => {
    const user = await createTestUser(t.database.db, 'leader', '320000');
    const client = anonymous(t.app);
    const attempt = (username: string, password: string, ip: string) =>
      client.send('POST', '/api/auth/login', { username, password }, { 'x-forwarded-for': ip });
    for (const name of [user.username, 'no-such-user-anywhere']) {
      for (let i = 0; i < THROTTLE.maxUserFailures; i++) {
        const res = await attempt(name, 'wrong password', `10.0.0.${i}`);
        expect([res.status, res.body.error.code, res.body.error.messageZh]).toEqual([401, 'INVALID_CREDENTIALS', '用户名或密码错误']);
      }
    }
    const real = await attempt(user.username, TEST_PASSWORD, '10.0.1.1');
    const fake = await attempt('no-such-user-anywhere', TEST_PASSWORD, '10.0.1.2');
    for (const res of [real, fake]) {
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(real.body.error.messageZh).toBe(fake.body.error.messageZh);
  });

  it('locks an address after 30 failures across usernames (behind a trusted proxy)', async () => {
    const proxied = createApp({ database: t.database, request: { trustProxy: true } });
    const client = anonymous(proxied);
    const user = await createTestUser(t.database.db, 'leader', '320000');
    for (let i = 0; i < THROTTLE.maxIpFailures; i++) {
      await client.send('POST', '/api/auth/login', { username: `guess-${i}`, password: 'x' }, { 'x-forwarded-for': '203.0.113.9' });
    }
    const blocked = await client.send('POST', '/api/auth/login', { username: user.username, password: TEST_PASSWORD }, { 'x-forwarded-for': '203.0.113.9' });
    expect(blocked.status).toBe(429);
    const elsewhere = await client.send('POST', '/api/auth/login', { username: user.username, password: TEST_PASSWORD }, { 'x-forwarded-for': '203.0.113.10' });
    expect(elsewhere.status).toBe(200);
  });

  describe('secrets stay secret', () => {
    const output: string[] = [];
    afterEach(() => vi.restoreAllMocks());

    it('never puts a password or a session id in a response body, a log line or the audit log', async () => {
      for (const method of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args) => void output.push(args.map(String).join(' ')));
      const secretPassword = 'Sekrit-Passw0rd-XYZ';
      const created = await t.admin.send('POST', '/api/users', { username: 'secret-keeper', displayName: '保密', role: 'office', regionCode: '320000', password: secretPassword });
      expect(created.status).toBe(201);
      const bodies: string[] = [JSON.stringify(created.body)];
      const client = anonymous(t.app);
      const login = await client.send('POST', '/api/auth/login', { username: 'secret-keeper', password: secretPassword });
      const token = client.cookie!.split('=')[1]!;
      client.csrfToken = login.body.csrfToken;
      bodies.push(JSON.stringify(login.body));
      bodies.push(JSON.stringify((await client.send('POST', '/api/auth/password', { currentPassword: secretPassword, newPassword: `${secretPassword}-2` })).body));
      bodies.push(JSON.stringify((await client.send('POST', '/api/auth/login', { username: 'secret-keeper', password: 'wrong' })).body));
      bodies.push(JSON.stringify((await t.admin.send('POST', `/api/users/${created.body.id}/reset-password`, { newPassword: `${secretPassword}-3` })).body));
      bodies.push(JSON.stringify((await t.admin.get('/api/audit?pageSize=500')).body));
      bodies.push(JSON.stringify((await t.admin.get('/api/users?q=secret')).body));
      bodies.push(await (await t.app.request('/api/audit/export.csv', { headers: { cookie: t.admin.cookie! } })).text());
      const audit = await selectRows<{ dump: string }>(t.database.db, sql`select row_to_json(a)::text as dump from audit_log a`);
      const everything = [...bodies, ...output, ...audit.map((r) => r.dump)].join('\n');
      expect(everything).toContain('secret-keeper');
      expect(everything).not.toContain(secretPassword);
      expect(everything).not.toContain(token);
      expect(everything).not.toMatch(/scrypt\$/);
    });
  });

  it('creates the first admin from VBP_ADMIN_PASSWORD, or a generated one, and demo users only in demo mode', async () => {
    const db = t.database.db;
    // this database already has users but no `admin`
    const first = await ensureInitialUsers(db, { adminPassword: 'given admin password', demo: false });
    expect(first).toEqual({ generatedAdminPassword: null, createdDemoUsers: [], enabledDemoUsers: [], disabledDemoUsers: [] });
    const admin = await signIn(t.app, { username: 'admin', password: 'given admin password' });
    expect((await admin.get('/api/auth/me')).body.user).toMatchObject({ role: 'admin', regionCode: '100000', mustChangePassword: false });
    const demo = await ensureInitialUsers(db, { demo: true });
    expect(demo.generatedAdminPassword).toBeNull();
    expect(demo.createdDemoUsers).toEqual(['jiangsu-office', 'jiangsu-clerk', 'national-leader']);
    const office = await signIn(t.app, { username: 'jiangsu-office', password: DEMO_PASSWORD });
    expect((await office.get('/api/auth/me')).body.user).toMatchObject({ role: 'office', regionCode: '320000' });
    expect((await ensureInitialUsers(db, { demo: true })).createdDemoUsers).toEqual([]);

    // the same database started outside demo mode (on the network): the accounts with the published password
    // are disabled and their sessions end; one whose password was changed keeps working
    const leader = await signIn(t.app, { username: 'national-leader', password: DEMO_PASSWORD });
    expect((await leader.send('POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'a password of its own 2026' })).status).toBe(204);
    const off = await ensureInitialUsers(db, { demo: false });
    expect(off.disabledDemoUsers).toEqual(['jiangsu-clerk', 'jiangsu-office']);
    expect((await office.get('/api/auth/me')).status).toBe(401);
    expect((await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jiangsu-clerk', password: DEMO_PASSWORD }) })).status).toBe(401);
    await signIn(t.app, { username: 'national-leader', password: 'a password of its own 2026' });
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'update'));
    expect(audit.filter((r) => r.entity === 'user' && JSON.stringify(r.after).includes('demo mode is off'))).toHaveLength(2);
    // demo mode asked for again brings them back
    expect(await ensureInitialUsers(db, { demo: true })).toMatchObject({ createdDemoUsers: [], enabledDemoUsers: ['jiangsu-office', 'jiangsu-clerk'] });
    await signIn(t.app, { username: 'jiangsu-clerk', password: DEMO_PASSWORD });
  });

  it('generates a first admin password that must be changed', async () => {
    const other = await openTestApp(engine);
    try {
      const result = await ensureInitialUsers(other.database.db, { demo: false });
      expect(result.generatedAdminPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const admin = await signIn(other.app, { username: 'admin', password: result.generatedAdminPassword! });
      expect((await admin.get('/api/auth/me')).body.user.mustChangePassword).toBe(true);
      expect((await admin.get('/api/users')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    } finally {
      await other.database.close();
    }
  });
});
