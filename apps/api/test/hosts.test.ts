/**
 * The server answers only to its own names (issue 22, decision 014), on a real server over a real port and on
 * the app itself: a page that rebinds its name to this machine (`Host: rebind.attacker.example:PORT`) is
 * refused with 421 before any handler, so it can neither sign in nor change settings; loopback names and
 * VBP_PUBLIC_ORIGIN are served; a write's Origin must be one of ours in scheme, host and port; a forwarded
 * host counts only behind TRUST_PROXY, and must itself be ours. Also: a 413 closes its connection (the next
 * request on a keep-alive agent works), HSTS only over HTTPS, and framing refused by both headers.
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@vbp/db';
import { createNation } from '@vbp/db/factories';
import { sessions } from '@vbp/db/schema';
import { openTestDatabase } from '@vbp/db/testing';
import { createApp, MAX_JSON_BYTES } from '../src/app';
import { hostnameOf, ServedNames } from '../src/auth/origins';
import { ConfigError, readConfig } from '../src/config';
import { startServer, type RunningServer } from '../src/server';
import { createTestUser, signIn, TEST_PASSWORD } from './helpers';

const PUBLIC = 'https://vbp.example.gov.cn';
const ADMIN_PASSWORD = 'hosts-test-admin-password';
const quiet = () => {};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One request over a real socket, with whatever Host it names (a browser sends the name it was given). */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: options.agent ?? false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (the web app)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    // a server that answers early (413) may close while the body is still going out: the answer counts
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.end(options.body);
  });
}

const cookieOf = (answer: Answer) => answer.headers['set-cookie']?.[0]?.split(';')[0];

describe('the names the server answers to', () => {
  it('reads a Host as a browser writes it, and nothing that is not a bare host[:port]', () => {
    expect(['localhost:8787', 'LOCALHOST', '127.0.0.1', '[::1]:8787', 'localhost.', 'vbp.example.gov.cn'].map(hostnameOf)).toEqual(['localhost', 'localhost', '127.0.0.1', '::1', 'localhost', 'vbp.example.gov.cn']);
    expect(['', 'evil.example@localhost', 'localhost/x', 'local host', 'localhost:x'].map(hostnameOf)).toEqual([null, null, null, null, null]);
  });

  it('serves loopback names always, HOST when specific, the machine’s addresses on a wildcard, and the public origins’ hosts', () => {
    const own = new ServedNames({ port: 8787, publicOrigins: [PUBLIC] });
    for (const host of ['localhost', 'localhost:8787', '127.0.0.1:1', '127.9.8.7', '[::1]:8787', 'vbp.example.gov.cn', 'VBP.example.gov.cn:443']) expect(own.servesHost(host), host).toBe(true);
    for (const host of ['rebind.attacker.example:8787', '192.168.1.20', 'localhost.attacker.example', 'vbp.example.gov.cn.attacker.example', '0.0.0.0']) expect(own.servesHost(host), host).toBe(false);
    expect(new ServedNames({ host: '192.168.1.20' }).servesHost('192.168.1.20:8787')).toBe(true);
    const wildcard = new ServedNames({ host: '0.0.0.0', port: 8787, interfaceAddresses: () => ['10.1.2.3', 'fe80::1'] });
    expect(['10.1.2.3:8787', '[fe80::1]', 'localhost'].map((h) => wildcard.servesHost(h))).toEqual([true, true, true]);
    expect(wildcard.servesHost('10.1.2.4')).toBe(false);
    expect(new ServedNames({ host: '::', interfaceAddresses: () => ['10.1.2.3'] }).servesHost('10.1.2.3')).toBe(true);
  });

  it('takes an Origin as ours only in scheme, host and port: our addresses over HTTP on our port, the public origins exactly', () => {
    const names = new ServedNames({ port: 8787, publicOrigins: [PUBLIC, 'http://intranet.example:8080'] });
    for (const origin of ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787', PUBLIC, 'https://vbp.example.gov.cn:443', 'http://intranet.example:8080', 'http://localhost:8787/batches?x=1'])
      expect(names.allowsOrigin(origin), origin).toBe(true);
    for (const origin of ['https://localhost:8787', 'http://localhost:8788', 'http://localhost', 'http://vbp.example.gov.cn', 'https://vbp.example.gov.cn:8443', 'http://intranet.example', 'http://rebind.attacker.example:8787', 'null', ''])
      expect(names.allowsOrigin(origin), origin).toBe(false);
    // the port is learnt at listen (PORT=0); the app's own requests (`app.request`) carry none
    const later = new ServedNames();
    expect(later.allowsOrigin('http://localhost')).toBe(true);
    later.listening(40123);
    expect([later.allowsOrigin('http://localhost'), later.allowsOrigin('http://127.0.0.1:40123')]).toEqual([false, true]);
  });

  it('reads VBP_PUBLIC_ORIGIN as origins, comma-separated, and refuses anything else in both languages', () => {
    expect(readConfig({}, {}).publicOrigins).toEqual([]);
    expect(readConfig({ VBP_PUBLIC_ORIGIN: ' https://VBP.example.gov.cn/ , http://10.0.0.5:8080,https://vbp.example.gov.cn:443' }, {}).publicOrigins).toEqual(['https://vbp.example.gov.cn', 'http://10.0.0.5:8080']);
    for (const wrong of ['vbp.example.gov.cn', 'https://vbp.example.gov.cn/app', 'ftp://vbp.example.gov.cn', 'https://user@vbp.example.gov.cn', `${PUBLIC},*`]) {
      expect(() => readConfig({ VBP_PUBLIC_ORIGIN: wrong }, {}), wrong).toThrow(ConfigError);
      expect(() => readConfig({ VBP_PUBLIC_ORIGIN: wrong }, {}), wrong).toThrow(/VBP_PUBLIC_ORIGIN=[\s\S]*https:\/\/vbp\.example\.gov\.cn[\s\S]*来源地址/u);
    }
  });
});

describe('a real server refuses the names it does not serve', () => {
  let running: RunningServer;
  let port: number;
  let dataDir: string;
  let webRoot: string;
  let session: { cookie: string; csrf: string };
  const sessionCount = async () => (await running.database.db.select({ n: count() }).from(sessions))[0]!.n;
  const FOREIGN = () => `rebind.attacker.example:${port}`;
  const login = (headers: Record<string, string>) =>
    send(port, { method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vbp-hosts-'));
    webRoot = mkdtempSync(join(tmpdir(), 'vbp-hosts-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html><body>集采看板</body></html>');
    running = await startServer(
      { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', VBP_DEMO: '0', WEB_ROOT: webRoot, VBP_ADMIN_PASSWORD: ADMIN_PASSWORD, VBP_PUBLIC_ORIGIN: PUBLIC, MAX_UPLOAD_MB: '0.05' },
      quiet,
    );
    port = Number(new URL(running.url).port);
    const signedIn = await login({ host: `localhost:${port}`, origin: `http://localhost:${port}` });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    session = { cookie: cookieOf(signedIn)!, csrf: signedIn.body.csrfToken };
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('answers 421 to a rebound name before any handler: no sign-in, no session, in the one error shape', async () => {
    const before = await sessionCount();
    const res = await login({ host: FOREIGN(), origin: `http://${FOREIGN()}` });
    expect(res.status).toBe(421);
    expect(res.body).toEqual({
      error: { code: 'MISDIRECTED_REQUEST', message: expect.stringContaining('VBP_PUBLIC_ORIGIN'), messageZh: expect.stringContaining('rebind.attacker.example'), requestId: expect.any(String) },
    });
    expect(res.headers['x-request-id']).toBe(res.body.error.requestId);
    expect(res.headers['set-cookie']).toBeUndefined();
    // and not even a wrong password is counted against the account (the throttle never ran)
    const wrong = await send(port, { method: 'POST', path: '/api/auth/login', headers: { host: FOREIGN(), 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong' }) });
    expect(wrong.status).toBe(421);
    expect(await sessionCount()).toBe(before);
    // the web app, health and the docs alike
    for (const path of ['/', '/login', '/api/health', '/api/openapi.json', '/api/no-such-route']) expect((await send(port, { path, headers: { host: FOREIGN() } })).status, path).toBe(421);
  });

  it('changes nothing through a rebound name, even with a live session and a matching Origin', async () => {
    const read = () => send(port, { path: '/api/settings?region=110000', headers: { host: `127.0.0.1:${port}`, cookie: session.cookie } });
    const before = await read();
    expect(before.status).toBe(200);
    const put = await send(port, {
      method: 'PUT',
      path: '/api/settings',
      headers: { host: FOREIGN(), origin: `http://${FOREIGN()}`, cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ regionCode: '110000', progressWarningThreshold: 0.5 }),
    });
    expect([put.status, put.body.error.code]).toEqual([421, 'MISDIRECTED_REQUEST']);
    expect((await read()).body).toEqual(before.body);
    expect((await send(port, { path: '/api/auth/me', headers: { host: FOREIGN(), cookie: session.cookie } })).status).toBe(421);
  });

  it('serves its loopback names and the public origin’s host, and ignores X-Forwarded-Host without TRUST_PROXY', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'vbp.example.gov.cn']) {
      const res = await send(port, { path: '/api/health', headers: { host } });
      expect([host, res.status]).toEqual([host, 200]);
      expect((await send(port, { path: '/', headers: { host } })).body).toContain('集采看板');
    }
    const forwarded = await send(port, { path: '/api/auth/me', headers: { host: `localhost:${port}`, 'x-forwarded-host': FOREIGN(), cookie: session.cookie } });
    expect(forwarded.status).toBe(200);
  });

  it('takes writes only from its own origins: a difference of scheme or port is refused', async () => {
    const write = (origin: string) =>
      send(port, {
        method: 'PUT',
        path: '/api/settings',
        headers: { host: `127.0.0.1:${port}`, origin, cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ regionCode: '110000', progressWarningThreshold: 0.7 }),
      });
    for (const origin of [`https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'http://vbp.example.gov.cn', 'https://vbp.example.gov.cn:8443', 'https://evil.example']) {
      const res = await write(origin);
      expect([origin, res.status, res.body.error?.code]).toEqual([origin, 403, 'CSRF_REJECTED']);
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, PUBLIC]) expect((await write(origin)).status, origin).toBe(200);
    // a Referer stands in for a missing Origin, by the same rule; saying neither is a non-browser client's right
    const byReferer = await send(port, { method: 'POST', path: '/api/auth/logout', headers: { host: `localhost:${port}`, referer: `http://localhost:${port + 1}/settings`, cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(byReferer.status).toBe(403);
  });

  it('closes the connection after a 413, so the next request on a keep-alive agent is answered', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const headers = { host: `localhost:${port}`, cookie: session.cookie };
      expect((await send(port, { path: '/api/health', headers, agent })).status).toBe(200);
      const big = JSON.stringify({ username: 'x'.repeat(MAX_JSON_BYTES), password: 'y' });
      const json = await send(port, { method: 'POST', path: '/api/auth/login', headers: { ...headers, 'content-type': 'application/json' }, body: big, agent });
      expect([json.status, json.body.error?.code, json.headers.connection]).toEqual([413, 'PAYLOAD_TOO_LARGE', 'close']);
      expect((await send(port, { path: '/api/health', headers, agent })).status).toBe(200);

      // an upload over MAX_UPLOAD_MB (here 0.05 MB) alike
      const boundary = 'vbp-hosts-boundary';
      const file = Buffer.concat([
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="kind"\r\n\r\npurchases\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.csv"\r\ncontent-type: text/csv\r\n\r\n`),
        Buffer.alloc(2 * 1024 * 1024, 'a'),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const upload = await send(port, { method: 'POST', path: '/api/uploads', headers: { ...headers, 'x-csrf-token': session.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: file, agent });
      expect([upload.status, upload.body.error?.code, upload.headers.connection]).toEqual([413, 'PAYLOAD_TOO_LARGE', 'close']);
      expect((await send(port, { path: '/api/auth/me', headers, agent })).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('sends no HSTS over plain HTTP (a forwarded https is not believed without TRUST_PROXY), and refuses framing by both headers', async () => {
    for (const path of ['/api/health', '/']) {
      for (const extra of [{}, { 'x-forwarded-proto': 'https' }] as Record<string, string>[]) {
        const res = await send(port, { path, headers: { host: `localhost:${port}`, ...extra } });
        expect(res.headers['strict-transport-security'], path).toBeUndefined();
        expect(res.headers['x-frame-options'], path).toBe('DENY');
        expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      }
    }
  });
});

describe('behind a trusted proxy', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  const sessionCount = async () => (await database.db.select({ n: count() }).from(sessions))[0]!.n;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await createNation(database.db);
    app = createApp({ database, request: { trustProxy: true }, names: new ServedNames({ publicOrigins: [PUBLIC] }) });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('refuses a forwarded host that is not ours (421, no session), and serves its public name', async () => {
    const user = await createTestUser(database.db, 'admin', '100000');
    const before = await sessionCount();
    const body = JSON.stringify({ username: user.username, password: TEST_PASSWORD });
    const through = (forwardedHost: string, origin: string) =>
      app.request('http://127.0.0.1:8787/api/auth/login', { method: 'POST', headers: { host: '127.0.0.1:8787', 'x-forwarded-host': forwardedHost, 'x-forwarded-proto': 'https', origin, 'content-type': 'application/json' }, body });
    for (const host of ['rebind.attacker.example', 'vbp.example.gov.cn, rebind.attacker.example']) {
      const res = await through(host, 'https://rebind.attacker.example');
      expect([host, res.status, ((await res.json()) as any).error.code]).toEqual([host, 421, 'MISDIRECTED_REQUEST']);
    }
    expect(await sessionCount()).toBe(before);
    const served = await through('vbp.example.gov.cn', PUBLIC);
    expect(served.status).toBe(200);
    expect(served.headers.get('set-cookie')).toMatch(/; Secure/u);
    expect(await sessionCount()).toBe(before + 1);
    // the Host the proxy itself sends must be ours as well (a name the proxy did not give is a client's)
    const direct = await app.request('http://rebind.attacker.example/api/health', { headers: { host: 'rebind.attacker.example', 'x-forwarded-host': 'vbp.example.gov.cn' } });
    expect(direct.status).toBe(421);
  });

  it('sends HSTS when the proxy says the request came over HTTPS, and only then', async () => {
    const over = (proto: string) => app.request('/api/health', { headers: { 'x-forwarded-proto': proto } });
    expect((await over('https')).headers.get('strict-transport-security')).toMatch(/^max-age=\d+/u);
    expect((await over('http')).headers.get('strict-transport-security')).toBeNull();
    // the app's own requests, as the tests send them, name localhost and are served by default
    const plain = createApp({ database });
    const client = await signIn(plain, await createTestUser(database.db, 'office', '100000'));
    expect((await client.send('POST', '/api/auth/logout', {}, { origin: 'http://localhost' })).status).toBe(204);
  });
});
