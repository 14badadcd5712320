/**
 * HTTP hardening and the request log (issue 13, items 3–5), on the real app over a real database: security
 * headers on the API and on the web app, body limits, malformed JSON, read timeouts, no stack to a client
 * but one in the log, our own request id in the audit log whatever the client says, the forwarded host only
 * behind a trusted proxy (and there only one we serve: hosts.test.ts), and one access line per request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '@vbp/db';
import { createNation } from '@vbp/db/factories';
import { auditLog } from '@vbp/db/schema';
import { openTestDatabase, TEST_ENGINES } from '@vbp/db/testing';
import { createApp, MAX_JSON_BYTES } from '../../src/app';
import { ServedNames } from '../../src/auth/origins';
import { createLogger } from '../../src/log';
import { anonymous, createTestUser, signIn, type Client } from '../helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

describe('HTTP hardening and the request log', () => {
  let database: Database;
  let webRoot: string;
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;
  let admin: Client;
  const logged = () => lines.map((l) => JSON.parse(l) as Record<string, any>);

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await createNation(database.db);
    webRoot = mkdtempSync(join(tmpdir(), 'vbp-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body></body></html>');
    app = createApp({ database, webRoot, logger: createLogger((line) => lines.push(line)) });
    admin = await signIn(app, await createTestUser(database.db, 'admin', '100000'));
  });
  afterAll(async () => {
    await database?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('sends security headers with the API and the web app: a CSP without inline scripts, no framing, nosniff, a referrer policy', async () => {
    for (const path of ['/api/health', '/', '/batches/some-page']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/u)).map(([name, ...values]) => [name, values]));
      expect(directives.get('script-src'), path).toEqual(["'self'"]);
      expect(directives.get('default-src'), path).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      // the same refusal for browsers that know only the older header; HSTS never over plain HTTP
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('refuses a JSON body over the limit, with or without Content-Length, before reading it all', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(MAX_JSON_BYTES), password: 'y' });
    const declared = await anonymous(app).send('POST', '/api/auth/login', JSON.parse(big));
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', messageZh: expect.stringContaining('上限') });
    // chunked: no length said, counted as it comes
    const chunks = [big.slice(0, MAX_JSON_BYTES / 2), big.slice(MAX_JSON_BYTES / 2)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const chunked = await app.request('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('answers malformed JSON with 400 in both languages', async () => {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "admin", ' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Malformed JSON'), messageZh: '请求体不是有效的 JSON' });
  });

  it('keeps stacks in the log and out of the answer', async () => {
    const other = await openTestDatabase('pglite');
    const own: string[] = [];
    try {
      await createNation(other.db);
      const broken = createApp({ database: other, logger: createLogger((line) => own.push(line)) });
      const user = await signIn(broken, await createTestUser(other.db, 'admin', '100000'));
      await other.db.execute(sql`drop table regions cascade`);
      const res = await user.get('/api/regions');
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({ code: 'INTERNAL', message: 'Internal server error', messageZh: '服务器内部错误', requestId: expect.stringMatching(UUID) });
      expect(JSON.stringify(res.body)).not.toMatch(/\bat \w|\.ts:\d|regions/u);
      const error = own.map((l) => JSON.parse(l)).find((l) => l.message === 'unexpected error');
      expect(error).toMatchObject({ level: 'error', requestId: res.body.error.requestId, path: '/api/regions', err: { stack: expect.stringMatching(/\n\s+at /u) } });
    } finally {
      await other.close();
    }
  });

  // A database in memory (the other tests) answers on this thread, within one turn of the event loop: only
  // a server, or the stored embedded database on its own thread (pglite-thread.ts), can outlast the timer.
  const slowEngines = [...(TEST_ENGINES.includes('postgres') ? (['postgres'] as const) : []), 'stored pglite'] as const;
  it.each(slowEngines)('answers a read that takes too long with 503 and Retry-After (%s)', async (engine) => {
    const stored = engine === 'stored pglite' ? mkdtempSync(join(tmpdir(), 'vbp-read-timeout-')) : null;
    const server = stored ? await createDatabase({ pgliteDir: join(stored, 'pglite') }) : await openTestDatabase('postgres');
    try {
      if (stored) await server.migrate();
      await createNation(server.db);
      const slow = createApp({ database: server, readTimeoutMs: 1 });
      const user = await signIn(slow, await createTestUser(server.db, 'leader', '100000'));
      const res = await user.get('/api/overview?region=100000');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(res.body.error).toMatchObject({ code: 'UNAVAILABLE', messageZh: expect.stringContaining('稍后重试') });
      // with the default the same read answers
      const patient = createApp({ database: server });
      expect((await (await signIn(patient, await createTestUser(server.db, 'leader', '100000'))).get('/api/overview?region=100000')).status).toBe(200);
    } finally {
      await server.close();
      if (stored) rmSync(stored, { recursive: true, force: true });
    }
  });

  it("writes our request id into the audit log, never the client's, and logs the client's beside it", async () => {
    const forged = 'forged-by-the-client';
    const res = await admin.send('POST', '/api/users', { username: 'audited-user', displayName: '审计测试', role: 'leader', regionCode: '100000', password: 'a long enough password 1' }, { 'x-request-id': forged });
    expect(res.status).toBe(201);
    const ours = res.headers.get('x-request-id')!;
    expect(ours).toMatch(UUID);
    const [entry] = await database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: 'create', entity: 'user', requestId: ours });
    const access = logged().find((l) => l.message === 'request' && l.requestId === ours);
    expect(access).toMatchObject({ clientRequestId: forged, method: 'POST', route: '/api/users', status: 201, user: expect.any(String), ms: expect.any(Number) });
  });

  it('counts X-Forwarded-Host only behind a trusted proxy, and there only a name we serve', async () => {
    const attempt = (target: ReturnType<typeof createApp>, client: Client, forwardedHost: string, origin: string) =>
      target.request('http://localhost/api/auth/logout', {
        method: 'POST',
        headers: { origin, 'x-forwarded-host': forwardedHost, cookie: client.cookie!, 'x-csrf-token': client.csrfToken!, 'content-type': 'application/json' },
        body: '{}',
      });
    const office = () => createTestUser(database.db, 'office', '100000');
    // without TRUST_PROXY a forwarded host is the client's word: ignored, and the Origin judged against ours
    const direct = await attempt(app, await signIn(app, await office()), 'evil.example', 'https://evil.example');
    expect(direct.status).toBe(403);
    expect(((await direct.json()) as any).error.code).toBe('CSRF_REJECTED');
    expect((await attempt(app, await signIn(app, await office()), 'evil.example', 'http://localhost')).status).toBe(204);
    // behind one, a forwarded host we do not serve is refused (421) before a handler runs; ours is served
    const proxied = createApp({ database, request: { trustProxy: true }, names: new ServedNames({ publicOrigins: ['https://vbp.internal'] }) });
    const foreign = await attempt(proxied, await signIn(proxied, await office()), 'evil.example', 'https://evil.example');
    expect(foreign.status).toBe(421);
    expect(((await foreign.json()) as any).error.code).toBe('MISDIRECTED_REQUEST');
    expect((await attempt(proxied, await signIn(proxied, await office()), 'vbp.internal', 'https://vbp.internal')).status).toBe(204);
  });

  it('refuses a wrong CSRF token of the right length', async () => {
    const token = admin.csrfToken!;
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const res = await admin.send('POST', '/api/auth/logout', {}, { 'x-csrf-token': wrong });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_REJECTED');
  });

  it('logs one access line per request: id, user, route, status, duration', async () => {
    lines.length = 0;
    const res = await admin.get('/api/regions');
    await anonymous(app).get('/api/regions');
    const access = logged().filter((l) => l.message === 'request');
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({ level: 'info', requestId: res.headers.get('x-request-id'), method: 'GET', route: '/api/regions', status: 200, user: expect.any(String), at: expect.any(String) });
    expect(access[1]).toMatchObject({ route: '/api/regions', status: 401, user: null });
    console.log(`reliability hardening: ${access.length} access lines checked, security headers on API and web app, body limit ${MAX_JSON_BYTES} bytes`);
  });
});
