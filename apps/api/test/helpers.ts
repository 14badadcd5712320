import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '@vbp/contracts/roles';
import { hashPassword } from '@vbp/core/auth/password';
import type { Database } from '@vbp/db';
import { createNation, createRegion } from '@vbp/db/factories';
import { users } from '@vbp/db/schema';
import { openTestDatabase, type TestEngine } from '@vbp/db/testing';
import { readRows } from '@vbp/importer/read';
import { createApp } from '../src/app';
import { ReadCache } from '../src/read-cache';
import { ReadWarmer } from '../src/warm-reads';

export const TEST_PASSWORD = 'correct horse battery staple';
let testHash: Promise<string> | undefined;
let userSequence = 0;

export interface TestUser {
  id: number;
  username: string;
  password: string;
  role: Role;
  regionCode: string;
}

/** A user of the given role and region (same password for all: hashing once keeps tests fast). */
export async function createTestUser(db: Database['db'], role: Role, regionCode: string, extra: { mustChangePassword?: boolean } = {}): Promise<TestUser> {
  testHash ??= hashPassword(TEST_PASSWORD);
  const username = `${role}-${regionCode}-${++userSequence}`;
  await createRegion(db, { code: regionCode });
  const [row] = await db
    .insert(users)
    .values({ username, displayName: username, role, regionCode, passwordHash: await testHash, mustChangePassword: extra.mustChangePassword ?? false })
    .returning({ id: users.id });
  return { id: row!.id, username, password: TEST_PASSWORD, role, regionCode };
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export interface Client {
  csrfToken: string | null;
  cookie: string | null;
  get<T = any>(path: string): Promise<Response<T>>;
  send<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  /** POST a multipart form (uploads). */
  sendForm<T = any>(path: string, form: FormData): Promise<Response<T>>;
}

type App = ReturnType<typeof createApp>;

async function parse(res: globalThis.Response): Promise<Response> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

export function anonymous(app: App): Client {
  const client: Client = {
    csrfToken: null,
    cookie: null,
    async get(path) {
      return parse(await app.request(path, { headers: client.cookie ? { cookie: client.cookie } : {} }));
    },
    async send(method, path, body, headers = {}) {
      const res = await app.request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(client.cookie ? { cookie: client.cookie } : {}),
          ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie?.startsWith('vbp_session=')) client.cookie = setCookie.split(';')[0]!;
      return parse(res);
    },
    async sendForm(path, form) {
      const headers: Record<string, string> = {};
      if (client.cookie) headers.cookie = client.cookie;
      if (client.csrfToken) headers['x-csrf-token'] = client.csrfToken;
      return parse(await app.request(path, { method: 'POST', headers, body: form }));
    },
  };
  return client;
}

export async function signIn(app: App, user: { username: string; password: string }): Promise<Client> {
  const client = anonymous(app);
  const res = await client.send('POST', '/api/auth/login', { username: user.username, password: user.password });
  if (res.status !== 200) throw new Error(`sign-in of ${user.username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.csrfToken = res.body.csrfToken;
  return client;
}

export interface TestApp extends Client {
  database: Database;
  app: App;
  /** Signed in as a national administrator (the default client). */
  admin: Client;
  /** The app's read cache (its hit and miss counters say what was computed). */
  readCache: ReadCache;
  /** Prepares answers after commits, with `warm: true` (as the server does). */
  warmer: ReadWarmer | null;
}

/** The real app on a fresh database, with the nation row and a signed-in national administrator. */
export async function openTestApp(
  engine: TestEngine,
  options: { demo?: boolean; uploads?: Parameters<typeof createApp>[0]['uploads']; onQuery?: (query: string) => void; warm?: boolean } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(engine, options.onQuery ? { onQuery: options.onQuery } : {});
  await createNation(database.db);
  const readCache = new ReadCache();
  const warmer = options.warm ? new ReadWarmer({ database, cache: readCache }) : null;
  const app = createApp({ database, demo: options.demo ?? false, readCache, ...(warmer ? { warmer } : {}), ...(options.uploads ? { uploads: options.uploads } : {}) });
  const admin = await signIn(app, await createTestUser(database.db, 'admin', '100000'));
  return { ...admin, get: admin.get, send: admin.send, sendForm: admin.sendForm, database, app, admin, readCache, warmer };
}

/** The sheet's rows through the importer's own XLSX reader (what a clerk's upload goes through). */
export async function readSheet(res: globalThis.Response, sheet: string): Promise<unknown[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'vbp-export-'));
  try {
    const path = join(dir, 'export.xlsx');
    await writeFile(path, Buffer.from(await res.arrayBuffer()));
    const rows: unknown[][] = [];
    for await (const row of readRows({ path, fileName: 'export.xlsx' }, { sheet })) rows[row.rowNumber - 1] = row.cells;
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Python with openpyxl (CORPUS_PYTHON, python3, or Debian's, which python3-openpyxl serves), or null. */
function openpyxlPython(): string | null {
  const candidates = [process.env.CORPUS_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  return candidates.find((c) => spawnSync(c, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0) ?? null;
}
let python: string | null | undefined;

/**
 * A column of a workbook as openpyxl (what many spreadsheet tools build on) reads it: each cell's value and
 * data type ('s' text, 'n' number, 'f' formula), one per row; null (said once) where openpyxl is missing.
 */
export function readWithOpenpyxl(file: Buffer, sheet: string, column: string): { value: unknown; type: string }[] | null {
  python ??= openpyxlPython();
  if (!python) {
    console.log('openpyxl not found (apt-get install python3-openpyxl): the workbook is read by the importer only');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vbp-openpyxl-'));
  try {
    const path = join(dir, 'book.xlsx');
    writeFileSync(path, file);
    const script = 'import json, sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]\nprint(json.dumps([{"value": c.value, "type": c.data_type} for c in ws[sys.argv[3]]], default=str))';
    const run = spawnSync(python, ['-c', script, path, sheet, column], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openpyxl could not read the workbook: ${run.stderr}`);
    return JSON.parse(run.stdout) as { value: unknown; type: string }[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
