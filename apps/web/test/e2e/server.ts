/**
 * What the browser tests share: the real server (`scripts/start.ts`, what `pnpm start` runs) on a free port
 * with a fresh DATA_DIR (a copy of the one its first start left, seeded once per run), Chromium through playwright-core, and signing in (in the browser and for API
 * calls made by the test itself). The web app is built once, under a lock, before any server starts, so
 * test files running in parallel never build into the same dist/ at the same time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Me } from '@vbp/contracts/auth';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const ROOT = resolve(import.meta.dirname, '../../../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const START_TIMEOUT_MS = 240_000;
/** The password of the demo accounts (apps/api demo mode; README). */
export const DEMO_PASSWORD = 'vbp-demo-2026';

const WEB = join(ROOT, 'apps/web');
const BUILD_LOCK = join(WEB, 'node_modules/.vbp-e2e-build.lock');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, name) => (name === 'node_modules' || name === 'dist' ? max : Math.max(max, newestMtime(join(path, name)))), 0);
}

/** Builds apps/web when its sources (or the contracts) are newer than dist/, as scripts/start.ts would. */
async function ensureWebBuilt(): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch {
      // another test file is building; a lock left by a killed run is taken over after 5 minutes
      const age = Date.now() - (await stat(BUILD_LOCK).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 300_000) await rm(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for the web build lock');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const built = join(WEB, 'dist/index.html');
    const sources = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(ROOT, 'packages/contracts/src')];
    if (!existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs) {
      const result = spawnSync(process.execPath, [join(WEB, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
        cwd: WEB,
        stdio: 'inherit',
        // vitest sets NODE_ENV=test, which would build React's development bundle: test what users get
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (result.status !== 0) throw new Error(`the web build failed (${result.status})`);
    }
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface TestServer {
  base: string;
  /** The server's last lines of output, for failure messages. */
  log(): string;
  /**
   * Stops the server as an operator does (SIGTERM: it refuses new work, stops upload jobs under way and
   * closes its database) and starts it again on the same port and DATA_DIR, as after a restart.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A DATA_DIR as the first start with `env` leaves it (migrated, reference and demo data loaded), made once per
 * test run and copied for every file's server: the first start seeds ~0.5 million demo rows, ~20 s a file.
 * Kept under the run's directory (scripts/test/global-setup.ts), so a change of code never meets an old copy.
 */
async function seededDataDir(env: Record<string, string>): Promise<string> {
  const runDir = process.env.VBP_E2E_TEMPLATES;
  if (!runDir) throw new Error('VBP_E2E_TEMPLATES is not set: the browser tests run under vitest (scripts/test/global-setup.ts)');
  const key = createHash('sha256').update(JSON.stringify(Object.entries(env).sort())).digest('hex').slice(0, 16);
  const template = join(runDir, key);
  if (existsSync(template)) return template;
  const building = `${template}.${process.pid}.tmp`;
  await rm(building, { recursive: true, force: true });
  const first = await launchServer(env, building);
  await first.halt();
  await rm(join(building, 'data', 'uploads'), { recursive: true, force: true });
  await rename(building, template);
  return template;
}

/**
 * Starts the real server on a free port with a fresh DATA_DIR (demo mode, as `pnpm start` on PGlite): a copy
 * of the run's seeded one for `env`, as the first start with it left it.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  await ensureWebBuilt();
  const dataDir = await mkdtemp(join(tmpdir(), 'vbp-web-e2e-'));
  let server: Awaited<ReturnType<typeof launchServer>>;
  try {
    await cp(join(await seededDataDir(env), 'data'), join(dataDir, 'data'), { recursive: true });
    server = await launchServer(env, dataDir);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    base: server.base,
    log: server.log,
    restart: server.restart,
    async stop() {
      await server.halt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The server on a free port over `dataDir/data`, healthy; `halt` stops it and leaves the directory. */
async function launchServer(env: Record<string, string>, dataDir: string): Promise<{ base: string; log(): string; restart(): Promise<void>; halt(): Promise<void> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await mkdir(dataDir, { recursive: true });
  await mkdir(ARTIFACTS, { recursive: true });
  let output = '';
  const log = () => output.split('\n').slice(-40).join('\n');
  let server: ChildProcess;
  // node with tsx's loader is `pnpm start` without pnpm's wrapper process, so SIGTERM reaches the server
  // itself and it closes its database.
  const launch = () => {
    server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(dataDir, 'data'), NODE_ENV: 'production', SKIP_WEB_BUILD: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  };

  const halt = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((r) => server.once('exit', () => r()));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
  };

  const waitHealthy = async () => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (server.exitCode !== null) {
        await halt();
        throw new Error(`the server exited with ${server.exitCode} before it was healthy:\n${log()}`);
      }
      try {
        const res = await fetch(`${base}/api/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await halt();
        throw new Error(`the server was not healthy within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  launch();
  await waitHealthy();
  return {
    base,
    log,
    halt,
    async restart() {
      await halt();
      launch();
      await waitHealthy();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Signs in through the login page and waits until the app has left it (for `next`, or wherever the app
 * sends the user: the change-password form when they must change it).
 */
export async function signIn(page: Page, base: string, username: string, password: string, next = '/'): Promise<void> {
  await page.goto(next === '/' ? `${base}/login` : `${base}/login?next=${encodeURIComponent(next)}`);
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 30_000 });
}

/** A session for the test's own API calls (what the page shows is compared with what the API says). */
export interface ApiSession {
  me: Me;
  get<T>(path: string): Promise<T>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export async function apiSignIn(base: string, username: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as Me;
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { cookie, 'x-csrf-token': me.csrfToken, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    me,
    fetch: call,
    async get<T>(path: string): Promise<T> {
      const r = await call(path);
      if (!r.ok) throw new Error(`GET ${path} → ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}

/** Nothing wider than the viewport (a phone must not scroll sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
