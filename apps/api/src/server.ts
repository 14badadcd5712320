import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { ensureInitialUsers } from '@vbp/core/auth/bootstrap';
import { DISK_RESERVE_BYTES, freeBytes } from '@vbp/core/disk';
import { UploadJobs } from '@vbp/core/uploads/jobs';
import { ensureSummaries } from '@vbp/core/summaries/maintain';
import { applyRetention } from '@vbp/core/retention';
import { cleanupUploads, recoverUploads } from '@vbp/core/uploads/recovery';
import { UploadStore } from '@vbp/core/uploads/storage';
import { createDatabase, pgliteDirectory, refreshStatistics, type Database } from '@vbp/db';
import { lockDataDir } from '@vbp/db/data-dir-lock';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { createApp } from './app';
import { servedNamesOf } from './auth/origins';
import { readConfig, type Config } from './config';
import { DEMO_REGION, ensureDemoData } from './demo';
import { createLogger, type Logger, type LogSink } from './log';
import { ReadCache } from './read-cache';
import { ReadWarmer } from './warm-reads';

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Free space a first start of the embedded database needs: the reference data and accounts take ~40 MB;
 * the demo's synthetic execution data (511k purchases) ~220 MB, with its write-ahead log on top.
 */
const FIRST_START_BYTES = { plain: 96 * 1024 * 1024, demo: 448 * 1024 * 1024 };
/** How long a stop waits for upload jobs it asked to stop to roll back. */
const JOB_UNWIND_MS = 15_000;
/** Slow senders: headers within 20 s, a whole request (a 200 MB file on a slow line) within 15 minutes. */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 15 * 60_000;
/** The provinces whose read answers a start on a server prepares (warm-reads.ts), the latest data first. */
const WARM_AT_START = 2;
/** Leftover staging tables and files are looked for this often (and at every start). */
const CLEANUP_EVERY_MS = 60 * 60_000;

export type { LogSink };
type Log = (message: string, fields?: Record<string, unknown>, level?: 'info' | 'warn' | 'error') => void;

export interface RunningServer {
  config: Config;
  logger: Logger;
  database: Database;
  server: ServerType;
  url: string;
  jobs: UploadJobs;
  /** Stops in order: no new uploads, requests and upload jobs finish or are stopped, the database closes. */
  stop(reason?: string): Promise<void>;
}

/** Opens the database, applies migrations, loads the reference seed (and demo data), and serves. */
export async function startServer(env: NodeJS.ProcessEnv = process.env, sink?: LogSink): Promise<RunningServer> {
  const config = readConfig(env, { webRoot: existsSync(DEFAULT_WEB_ROOT) ? DEFAULT_WEB_ROOT : undefined });
  const logger = createLogger(sink, config.logLevel);
  const log: Log = (message, fields = {}, level = 'info') => logger[level](fields, message);
  const uploadDir = config.dataDir.startsWith('memory://') ? join(tmpdir(), 'vbp-uploads') : join(resolve(config.dataDir), 'uploads');
  // PGlite: one process at a time in DATA_DIR (a second server, pnpm backup and pnpm restore are refused meanwhile)
  const dataDirLock = !config.databaseUrl && !config.dataDir.startsWith('memory://') ? await lockDataDir(config.dataDir) : null;
  let database: Database;
  const loaded = { demo: false };
  try {
    database = await openDatabase(config, log, loaded);
  } catch (err) {
    await dataDirLock?.release();
    throw err;
  }

  // PGlite never analyzes on its own (no autovacuum): data written before statistics were kept after
  // every bulk write would otherwise be planned as if the tables were empty. About a second on the demo data.
  if (database.kind === 'pglite') await refreshStatistics(database.db);

  const jobs = new UploadJobs();
  const store = new UploadStore(uploadDir);
  const recovered = await recoverUploads(database.db);
  if (recovered.interrupted.length) log('uploads a stop left half-way are marked interrupted (nothing of them was written)', { uploads: recovered.interrupted }, 'warn');
  if (recovered.stagingLost.length) log('validated uploads whose staged rows the database lost are marked interrupted', { uploads: recovered.stagingLost }, 'warn');
  const cleanup = async (atStart: boolean) => {
    const removed = await cleanupUploads(database.db, store, jobs, { atStart });
    if (removed.stagingTables.length || removed.partialFiles.length || removed.unreferencedFiles.length) log('leftovers of uploads removed', { ...removed });
  };
  // retention (README): old sessions, throttle rows, and the files of uploads never committed or reverted;
  // before the cleanup, which then drops the staged rows of validated uploads whose file retention removed
  const retain = async () => {
    const r = await applyRetention(database.db, store);
    if (r.sessions || r.throttle || r.uploadFiles)
      log('retention removed what is no longer kept', { sessions: r.sessions, throttle: r.throttle, uploadFiles: r.uploadFiles, uploads: r.uploadIds, filesNotRemoved: r.filesNotRemoved });
  };
  await retain();
  await cleanup(true);
  const cleanupTimer = setInterval(() => {
    void retain().catch((err: unknown) => log('retention failed', { err }, 'warn'));
    void cleanup(false).catch((err: unknown) => log('cleaning up uploads failed', { err }, 'warn'));
  }, CLEANUP_EVERY_MS);
  cleanupTimer.unref();
  await warnWhenDiskLow(config, database, uploadDir, log);

  const names = servedNamesOf(config);
  const warmer = new ReadWarmer({ database, cache: new ReadCache(), log: logger });
  const app = createApp({
    database,
    webRoot: config.webRoot,
    demo: config.demo,
    request: { trustProxy: config.trustProxy, secureCookies: config.secureCookies },
    names,
    uploads: { dir: uploadDir, maxBytes: config.maxUploadBytes, jobs },
    warmer,
    logger,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  // a client gets this long to send its headers, and a whole request (a file upload included) this long
  if ('headersTimeout' in server) {
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // our own origins carry the port we listen on, known only now when PORT=0 picked it
  names.listening(port);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log('listening', { url, web: config.webRoot ? 'served' : 'not built', demo: config.demo, demoReason: config.demoReason, serves: names.describe() });
  if (config.trustProxy && config.publicOrigins.length === 0)
    log(
      'TRUST_PROXY is on but VBP_PUBLIC_ORIGIN is not set: requests the proxy forwards for its public name are refused (421) / 已启用 TRUST_PROXY 但未设置 VBP_PUBLIC_ORIGIN：经代理以公网域名访问的请求将被拒绝（421）',
      {},
      'warn',
    );
  if (config.demoReason === 'not on loopback')
    log(
      `demo mode is off: the server listens on ${config.host}, reachable from the network. To show the demo data there deliberately, set VBP_DEMO=1 and VBP_DEMO_ON_NETWORK=yes (its accounts' password is published in the README) / 服务监听网络地址，演示模式已关闭；如确需在网络上演示，请同时设置 VBP_DEMO=1 与 VBP_DEMO_ON_NETWORK=yes（演示账号密码已公开）`,
    );

  // The answers first opened after a start are prepared before the first visitor: on a server, for the
  // provinces whose data reaches latest (one connection of the pool); on the embedded database, whose one
  // connection a reader would wait for meanwhile, only when this start generated the demo's data.
  const prepareAtStart = async (): Promise<string[]> => {
    if (database.kind !== 'pglite') return warmer.requestRecent(WARM_AT_START);
    if (!loaded.demo) return [];
    warmer.request(DEMO_REGION);
    return [DEMO_REGION];
  };
  prepareAtStart().then(
    (regions) => log('preparing read answers at start', { regions }),
    (err: unknown) => log('choosing the answers to prepare failed', { err }, 'warn'),
  );

  let stopping: Promise<void> | undefined;
  const stop = async (reason: string) => {
    const grace = config.shutdownGraceMs;
    log('stopping: new uploads, commits and reverts are refused', { reason, running: jobs.running() });
    jobs.stopAccepting();
    // answers being prepared: none starts any more, the one under way finishes before the database closes
    const warmed = warmer.stop();
    clearInterval(cleanupTimer);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    // a statement under way when a job is asked to stop finishes first: on PGlite a slice of a commit can
    // take a few seconds
    const drained = await jobs.drain(grace, JOB_UNWIND_MS);
    if (drained.finished.length) log('upload jobs finished before the stop', { uploads: drained.finished });
    if (drained.stopped.length) log('upload jobs stopped and rolled back; the uploads are marked interrupted', { uploads: drained.stopped }, 'warn');
    if (drained.stuck.length) log('upload jobs still running at the stop: the next start marks them interrupted', { uploads: drained.stuck }, 'warn');
    const requestsDone = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), grace).unref())]);
    if (!requestsDone && 'closeAllConnections' in server) {
      server.closeAllConnections();
      log('requests still open at the stop were cut off', {}, 'warn');
    }
    if (!(await Promise.race([warmed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), grace).unref())])))
      log('an answer being prepared was still running at the stop', {}, 'warn');
    await database.close();
    await dataDirLock?.release();
    log('stopped: database closed');
  };
  return {
    config,
    logger,
    database,
    server,
    url,
    jobs,
    stop(reason = 'stop') {
      stopping ??= stop(reason);
      return stopping;
    },
  };
}

/**
 * Opens the database and brings it up to date. A new embedded database is built in a folder of its own and
 * moved into place only when it is complete, so a first start that dies half-way (a full disk, a kill)
 * leaves nothing that a later start cannot open; and it is only begun when the disk has room for it.
 */
async function openDatabase(config: Config, log: Log, loaded: { demo: boolean }): Promise<Database> {
  const prepare = async (database: Database) => {
    await database.migrate();
    const seed = await loadReferenceData(database.db);
    log(seed.loaded ? 'reference data loaded' : 'reference data up to date', seed.loaded ? { counts: seed.counts } : {});
    // a database from before the execution summaries (or their rules changed): built once, now
    const built = performance.now();
    if (await ensureSummaries(database.db)) log('execution summaries built', { ms: Math.round(performance.now() - built) });
    if (config.demo && (await ensureDemoData(database, log))) loaded.demo = true;
    const accounts = await ensureInitialUsers(database.db, { adminPassword: config.adminPassword, demo: config.demo });
    if (accounts.createdDemoUsers.length) log('demo accounts created', { users: accounts.createdDemoUsers });
    if (accounts.enabledDemoUsers.length) log('demo accounts enabled again (demo mode is on)', { users: accounts.enabledDemoUsers });
    if (accounts.disabledDemoUsers.length)
      log('demo accounts with the published password disabled: demo mode is off / 演示模式已关闭，使用公开密码的演示账号已停用', { users: accounts.disabledDemoUsers }, 'warn');
    if (accounts.generatedAdminPassword) {
      // Said once, to the operator's terminal, never to the structured log.
      process.stderr.write(
        `\n  首个管理员账号 admin 的初始密码（仅显示这一次，首次登录后须修改）\n  First administrator "admin", initial password (shown once; must be changed at first sign-in):\n\n      ${accounts.generatedAdminPassword}\n\n`,
      );
    }
  };
  const opened = (database: Database) => log('database opened', { db: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined });

  if (config.databaseUrl || config.dataDir.startsWith('memory://')) {
    const database = await createDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    opened(database);
    await prepare(database);
    return database;
  }

  const dir = pgliteDirectory(config.dataDir);
  const building = `${dir}.init`;
  if (existsSync(building)) {
    log('an unfinished first start was found and removed', { dir: building }, 'warn');
    await rm(building, { recursive: true, force: true });
  }
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    const needed = config.demo ? FIRST_START_BYTES.demo : FIRST_START_BYTES.plain;
    const free = await freeBytes(config.dataDir);
    if (free < needed)
      throw new Error(
        `DATA_DIR ${resolve(config.dataDir)} has ${Math.round(free / 1048576)} MB free; a new embedded database${config.demo ? ' with the demo data' : ''} needs about ${Math.round(needed / 1048576)} MB. Free space or set DATA_DIR to a larger disk.\n` +
          `数据目录 ${resolve(config.dataDir)} 剩余 ${Math.round(free / 1048576)} MB，新建内置数据库${config.demo ? '（含演示数据）' : ''}约需 ${Math.round(needed / 1048576)} MB。请清理磁盘或将 DATA_DIR 指向更大的磁盘。`,
      );
    const fresh = await createDatabase({ pgliteDir: building });
    log('creating the embedded database', { dataDir: config.dataDir });
    try {
      await prepare(fresh);
    } finally {
      await fresh.close();
    }
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
  }
  let database: Database;
  try {
    database = await createDatabase({ pgliteDir: dir, hasRoomFor: async (bytes) => (await freeBytes(dir)) > bytes + DISK_RESERVE_BYTES });
  } catch (err) {
    throw new Error(
      `The embedded database in ${dir} could not be opened (${err instanceof Error ? err.message : String(err)}). If its disk filled up, free space and start again.\n` +
        `无法打开内置数据库 ${dir}（${err instanceof Error ? err.message : String(err)}）。如磁盘曾写满，请清理磁盘后重新启动。`,
      { cause: err },
    );
  }
  opened(database);
  await prepare(database);
  return database;
}

async function warnWhenDiskLow(config: Config, database: Database, uploadDir: string, log: Log) {
  for (const [use, path] of [['uploads', uploadDir], ['database', database.dataDir]] as const) {
    if (!path) continue;
    const free = await freeBytes(path).catch(() => null);
    if (free !== null && free < 4 * DISK_RESERVE_BYTES)
      log('little free disk space: uploads and commits will be refused until space is freed', { use, freeMb: Math.round(free / 1048576), dataDir: config.dataDir }, 'warn');
  }
}
