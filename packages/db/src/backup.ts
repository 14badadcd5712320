/**
 * Backups and restores of the application's database, on the engine it runs on:
 * - a PostgreSQL server (DATABASE_URL): `pg_dump --format=custom` to a file, taken in one snapshot (the
 *   summary's row counts are of the same snapshot as the dump), while the server goes on serving; restored
 *   with `pg_restore --clean --if-exists --single-transaction --no-owner --no-acl` into the database the URL
 *   names: all of it or nothing. A database with data is only restored over when asked (`force`).
 * - the embedded PGlite (DATA_DIR/pglite): PGlite is PostgreSQL inside one process, so a backup or a restore
 *   takes DATA_DIR's lock (data-dir-lock.ts) and is refused while the server holds it. The backup is
 *   PGlite's own tarball of its data directory (`dumpDataDir('gzip')`); a restore loads it into a new
 *   directory beside the database, checks that it opens and what migrations it has, and only then swaps it
 *   in, keeping the old one as `pglite.before-restore-<timestamp>`.
 * - a Citus cluster is refused: a pg_dump of the coordinator does not hold the shards on the workers.
 *
 * A backup newer than this code (more migrations than packages/db/migrations has) is refused; an older
 * one is restored as it is, and the server applies the newer migrations when it starts.
 *
 * Messages an operator reads are in Chinese and English.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { migrationsFolder, pgliteDirectory, type Db } from './client';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './data-dir-lock';
import { selectRows } from './rows';
import { knownMigrations } from './migrations';

export type BackupEngine = 'pglite' | 'postgres';

/** A backup or restore refused or failed, with a message for the operator in both languages. */
export class BackupError extends Error {
  constructor(en: string, zh: string, options?: { cause?: unknown }) {
    super(`${en}\n${zh}`, options);
    this.name = 'BackupError';
  }
}

interface CommonOptions {
  /** DATABASE_URL: a PostgreSQL server. Absent: the embedded database under `dataDir`. */
  url?: string | undefined;
  /** DATA_DIR (default `.data`); the embedded database is its `pglite/`. */
  dataDir?: string | undefined;
  /** Progress, one line at a time, in Chinese and English. */
  onProgress?: ((line: string) => void) | undefined;
  /** The time stamped on file and folder names (default now). */
  now?: Date | undefined;
}

export interface BackupOptions extends CommonOptions {
  /** The backup file. An existing directory, or a path ending in `/`, gets the default name inside it. */
  file?: string | undefined;
  /** Where the backup goes, under its default name, when `file` is not given. */
  directory?: string | undefined;
}

export interface BackupResult {
  engine: BackupEngine;
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  /** Migrations the backed-up database had. */
  migrations: number;
  /**
   * Rows of unlogged tables (the staging of uploads validated but not committed) that an embedded backup
   * does not keep: loading PGlite's tarball empties them, as a crash would, and after a restore the server
   * marks those uploads interrupted, to be validated again from their file. 0 on PostgreSQL (pg_dump keeps them).
   */
  unloggedRows: number;
  /** The pg_dump used (PostgreSQL). */
  tool?: string;
}

export interface RestoreOptions extends CommonOptions {
  file: string;
  /** Restore over a PostgreSQL database that holds data, or that a running server is connected to. */
  force?: boolean | undefined;
}

export interface RestoreResult {
  engine: BackupEngine;
  file: string;
  tables: number;
  rows: number;
  /** Migrations the backup has, and how many this code has (the server applies the rest at start). */
  migrations: number;
  codeMigrations: number;
  /** Where the embedded database that was replaced is kept (PGlite). */
  previous?: string;
  /** The pg_restore used (PostgreSQL). */
  tool?: string;
}

export interface TableFingerprint {
  table: string;
  rows: number;
  /** The sum over the table's rows of a 60-bit hash of each row's text: independent of row order. */
  checksum: string;
}

/** The default file name: `vbp-<engine>-<YYYYMMDD-HHmmss>.<tar.gz|dump>` (local time). */
export function defaultBackupName(engine: BackupEngine, now: Date = new Date()): string {
  return `vbp-${engine}-${stamp(now)}.${engine === 'pglite' ? 'tar.gz' : 'dump'}`;
}

export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  return options.url ? backupPostgres(options.url, options) : backupPglite(options);
}

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const file = resolve(options.file);
  const kind = await archiveKind(file);
  if (options.url) {
    if (kind === 'pglite')
      throw new BackupError(
        `${file} is a backup of the embedded database (PGlite): restore it without DATABASE_URL, into DATA_DIR.`,
        `${file} 是内置数据库（PGlite）的备份：请不设置 DATABASE_URL，恢复到 DATA_DIR。`,
      );
    return restorePostgres(options.url, file, options);
  }
  if (kind === 'postgres')
    throw new BackupError(
      `${file} is a PostgreSQL backup (pg_dump): restore it with DATABASE_URL set to the database to restore into.`,
      `${file} 是 PostgreSQL 备份（pg_dump）：请设置 DATABASE_URL 指向要恢复到的数据库后再恢复。`,
    );
  return restorePglite(file, options);
}

/** Every table of the public schema: its row count and an order-independent checksum of its rows. */
export async function tableFingerprints(db: Db): Promise<TableFingerprint[]> {
  return fingerprintsOf((text) => selectRows<Row>(db, sql.raw(text)));
}

// ---------------------------------------------------------------------------------------------------------
// Reading a database, on any driver

type Row = Record<string, unknown>;
type Query = (text: string) => Promise<Row[]>;

const pgliteQuery =
  (client: PGlite): Query =>
  async (text) =>
    (await client.query<Row>(text)).rows;
const postgresQuery =
  (client: postgres.Sql | postgres.TransactionSql): Query =>
  async (text) =>
    [...(await client.unsafe<Row[]>(text))];

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function publicTables(query: Query): Promise<{ name: string; unlogged: boolean }[]> {
  const rows = await query(`
    select c.relname as name, c.relpersistence = 'u' as unlogged
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`);
  return rows.map((r) => ({ name: String(r.name), unlogged: r.unlogged === true }));
}

async function fingerprintsOf(query: Query): Promise<TableFingerprint[]> {
  const tables = await publicTables(query);
  if (tables.length === 0) return [];
  const rows = await query(
    tables
      .map(
        ({ name }) =>
          `select ${literal(name)} as "table", count(*)::text as "rows", ` +
          `coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint::numeric), 0)::text as "checksum" from public.${ident(name)} t`,
      )
      .join(' union all '),
  );
  return rows.map((r) => ({ table: String(r.table), rows: Number(r.rows), checksum: String(r.checksum) })).sort((a, b) => a.table.localeCompare(b.table));
}

interface TableCounts {
  tables: number;
  rows: number;
  unloggedRows: number;
}

async function countRows(query: Query): Promise<TableCounts> {
  const tables = await publicTables(query);
  if (tables.length === 0) return { tables: 0, rows: 0, unloggedRows: 0 };
  const counted = await query(tables.map(({ name }, i) => `select ${i} as "i", count(*)::text as "rows" from public.${ident(name)}`).join(' union all '));
  let rows = 0;
  let unloggedRows = 0;
  for (const r of counted) {
    const n = Number(r.rows);
    rows += n;
    if (tables[Number(r.i)]?.unlogged) unloggedRows += n;
  }
  return { tables: tables.length, rows, unloggedRows };
}

interface MigrationState {
  count: number;
  /** drizzle's `created_at` of the newest: the journal's `when` of that migration. */
  last: number;
}

/** The migrations drizzle recorded in the database; null when it has no migrations table. */
async function appliedMigrations(query: Query): Promise<MigrationState | null> {
  const [exists] = await query(`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`);
  if (exists?.exists !== true) return null;
  const [row] = await query(`select count(*)::int as "count", coalesce(max(created_at), 0)::text as "last" from drizzle.__drizzle_migrations`);
  return { count: Number(row?.count ?? 0), last: Number(row?.last ?? 0) };
}

/** The migrations this code has (drizzle's journal). */
function codeMigrations(): MigrationState {
  const known = knownMigrations(migrationsFolder);
  return { count: known.length, last: Math.max(0, ...known.map((e) => e.when)) };
}

/** Refuses a backup without the application's migrations, or with migrations this code does not have. */
function checkMigrations(file: string, backup: MigrationState | null): { backup: MigrationState; code: MigrationState } {
  if (!backup || backup.count === 0)
    throw new BackupError(
      `${file} is not a backup of this application: its database has no migrations table (drizzle.__drizzle_migrations).`,
      `${file} 不是本系统的备份：其数据库中没有迁移记录表（drizzle.__drizzle_migrations）。`,
    );
  const code = codeMigrations();
  if (backup.count > code.count || backup.last > code.last)
    throw new BackupError(
      `${file} comes from a newer version of this application (${backup.count} migrations; this code has ${code.count}): update the code first, then restore.`,
      `${file} 来自更新版本的系统（${backup.count} 个迁移，本代码只有 ${code.count} 个）：请先更新代码再恢复。`,
    );
  return { backup, code };
}

// ---------------------------------------------------------------------------------------------------------
// The embedded database

function dataDirOf(options: CommonOptions): string {
  const dataDir = options.dataDir || '.data';
  if (dataDir.startsWith('memory://'))
    throw new BackupError(`DATA_DIR=${dataDir} is an in-memory database: there is nothing on disk to back up or restore.`, `DATA_DIR=${dataDir} 是内存数据库：磁盘上没有可备份或恢复的数据。`);
  return resolve(dataDir);
}

/** DATA_DIR's lock for a backup or restore; held by a live server → "stop the server first". */
async function lockForMaintenance(dataDir: string, purpose: 'backup' | 'restore'): Promise<DataDirLock> {
  try {
    return await lockDataDir(dataDir, { purpose });
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    const { pid, since } = err.holder;
    const what = err.holder.purpose ?? 'server';
    const [en, zh] = purpose === 'backup' ? ['back up', '备份'] : ['restore', '恢复'];
    throw new BackupError(
      `Stop the server first: the embedded database in ${dataDir} is open in process ${pid} (${what}, since ${since}), and PGlite can be opened by one process at a time. ` +
        `Stop that process (Ctrl-C or kill ${pid}), then ${en} again; or run the server on PostgreSQL (DATABASE_URL), which is backed up while it runs.`,
      `请先停止服务：${dataDir} 中的内置数据库正被进程 ${pid} 打开（${{ server: '服务', backup: '备份', restore: '恢复' }[what] ?? what}，自 ${since} 起），PGlite 同一时间只能由一个进程打开。` +
        `请停止该进程（Ctrl-C 或 kill ${pid}）后再${zh}；或改用 PostgreSQL（DATABASE_URL），其备份可在服务运行时进行。`,
      { cause: err },
    );
  }
}

async function backupPglite(options: BackupOptions): Promise<BackupResult> {
  const say = progress(options);
  const dataDir = dataDirOf(options);
  const dir = pgliteDirectory(dataDir);
  if (!existsSync(join(dir, 'PG_VERSION')))
    throw new BackupError(
      `There is no embedded database in ${dir}. Is DATA_DIR right? (For a PostgreSQL server, set DATABASE_URL.)`,
      `${dir} 中没有内置数据库。DATA_DIR 是否正确？（PostgreSQL 服务器请设置 DATABASE_URL。）`,
    );
  const file = await backupFile('pglite', options);
  const lock = await lockForMaintenance(dataDir, 'backup');
  try {
    say(`打开内置数据库 ${dir}`, `opening the embedded database ${dir}`);
    const client = await PGlite.create(dir);
    let archive: Buffer;
    let counts: TableCounts;
    let migrations: MigrationState;
    try {
      const query = pgliteQuery(client);
      const applied = await appliedMigrations(query);
      if (!applied?.count)
        throw new BackupError(`${dir} is not this application's database (no drizzle.__drizzle_migrations).`, `${dir} 不是本系统的数据库（没有 drizzle.__drizzle_migrations）。`);
      migrations = applied;
      counts = await countRows(query);
      say(`导出数据目录（${counts.tables} 张表，${counts.rows.toLocaleString('en')} 行）…`, `dumping the data directory (${counts.tables} tables, ${counts.rows.toLocaleString('en')} rows) …`);
      await client.exec('CHECKPOINT');
      archive = Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer());
    } finally {
      await client.close();
    }
    say('校验备份…', 'checking the archive …');
    unpackPgliteArchive(archive, file);
    await writeDurably(file, archive);
    return { engine: 'pglite', file, bytes: archive.length, ...counts, migrations: migrations.count };
  } finally {
    await lock.release();
  }
}

async function restorePglite(file: string, options: RestoreOptions): Promise<RestoreResult> {
  const say = progress(options);
  const dataDir = dataDirOf(options);
  const target = pgliteDirectory(dataDir);
  const lock = await lockForMaintenance(dataDir, 'restore');
  try {
    say(`校验备份 ${file}`, `checking ${file}`);
    const tar = unpackPgliteArchive(await readFile(file), file);
    const when = stamp(options.now ?? new Date());
    const incoming = `${target}.restoring-${when}`;
    await rm(incoming, { recursive: true, force: true });
    let counts: TableCounts;
    let levels: ReturnType<typeof checkMigrations>;
    try {
      say(`载入到 ${incoming}`, `loading into ${incoming}`);
      const client = await PGlite.create({ dataDir: incoming, loadDataDir: new Blob([tar]) }).catch((err: unknown) => {
        throw new BackupError(
          `${file} could not be opened as a database (${errorText(err)}): it is damaged or not a backup of this application. Nothing was changed.`,
          `${file} 无法作为数据库打开（${errorText(err)}）：文件已损坏或不是本系统的备份。未做任何更改。`,
          { cause: err },
        );
      });
      try {
        const query = pgliteQuery(client);
        levels = checkMigrations(file, await appliedMigrations(query));
        counts = await countRows(query);
      } finally {
        await client.close();
      }
    } catch (err) {
      await rm(incoming, { recursive: true, force: true });
      throw err;
    }
    let previous: string | undefined;
    if (existsSync(target)) {
      previous = join(dirname(target), `${basename(target)}.before-restore-${when}`);
      await rename(target, previous);
    }
    try {
      await rename(incoming, target);
    } catch (err) {
      if (previous) await rename(previous, target);
      throw err;
    }
    if (previous) say(`原数据库已保留为 ${previous}`, `the database it replaced is kept as ${previous}`);
    return {
      engine: 'pglite',
      file,
      tables: counts.tables,
      rows: counts.rows,
      migrations: levels.backup.count,
      codeMigrations: levels.code.count,
      ...(previous ? { previous } : {}),
    };
  } finally {
    await lock.release();
  }
}

/**
 * The tar inside a PGlite backup, checked whole before PGlite reads it (PGlite's own loader fails on a
 * damaged gzip stream with an exception this process cannot catch): the gzip stream and its CRC, every tar
 * header's checksum, every entry within the file, the end-of-archive marker, and PG_VERSION present.
 */
function unpackPgliteArchive(bytes: Buffer, file: string): Buffer {
  const damaged = (why: string) =>
    new BackupError(
      `${file} is damaged or incomplete (${why}): it is not restored. Nothing was changed.`,
      `${file} 已损坏或不完整（${why}）：不予恢复。未做任何更改。`,
    );
  let tar: Buffer;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes);
    } catch (err) {
      throw damaged(`gzip: ${errorText(err)}`);
    }
  } else tar = bytes;
  let offset = 0;
  let entries = 0;
  let hasVersion = false;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) {
      if (!hasVersion) throw damaged('no PG_VERSION in the archive');
      return tar;
    }
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (octal(header.subarray(148, 156)) !== sum) throw damaged(`tar header ${entries + 1} is corrupt`);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/su, '');
    const size = octal(header.subarray(124, 136));
    if (name.replace(/^\/+/u, '') === 'PG_VERSION') hasVersion = true;
    offset += 512 + Math.ceil(size / 512) * 512;
    entries++;
  }
  throw damaged(entries === 0 ? 'not a tar archive' : `the archive ends after ${entries} entries, without its end marker`);
}

function octal(field: Buffer): number {
  const text = field.toString('latin1').replace(/\0.*$/su, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

// ---------------------------------------------------------------------------------------------------------
// A PostgreSQL server

function connect(url: string): postgres.Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10, connection: { application_name: 'vbp-backup' } });
}

/** libpq's view of DATABASE_URL: the password goes in the environment, not on a command line others can list. */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv; display: string } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'vbp-backup' };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env, display: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}` };
}

async function serverOf(client: postgres.Sql, display: string): Promise<{ major: number; version: string }> {
  let row: Row | undefined;
  try {
    [row] = await client`select current_setting('server_version_num')::int as "num", current_setting('server_version') as "version",
                                exists (select 1 from pg_extension where extname = 'citus') as "citus"`;
  } catch (err) {
    throw new BackupError(`Could not connect to ${display}: ${errorText(err)}`, `无法连接 ${display}：${errorText(err)}`, { cause: err });
  }
  if (row?.citus === true)
    throw new BackupError(
      `${display} is a Citus cluster (the citus extension is installed): a pg_dump of the coordinator does not hold the shards on the workers, so pnpm backup and pnpm restore refuse it. ` +
        `Back up every node together with Citus's own procedure: physical backups of the coordinator and each worker (pg_basebackup with WAL archiving) and a consistent restore point (SELECT citus_create_restore_point('name')); see docs/scale.md.`,
      `${display} 是 Citus 集群（已安装 citus 扩展）：对协调节点执行 pg_dump 不包含各工作节点上的分片，因此 pnpm backup 与 pnpm restore 拒绝处理。` +
        `请按 Citus 自身的备份流程同时备份所有节点：协调节点与每个工作节点的物理备份（pg_basebackup 加 WAL 归档），并建立一致的恢复点（SELECT citus_create_restore_point('名称')）；见 docs/scale.md。`,
    );
  return { major: Math.floor(Number(row?.num) / 10000), version: String(row?.version ?? '') };
}

export interface PostgresTool {
  path: string;
  major: number;
  version: string;
}

/** Every `name` on PATH and under /usr/lib/postgresql/<version>/bin, with its version. */
async function postgresTools(name: 'pg_dump' | 'pg_restore'): Promise<PostgresTool[]> {
  const paths: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) paths.push(join(dir, name));
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) for (const version of readdirSync(lib)) paths.push(join(lib, version, 'bin', name));
  const found: PostgresTool[] = [];
  for (const path of new Set(paths)) {
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    const out = await new Promise<string>((done) => execFile(path, ['--version'], { timeout: 10_000 }, (err, stdout) => done(err ? '' : stdout)));
    const match = /(\d+)(?:\.(\d+))?/u.exec(out.replace(/^[^)]*\)/u, ''));
    if (match) found.push({ path, major: Number(match[1]), version: out.trim() });
  }
  return found;
}

/**
 * The pg_dump or pg_restore for a server of `serverMajor`: the same major version where there is one.
 * Otherwise pg_dump must be newer than the server (an older one refuses to dump it); pg_restore is the newest.
 */
export async function findPostgresTool(name: 'pg_dump' | 'pg_restore', serverMajor: number): Promise<PostgresTool> {
  // Debian's /usr/bin wrapper (pg_wrapper) chooses a version by rules of its own: the binary itself first
  const tools = (await postgresTools(name)).sort((a, b) => Number(isWrapper(a.path)) - Number(isWrapper(b.path)));
  const exact = tools.find((t) => t.major === serverMajor);
  if (exact) return exact;
  const newer = tools.filter((t) => t.major > serverMajor).sort((a, b) => a.major - b.major);
  const chosen = name === 'pg_dump' ? newer[0] : [...tools].sort((a, b) => b.major - a.major)[0];
  if (chosen) return chosen;
  const install = `apt-get install postgresql-client-${serverMajor}`;
  if (tools.length)
    throw new BackupError(
      `${name} ${tools.map((t) => t.major).join(', ')} found (${tools.map((t) => t.path).join(', ')}), but the server is PostgreSQL ${serverMajor}: ${name} cannot handle a newer server. Install the client of the server's version (Debian: ${install}).`,
      `找到 ${name} ${tools.map((t) => t.major).join('、')}（${tools.map((t) => t.path).join('、')}），但服务器是 PostgreSQL ${serverMajor}：旧版 ${name} 无法处理更新的服务器。请安装与服务器版本一致的客户端（Debian：${install}）。`,
    );
  throw new BackupError(
    `${name} was not found (looked on PATH and in /usr/lib/postgresql/*/bin). Install the PostgreSQL client of the server's version ${serverMajor} (Debian: ${install}).`,
    `未找到 ${name}（已查找 PATH 与 /usr/lib/postgresql/*/bin）。请安装与服务器版本 ${serverMajor} 一致的 PostgreSQL 客户端（Debian：${install}）。`,
  );
}

function isWrapper(path: string): boolean {
  try {
    return basename(realpathSync(path)) === 'pg_wrapper';
  } catch {
    return false;
  }
}

/** Runs a PostgreSQL tool; resolves with its stdout, rejects with its stderr. */
function runTool(path: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', fail);
    child.once('close', (code, signal) => {
      if (code === 0) return done(Buffer.concat(out).toString('utf8'));
      const text = Buffer.concat(err).toString('utf8').trim();
      fail(new Error(text || `${basename(path)} exited with ${code ?? signal}`));
    });
  });
}

async function backupPostgres(url: string, options: BackupOptions): Promise<BackupResult> {
  const say = progress(options);
  const target = libpqTarget(url);
  const client = connect(url);
  try {
    const server = await serverOf(client, target.display);
    const tool = await findPostgresTool('pg_dump', server.major);
    const file = await backupFile('postgres', options);
    say(`PostgreSQL ${server.version}（${target.display}），使用 ${tool.path}`, `PostgreSQL ${server.version} at ${target.display}, with ${tool.path}`);
    const partial = `${file}.partial`;
    let counts: TableCounts | undefined;
    let migrations: MigrationState | null = null;
    try {
      // one snapshot for the counts and the dump: the summary describes exactly what the file holds
      await client.begin('isolation level repeatable read read only', async (tx) => {
        const [row] = await tx`select pg_export_snapshot() as "snapshot"`;
        const query = postgresQuery(tx);
        migrations = await appliedMigrations(query);
        if (!migrations?.count)
          throw new BackupError(
            `${target.display} is not this application's database (no drizzle.__drizzle_migrations): is DATABASE_URL right?`,
            `${target.display} 不是本系统的数据库（没有 drizzle.__drizzle_migrations）：DATABASE_URL 是否正确？`,
          );
        counts = await countRows(query);
        say(`导出（${counts.tables} 张表，${counts.rows.toLocaleString('en')} 行）…`, `dumping (${counts.tables} tables, ${counts.rows.toLocaleString('en')} rows) …`);
        await runTool(tool.path, ['--format=custom', `--file=${partial}`, `--snapshot=${String(row!.snapshot)}`, `--dbname=${target.dbname}`], target.env).catch((err: unknown) => {
          throw new BackupError(`pg_dump failed: ${errorText(err)}`, `pg_dump 失败：${errorText(err)}`, { cause: err });
        });
      });
      await syncFile(partial);
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
    const bytes = (await stat(file)).size;
    return { engine: 'postgres', file, bytes, ...counts!, unloggedRows: 0, migrations: (migrations as MigrationState | null)?.count ?? 0, tool: tool.path };
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function restorePostgres(url: string, file: string, options: RestoreOptions): Promise<RestoreResult> {
  const say = progress(options);
  const target = libpqTarget(url);
  const client = connect(url);
  try {
    const server = await serverOf(client, target.display);
    const tool = await findPostgresTool('pg_restore', server.major);
    say(`校验备份 ${file}（${tool.path}）`, `checking ${file} (with ${tool.path})`);
    // reads the whole archive: a truncated or damaged file fails here, before the database is touched
    await runTool(tool.path, ['--file=/dev/null', file], target.env).catch((err: unknown) => {
      throw new BackupError(
        `${file} is damaged or incomplete (${errorText(err)}): it is not restored. Nothing was changed.`,
        `${file} 已损坏或不完整（${errorText(err)}）：不予恢复。未做任何更改。`,
        { cause: err },
      );
    });
    const listing = await runTool(tool.path, ['--data-only', '--schema=drizzle', '--table=__drizzle_migrations', '--file=-', file], target.env);
    const levels = checkMigrations(file, migrationsInDump(listing));

    // --clean drops only what the dump has: tables of later migrations would stay, and the server's
    // migration at the next start would trip over them
    const present = await appliedMigrations(postgresQuery(client));
    if (present && present.count > levels.backup.count)
      throw new BackupError(
        `${target.display} has ${present.count} migrations and the backup ${levels.backup.count}: a restore over it would keep the tables of the later migrations and the server could not migrate it again. ` +
          `Restore into an empty database instead (dropdb/createdb, or CREATE DATABASE with another name, and point DATABASE_URL at it).`,
        `${target.display} 已有 ${present.count} 个迁移，而备份只有 ${levels.backup.count} 个：覆盖恢复会留下后续迁移的表，服务将无法再次迁移。` +
          `请改为恢复到空数据库（dropdb/createdb，或用 CREATE DATABASE 新建另一个库，并将 DATABASE_URL 指向它）。`,
      );
    const occupied = await tablesWithRows(postgresQuery(client));
    const [servers] = await client`select count(*)::int as "n" from pg_stat_activity
                                   where datname = current_database() and application_name = 'vbp-tracker' and pid <> pg_backend_pid()`;
    const connected = Number(servers?.n ?? 0);
    if (!options.force) {
      if (connected > 0)
        throw new BackupError(
          `Stop the server first: ${connected} connection(s) of a running server are open to ${target.display}; a restore under it would leave it serving cached figures of the data it replaced. Stop it (or pass --force).`,
          `请先停止服务：${target.display} 上有 ${connected} 个运行中服务的连接；在其运行时恢复，服务会继续提供被替换数据的缓存结果。请停止服务（或使用 --force）。`,
        );
      if (occupied.length > 0)
        throw new BackupError(
          `${target.display} already holds data (${occupied.slice(0, 5).join(', ')}${occupied.length > 5 ? ` and ${occupied.length - 5} more tables` : ''}): a restore replaces it. ` +
            `Restore into an empty database, or pass --force to replace this one (take a backup of it first: pnpm backup).`,
          `${target.display} 中已有数据（${occupied.slice(0, 5).join('、')}${occupied.length > 5 ? ` 等 ${occupied.length} 张表` : ''}）：恢复将替换这些数据。` +
            `请恢复到空数据库，或使用 --force 替换（请先用 pnpm backup 备份当前数据）。`,
        );
    }
    say(`恢复到 ${target.display}（单一事务：全部成功或不做任何更改）…`, `restoring into ${target.display} (one transaction: all of it or nothing) …`);
    await runTool(
      tool.path,
      ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-owner', '--no-acl', `--dbname=${target.dbname}`, file],
      target.env,
    ).catch((err: unknown) => {
      throw new BackupError(
        `pg_restore failed and was rolled back: the database is as it was (${errorText(err)})`,
        `pg_restore 失败，已整体回滚：数据库保持原样（${errorText(err)}）`,
        { cause: err },
      );
    });
    const counts = await countRows(postgresQuery(client));
    return { engine: 'postgres', file, tables: counts.tables, rows: counts.rows, migrations: levels.backup.count, codeMigrations: levels.code.count, tool: tool.path };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** drizzle's migrations table as the dump holds it (pg_restore's COPY block); null when it is not there. */
function migrationsInDump(script: string): MigrationState | null {
  const lines = script.split('\n');
  const start = lines.findIndex((l) => /^COPY drizzle\.__drizzle_migrations \(/u.test(l));
  if (start < 0) return null;
  const columns = /\(([^)]*)\)/u.exec(lines[start]!)![1]!.split(',').map((c) => c.trim());
  const at = columns.indexOf('created_at');
  let count = 0;
  let last = 0;
  for (let i = start + 1; i < lines.length && lines[i] !== '\\.'; i++) {
    count++;
    const value = Number(lines[i]!.split('\t')[at]);
    if (Number.isFinite(value)) last = Math.max(last, value);
  }
  return { count, last };
}

/** Tables outside the system schemas (and drizzle's own) that have at least one row. */
async function tablesWithRows(query: Query): Promise<string[]> {
  const tables = await query(`
    select n.nspname as "schema", c.relname as "name"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition
      and n.nspname not in ('pg_catalog', 'information_schema', 'drizzle') and n.nspname not like 'pg\\_%'
    order by 1, 2`);
  if (tables.length === 0) return [];
  const names = tables.map((t) => `${String(t.schema)}.${String(t.name)}`);
  const rows = await query(
    tables.map((t, i) => `select ${i} as "i" where exists (select 1 from ${ident(String(t.schema))}.${ident(String(t.name))})`).join(' union all '),
  );
  return rows.map((r) => names[Number(r.i)]!).map((n) => n.replace(/^public\./u, ''));
}

// ---------------------------------------------------------------------------------------------------------
// Files

/** What a file is, from its first bytes. */
async function archiveKind(file: string): Promise<BackupEngine> {
  let head: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      head = Buffer.alloc(512);
      const { bytesRead } = await handle.read(head, 0, 512, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new BackupError(`Cannot read ${file}: ${errorText(err)}`, `无法读取 ${file}：${errorText(err)}`, { cause: err });
  }
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  if ((head[0] === 0x1f && head[1] === 0x8b) || head.subarray(257, 262).toString('latin1') === 'ustar') return 'pglite';
  throw new BackupError(
    `${file} is not a backup made by pnpm backup (neither a pg_dump archive nor a PGlite tarball), or it is damaged. Nothing was changed.`,
    `${file} 不是 pnpm backup 生成的备份（既不是 pg_dump 归档也不是 PGlite 压缩包），或已损坏。未做任何更改。`,
  );
}

async function backupFile(engine: BackupEngine, options: BackupOptions): Promise<string> {
  const name = defaultBackupName(engine, options.now ?? new Date());
  let file: string;
  if (options.file) {
    const given = resolve(options.file);
    const isDir = /[\\/]$/u.test(options.file) || (existsSync(given) && statSync(given).isDirectory());
    file = isDir ? join(given, name) : given;
  } else if (options.directory) file = join(resolve(options.directory), name);
  else throw new Error('backupDatabase: give `file` or `directory`');
  if (existsSync(file)) throw new BackupError(`${file} already exists: it is not overwritten. Give another name.`, `${file} 已存在，不会覆盖。请换一个文件名。`);
  await mkdir(dirname(file), { recursive: true });
  return file;
}

/** Written beside, flushed, then renamed: a backup cut short never looks complete. */
async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  const partial = `${file}.partial`;
  try {
    const handle = await open(partial, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function stamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

function progress(options: CommonOptions): (zh: string, en: string) => void {
  return (zh, en) => options.onProgress?.(`${zh} / ${en}`);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().split('\n').slice(0, 3).join(' ');
}
