/**
 * The fault tests' tools: the real server as a separate process (as `pnpm start` runs it), killed and
 * restarted; a database prepared with the institutions and products the generated purchases files name,
 * on PGlite (a DATA_DIR) or on a PostgreSQL server of the test's own (so it can be stopped abruptly); a
 * client that uploads files as a browser does; and the state of `purchases` as a count and a checksum.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { ensureInitialUsers } from '@vbp/core/auth/bootstrap';
import { createDatabase, selectRows, type Database } from '@vbp/db';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { collectLines, untilListening } from '../../src/listening';
import { institutionCode, productCode, type PurchasesShape } from '../../../../scripts/lib/purchases-csv';

export const ROOT = resolve(import.meta.dirname, '../../../..');
export const REGION = '320000';
export const ADMIN_PASSWORD = 'fault-test-admin-password';
export const SHAPE: PurchasesShape = { institutions: 500, products: 400 };
const THROWAWAY = join(ROOT, 'scripts/postgres-throwaway.sh');

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Why the tests cannot start a PostgreSQL server of their own here (no initdb on PATH or under /usr/lib/postgresql), or null. */
export function postgresBinariesMissing(): string | null {
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, 'initdb')));
  const lib = '/usr/lib/postgresql';
  const installed = existsSync(lib) && readdirSync(lib).some((v) => existsSync(join(lib, v, 'bin/initdb')));
  return onPath || installed ? null : 'PostgreSQL binaries (initdb) not found';
}

/** Reference data, the administrator, and the institutions and products the generated files refer to. */
export async function prepareDatabase(database: Database): Promise<void> {
  await database.migrate();
  await loadReferenceData(database.db);
  await ensureInitialUsers(database.db, { adminPassword: ADMIN_PASSWORD, demo: false });
  const db = database.db;
  await db.execute(sql`
    insert into institutions (region_code, code, name)
    select ${REGION}, 'H' || lpad(g::text, 5, '0'), '故障测试医院' || g from generate_series(1, ${SHAPE.institutions}) g`);
  const [variety] = await selectRows<{ id: number }>(db, sql`select id from varieties where product_type = 'drug' order by id limit 1`);
  await db.execute(sql`
    insert into products (variety_id, company, spec, nhsa_code)
    select ${variety!.id}, '故障测试企业', g || 'mg', 'X' || lpad(g::text, 6, '0') from generate_series(1, ${SHAPE.products}) g`);
  // the fixture's codes are the ones the files use
  if (institutionCode(1) !== 'H00001' || productCode(1) !== 'X000001') throw new Error('fixture codes changed');
}

/** The purchases as they stand: how many, and a checksum of every row's key and values. */
export async function purchasesState(database: Database): Promise<{ count: number; checksum: string }> {
  const [row] = await selectRows<{ count: number; checksum: string }>(
    database.db,
    sql`select count(*)::int as "count",
               coalesce(sum(('x' || left(md5(concat_ws('|', region_code, institution_id, product_id, month, quantity, amount, upload_id)), 15))::bit(60)::bigint::numeric), 0)::text as "checksum"
        from purchases`,
  );
  return row!;
}

/** The purchases' state, read with no server holding the database (PGlite has one connection). */
export async function stateOf(engine: Engine): Promise<{ count: number; checksum: string }> {
  const database = await engine.open();
  try {
    return await purchasesState(database);
  } finally {
    await database.close();
  }
}

export interface Engine {
  kind: 'pglite' | 'postgres';
  /** DATA_DIR: uploaded files (and, on PGlite, the database). */
  dataDir: string;
  /** What the server needs in its environment to use this database. */
  env: Record<string, string>;
  /** Opens the database from the test process (on PGlite only while no server has it open). */
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

export async function pgliteEngine(dataDir: string): Promise<Engine> {
  mkdirSync(dataDir, { recursive: true });
  const open = () => createDatabase({ dataDir });
  const database = await open();
  try {
    await prepareDatabase(database);
  } finally {
    await database.close();
  }
  return { kind: 'pglite', dataDir, env: { DATA_DIR: dataDir }, open, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

export interface PostgresEngine extends Engine {
  kind: 'postgres';
  /** `pg_ctl stop -m immediate`: a crash as far as the database is concerned (unlogged tables are emptied). */
  crash(): void;
  start(): void;
}

/** A PostgreSQL server of the test's own (so it can be crashed), its data under `pgDir`. */
export async function postgresEngine(pgDir: string, dataDir: string): Promise<PostgresEngine> {
  mkdirSync(dataDir, { recursive: true });
  const port = String(await freePort());
  const start = () => execFileSync(THROWAWAY, ['start', pgDir, port], { encoding: 'utf8' }).trim();
  const url = start();
  const open = () => createDatabase({ url, maxConnections: 2 });
  const database = await open();
  try {
    await prepareDatabase(database);
  } finally {
    await database.close();
  }
  return {
    kind: 'postgres',
    dataDir,
    env: { DATABASE_URL: url, DATA_DIR: dataDir },
    open,
    crash: () => void execFileSync(THROWAWAY, ['crash', pgDir]),
    start: () => void start(),
    dispose: async () => {
      execFileSync(THROWAWAY, ['stop', pgDir]);
      rmSync(pgDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export class ServerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = child.exitCode !== null ? Promise.resolve({ code: child.exitCode, signal: null }) : once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  }

  /** Starts the server as `pnpm start` does (without the web app) and waits until it listens. */
  static async start(engine: Engine, extra: Record<string, string> = {}): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/api/src/index.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', WEB_ROOT: '', VBP_DEMO: '0', VBP_ADMIN_PASSWORD: ADMIN_PASSWORD, ...engine.env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    collectLines(child.stdout!, lines);
    collectLines(child.stderr!, lines);
    const url = await untilListening(child, lines);
    const server = new ServerProcess(child, url);
    (server as { lines: string[] }).lines = lines;
    return server;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** The structured log lines whose message contains `text`. */
  logged(text: string): Record<string, unknown>[] {
    return this.lines.filter((l) => l.startsWith('{') && l.includes(text)).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface UploadView {
  id: number;
  status: string;
  counts: Record<string, number>;
  progress: { phase: string; done: number; total: number | null } | null;
  statusReason: { code: string; phase: string | null; message: string; messageZh: string } | null;
  errors: unknown[];
}

/**
 * One HTTP request on a connection of its own (no keep-alive: a server that is being killed or stopped
 * closes idle connections, and a request sent on one just as it closes would fail for the test's reasons).
 */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: (answered: () => boolean) => AsyncIterable<Buffer> | string; timeoutMs?: number } | { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: kept as text
        }
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    // the server may answer (a refusal) and close before the whole body is sent: then the answer counts,
    // and the failed write of the rest does not
    let answered = false;
    req.on('response', () => (answered = true));
    const failed = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') return reject(err);
      setTimeout(() => answered || reject(err), 1000);
    };
    req.on('error', failed);
    // a client that stops waiting, as a browser or a load tool does
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    if (typeof options.body === 'string' || options.body === undefined) req.end(options.body);
    else pipeline(Readable.from(options.body(() => answered)), req).catch(failed);
  });
}

/** A signed-in client of the server, as the browser is. */
export class Api {
  private constructor(
    readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async signIn(base: string, user: { username: string; password: string } = { username: 'admin', password: ADMIN_PASSWORD }): Promise<Api> {
    const res = await request(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    return new Api(base, cookie, (res.body as { csrfToken: string }).csrfToken);
  }

  async get<T = any>(path: string, options: { timeoutMs?: number } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: T }> {
    return request(`${this.base}${path}`, { headers: { cookie: this.cookie }, ...options });
  }

  async post<T = any>(path: string, body: unknown = {}): Promise<{ status: number; body: T }> {
    return request(`${this.base}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /**
   * Uploads a purchases file for the region, streamed from disk as a browser sends a form; `pace` slows the
   * sending (bytes per 100 ms) to hold a receive open.
   */
  async upload(path: string, options: { pace?: number } = {}): Promise<{ status: number; body: any }> {
    const boundary = `----vbpfaults${Date.now()}`;
    const pace = options.pace;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npurchases\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="region"\r\n\r\n${REGION}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(path)}"\r\nContent-Type: text/csv\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    // sent as a browser sends it: in pieces, reading the answer meanwhile, and no more once it has come
    // (a refusal arrives before the whole file was sent)
    async function* body(answered: () => boolean) {
      yield head;
      for await (const chunk of createReadStream(path, { highWaterMark: pace ?? 64 * 1024 })) {
        if (answered()) return;
        yield chunk as Buffer;
        await new Promise((r) => (pace ? setTimeout(r, 100) : setImmediate(r)));
      }
      yield tail;
    }
    return request(`${this.base}/api/uploads`, {
      method: 'POST',
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + statSync(path).size + tail.length),
      },
      body,
    });
  }

  /** Polls an upload until `until` says so (or the time is up). */
  async waitFor(id: number, until: (view: UploadView) => boolean, timeoutMs = 120_000): Promise<UploadView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await this.get<UploadView>(`/api/uploads/${id}`);
      if (until(body)) return body;
      if (Date.now() > deadline) throw new Error(`upload ${id} did not get there in time: ${JSON.stringify(body).slice(0, 600)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Whether this machine lets the tests mount a small tmpfs (root, and mount allowed). */
export function canMountTmpfs(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = join(ROOT, `.test-data/tmpfs-probe-${process.pid}`);
  mkdirSync(probe, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe]);
    return null;
  } catch (err) {
    return `mount -t tmpfs refused (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** A tmpfs of `megabytes` at `dir` (owned by `owner` when given); `unmount` removes it. */
export function mountTmpfs(dir: string, megabytes: number, owner?: string): { dir: string; unmount(): void } {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  if (owner) execFileSync('chown', [owner, dir]);
  return {
    dir,
    unmount: () => {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Fills the file system of `dir` until about `leaveBytes` are free (a file of zeros); returns its path. */
export function fillDisk(dir: string, leaveBytes: number): string {
  const path = join(dir, 'filler.bin');
  const out = execFileSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' });
  const avail = Number(out.trim().split('\n').pop());
  const size = Math.max(0, avail - leaveBytes);
  execFileSync('fallocate', ['-l', String(size), path]);
  return path;
}

export { type ChildProcess };
