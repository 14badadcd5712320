/**
 * Backups as an operator takes them: `pnpm backup` and `pnpm restore` (the CLIs, as child processes) and
 * backupDatabase / restoreDatabase, on the embedded database and on a PostgreSQL server. A database with the
 * reference data, synthetic execution data and hand-made rows (money, dates, Chinese text, NULLs, JSON) is
 * backed up both ways and restored into fresh locations; every table of the public schema must come back
 * with the same row count and the same checksum of its rows, and every sequence at the same value. Prints
 * `reliability backup <engine>: tables N, rows compared R, rows lost L` (R and L over both restores).
 *
 * And the refusals: a backup or restore of the embedded database while another process holds DATA_DIR; a
 * restore over a PostgreSQL database that has data (or a running server's connections) without --force; a
 * damaged or truncated file (the database untouched); a backup from a newer version of the code; Citus.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInitialUsers } from '@vbp/core/auth/bootstrap';
import { createDatabase, selectRows, type Database, type Db } from '@vbp/db';
import { backupDatabase, defaultBackupName, restoreDatabase, tableFingerprints, type TableFingerprint } from '@vbp/db/backup';
import { dataDirHolder, lockDataDir } from '@vbp/db/data-dir-lock';
import { createBatch, createDocument, createSelectedProduct, createTarget, createVariety } from '@vbp/db/factories';
import { createInstitution, createPurchases } from '@vbp/db/execution-factories';
import { authThrottle, provinceVolumes, purchaseRevisions, sessions, uploadMappings, uploadSnapshots, users } from '@vbp/db/schema';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { generateSynthetic } from '@vbp/seeds/synthetic/generate';
import { freePort, postgresBinariesMissing } from '../faults/harness';

const ROOT = resolve(import.meta.dirname, '../../../..');
const THROWAWAY = join(ROOT, 'scripts/postgres-throwaway.sh');
const REGION = '320000';

// ---------------------------------------------------------------------------------------------------------
// helpers

/** Runs `pnpm backup` / `pnpm restore` as the operator does (tsx), with DATABASE_URL and DATA_DIR as given. */
function cli(script: 'backup' | 'restore', args: string[], env: { DATABASE_URL?: string; DATA_DIR?: string }): Promise<{ code: number | null; out: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.DATABASE_URL;
  delete childEnv.DATA_DIR;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, `scripts/${script}.ts`), ...args], { cwd: ROOT, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', fail);
    child.once('close', (code) => done({ code, out: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Rows of every kind the application keeps, beyond the reference data and the synthetic set. */
async function fill(database: Database): Promise<void> {
  await database.migrate();
  await loadReferenceData(database.db);
  await ensureInitialUsers(database.db, { adminPassword: 'backup-test-admin-password', demo: true });
  await generateSynthetic(database, { regionCode: REGION, seed: 3, institutions: 20, months: 6, until: '2024-06-01' });
  const db = database.db;
  const batch = await createBatch(db, { nameZh: '备份测试批次「甲」', organizer: '国家组织药品联合采购办公室', productType: 'drug' });
  const variety = await createVariety(db, { nameZh: '阿莫西林（备份）', dosageFormGroup: '口服常释剂型' });
  const { product } = await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: null, selectedPrice: '0.0837', company: '华北制药股份有限公司', spec: '0.25g' });
  await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '123456789.1234', selectedPrice: '9.9900' });
  await createDocument(db, { titleZh: '关于开展第十批国家组织药品集中采购工作的通知', issuer: '国家医疗保障局' });
  await createTarget(db, { regionCode: REGION, count: 550, dueOn: '2025-12-31', setOn: '2024-01-15' });
  const institution = await createInstitution(db, { regionCode: REGION, name: '南京市第一医院（备份测试）', level: null });
  await createPurchases(db, { regionCode: REGION, institutionId: institution.id, productId: product.id, months: { '2024-01-01': '1200.500', '2024-02-01': '0.001' } });
  await db.insert(provinceVolumes).values([
    { regionCode: REGION, batchId: batch.id, varietyId: variety.id, spec: '0.25g', contractYear: 1, quantity: '987654321.125', unit: '片', isMainStrength: true },
    { regionCode: REGION, batchId: batch.id, varietyId: variety.id, spec: '', contractYear: 2, quantity: '0.000', unit: null },
  ]);
  await db.insert(purchaseRevisions).values([
    { uploadId: 1, regionCode: REGION, institutionId: institution.id, productId: product.id, month: '2023-12-01', quantity: '3.250', amount: '1234567.89', previousUploadId: null, isSynthetic: false },
    { uploadId: 1, regionCode: REGION, institutionId: institution.id, productId: product.id, month: '2024-03-01', quantity: '1.000', amount: null, previousUploadId: 1, isSynthetic: true },
  ]);
  await db.insert(uploadMappings).values({ kind: 'purchases', name: '江苏省采购明细模板', headerSignature: 'a'.repeat(64), mapping: { 医疗机构编码: 'institutionCode', '数量（最小单位）': 'quantity' }, regionCode: REGION, createdBy: 'jiangsu-clerk' });
  await db.insert(uploadSnapshots).values({ uploadId: 1, tableName: 'products', row: { id: 1, company: '测试企业', spec: null, price: '1.50' } });
  const [admin] = await db.select({ id: users.id }).from(users).limit(1);
  await db.insert(sessions).values({ tokenHash: 'b'.repeat(64), userId: admin!.id, csrfToken: 'csrf-备份', expiresAt: new Date('2030-01-01T00:00:00Z'), ip: null, userAgent: 'Mozilla/5.0 (中文)' });
  await db.insert(authThrottle).values([
    { key: 'user:张三', failures: 3, lockedUntil: new Date('2026-06-01T08:30:00.123Z') },
    { key: 'ip:127.0.0.1', failures: 1, lockedUntil: null },
  ]);
}

interface State {
  tables: TableFingerprint[];
  sequences: { name: string; value: string | null }[];
}

async function stateOf(database: Database): Promise<State> {
  return { tables: await tableFingerprints(database.db), sequences: await sequenceValues(database.db) };
}

async function sequenceValues(db: Db) {
  return selectRows<{ name: string; value: string | null }>(db, sql`select schemaname || '.' || sequencename as "name", last_value::text as "value" from pg_sequences order by 1`);
}

async function readState(open: () => Promise<Database>): Promise<State> {
  const database = await open();
  try {
    return await stateOf(database);
  } finally {
    await database.close();
  }
}

/** Compares each restore with the original; prints the engine's line, then asserts. */
function compare(engine: string, before: State, restores: State[]): void {
  let compared = 0;
  let lost = 0;
  for (const after of restores) {
    const byTable = new Map(after.tables.map((t) => [t.table, t]));
    for (const t of before.tables) {
      const a = byTable.get(t.table);
      compared += t.rows;
      lost += Math.max(0, t.rows - (a?.rows ?? 0)) + (a && a.checksum !== t.checksum ? t.rows : 0);
    }
  }
  console.log(`reliability backup ${engine}: tables ${before.tables.length}, rows compared ${compared}, rows lost ${lost}`);
  expect(lost).toBe(0);
  for (const after of restores) {
    expect(after.tables).toEqual(before.tables);
    expect(after.sequences).toEqual(before.sequences);
  }
}

/** A file cut to half its length: what a full disk or an interrupted copy leaves. */
function truncatedCopy(file: string, to: string): string {
  const bytes = readFileSync(file);
  writeFileSync(to, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return to;
}

// ---------------------------------------------------------------------------------------------------------

describe('backups of the embedded database (PGlite)', () => {
  const work = join(ROOT, `.test-data/backup-pglite-${process.pid}`);
  const source = join(work, 'source');
  let before: State;

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const database = await createDatabase({ dataDir: source });
    try {
      await fill(database);
      before = await stateOf(database);
    } finally {
      await database.close();
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('backs up through the CLI and the function, and restores every row into fresh DATA_DIRs', async () => {
    const viaCli = join(work, 'cli.tar.gz');
    const backedUp = await cli('backup', [viaCli], { DATA_DIR: source });
    expect(backedUp.code, backedUp.out).toBe(0);
    expect(backedUp.out).toMatch(/备份完成 \/ Backup done/u);
    expect(backedUp.out).toContain(`表 / tables:          ${before.tables.length}`);
    expect(existsSync(join(source, 'server.lock'))).toBe(false);

    const viaFunction = await backupDatabase({ dataDir: source, directory: join(work, 'backups'), now: new Date(2026, 0, 2, 3, 4, 5) });
    expect(viaFunction.file).toBe(join(work, 'backups', 'vbp-pglite-20260102-030405.tar.gz'));
    expect(defaultBackupName('postgres', new Date(2026, 0, 2, 3, 4, 5))).toBe('vbp-postgres-20260102-030405.dump');
    expect(viaFunction).toMatchObject({ engine: 'pglite', tables: before.tables.length, rows: before.tables.reduce((s, t) => s + t.rows, 0), unloggedRows: 0 });

    const restoredByCli = join(work, 'restored-cli');
    const restored = await cli('restore', [viaCli], { DATA_DIR: restoredByCli });
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/恢复完成 \/ Restore done/u);
    const restoredByFunction = join(work, 'restored-function');
    const result = await restoreDatabase({ dataDir: restoredByFunction, file: viaFunction.file });
    expect(result).toMatchObject({ engine: 'pglite', tables: before.tables.length });
    expect(result.previous).toBeUndefined();

    compare('pglite', before, [await readState(() => createDatabase({ dataDir: restoredByCli })), await readState(() => createDatabase({ dataDir: restoredByFunction }))]);
  });

  it('restores over an existing database, keeping the one it replaces beside it', async () => {
    const target = join(work, 'replace');
    const other = await createDatabase({ dataDir: target });
    await other.migrate();
    await other.close();
    const file = join(work, 'replace.tar.gz');
    await backupDatabase({ dataDir: source, file });
    const result = await restoreDatabase({ dataDir: target, file, now: new Date(2026, 5, 7, 8, 9, 10) });
    expect(result.previous).toBe(join(target, 'pglite.before-restore-20260607-080910'));
    expect(readdirSync(target).sort()).toEqual(['pglite', 'pglite.before-restore-20260607-080910']);
    const kept = await readState(() => createDatabase({ pgliteDir: result.previous! }));
    expect(kept.tables.every((t) => t.rows === 0)).toBe(true);
    expect((await readState(() => createDatabase({ dataDir: target }))).tables).toEqual(before.tables);
  });

  it('refuses a backup or a restore while another process holds DATA_DIR, naming it', async () => {
    const lock = await lockDataDir(source);
    try {
      expect(await dataDirHolder(source)).toMatchObject({ pid: process.pid, purpose: 'server' });
      const file = join(work, 'while-locked.tar.gz');
      const refused = await cli('backup', [file], { DATA_DIR: source });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('Stop the server first');
      expect(refused.out).toContain('请先停止服务');
      expect(refused.out).toContain(`process ${process.pid}`);
      expect(existsSync(file)).toBe(false);
      // in this very process too: the lock is held, whoever asks
      await expect(backupDatabase({ dataDir: source, file })).rejects.toThrow(/Stop the server first/u);
      const restore = await cli('restore', [join(work, 'cli.tar.gz')], { DATA_DIR: source });
      expect(restore.code).toBe(1);
      expect(restore.out).toContain(`进程 ${process.pid}`);
      await expect(lockDataDir(source)).rejects.toThrow(new RegExp(`in use by process ${process.pid}`, 'u'));
    } finally {
      await lock.release();
    }
    expect(existsSync(join(source, 'server.lock'))).toBe(false);
    expect(await dataDirHolder(source)).toBeNull();
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = join(work, 'stale');
    mkdirSync(dir, { recursive: true });
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid!;
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid, since: '2026-01-01T00:00:00.000Z', purpose: 'server', processStart: null, token: 'x' }));
    expect(await dataDirHolder(dir)).toBeNull();
    // a live pid that started after the lock was written is another process that reused the number
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: process.pid === 1 ? 2 : 1, since: '2026-01-01T00:00:00.000Z', processStart: '-1', token: 'y' }));
    expect(await dataDirHolder(dir)).toBeNull();
    const lock = await lockDataDir(dir, { purpose: 'backup' });
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'backup' });
    await lock.release();
    expect(existsSync(join(dir, 'server.lock'))).toBe(false);
  });

  it('refuses a damaged or truncated file and leaves the database as it was', async () => {
    const target = join(work, 'restored-cli');
    const untouched = await readState(() => createDatabase({ dataDir: target }));
    const truncated = truncatedCopy(join(work, 'cli.tar.gz'), join(work, 'truncated.tar.gz'));
    const refused = await cli('restore', [truncated], { DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('is damaged or incomplete');
    expect(refused.out).toContain('已损坏或不完整');
    const garbage = join(work, 'garbage.tar.gz');
    writeFileSync(garbage, 'not a backup at all');
    await expect(restoreDatabase({ dataDir: target, file: garbage })).rejects.toThrow(/not a backup made by pnpm backup/u);
    expect(readdirSync(target).sort()).toEqual(['pglite']);
    expect(await readState(() => createDatabase({ dataDir: target }))).toEqual(untouched);
  });

  it('refuses a backup from a newer version of the code (more migrations than it has)', async () => {
    const dir = join(work, 'newer');
    const database = await createDatabase({ dataDir: dir });
    await database.migrate();
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) select 'from-the-future', max(created_at) + 1 from drizzle.__drizzle_migrations`);
    await database.close();
    const file = join(work, 'newer.tar.gz');
    await backupDatabase({ dataDir: dir, file });
    const target = join(work, 'not-replaced');
    await expect(restoreDatabase({ dataDir: target, file })).rejects.toThrow(/comes from a newer version of this application/u);
    expect(existsSync(join(target, 'pglite'))).toBe(false);
    expect(readdirSync(target).filter((n) => n.startsWith('pglite'))).toEqual([]);
  });

  it('refuses a PostgreSQL backup without DATABASE_URL, and a PGlite backup with it', async () => {
    const dump = join(work, 'fake.dump');
    writeFileSync(dump, 'PGDMP\u0001\u000f');
    await expect(restoreDatabase({ dataDir: join(work, 'x'), file: dump })).rejects.toThrow(/is a PostgreSQL backup/u);
    await expect(restoreDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', file: join(work, 'cli.tar.gz') })).rejects.toThrow(/backup of the embedded database/u);
  });
});

// ---------------------------------------------------------------------------------------------------------

const POSTGRES = !postgresBinariesMissing() || Boolean(process.env.TEST_DATABASE_URL);
if (!POSTGRES) console.log('reliability backup postgres: skipped (no TEST_DATABASE_URL and no initdb: apt-get install postgresql)');

describe.skipIf(!POSTGRES)('backups of a PostgreSQL server', () => {
  const work = join(ROOT, `.test-data/backup-postgres-${process.pid}`);
  const serverDir = join(work, 'server');
  let ownServer = false;
  let base: string;
  let before: State;
  const urlOf = (name: string) => {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const open = (name: string) => () => createDatabase({ url: urlOf(name), maxConnections: 2 });
  const names = ['bk_source', 'bk_cli', 'bk_function', 'bk_spare'].map((n) => `${n}_${process.pid}`);
  const [SOURCE, BY_CLI, BY_FUNCTION, SPARE] = names as [string, string, string, string];

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    // a server of the test's own from the local binaries, so pg_dump's version is the server's
    if (!postgresBinariesMissing()) {
      base = execFileSync(THROWAWAY, ['start', serverDir, String(await freePort())], { encoding: 'utf8' }).trim();
      ownServer = true;
    } else base = process.env.TEST_DATABASE_URL!;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    try {
      for (const name of names) {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.unsafe(`create database ${name}`);
      }
    } finally {
      await admin.end();
    }
    const database = await open(SOURCE)();
    try {
      await fill(database);
      before = await stateOf(database);
    } finally {
      await database.close();
    }
  });
  afterAll(async () => {
    if (ownServer) execFileSync(THROWAWAY, ['stop', serverDir]);
    else if (base) {
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      for (const name of names) await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up through the CLI and the function (pg_dump), and restores every row into empty databases', async () => {
    const viaCli = join(work, 'cli.dump');
    const backedUp = await cli('backup', [viaCli], { DATABASE_URL: urlOf(SOURCE) });
    expect(backedUp.code, backedUp.out).toBe(0);
    expect(backedUp.out).toMatch(/备份完成 \/ Backup done/u);
    const viaFunction = await backupDatabase({ url: urlOf(SOURCE), file: `${work}/` });
    expect(viaFunction).toMatchObject({ engine: 'postgres', tables: before.tables.length, rows: before.tables.reduce((s, t) => s + t.rows, 0) });
    expect(viaFunction.file).toMatch(/\/vbp-postgres-\d{8}-\d{6}\.dump$/u);
    expect(statSync(viaFunction.file).size).toBe(viaFunction.bytes);

    const restored = await cli('restore', [viaCli], { DATABASE_URL: urlOf(BY_CLI) });
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/恢复完成 \/ Restore done/u);
    const result = await restoreDatabase({ url: urlOf(BY_FUNCTION), file: viaFunction.file });
    expect(result).toMatchObject({ engine: 'postgres', tables: before.tables.length });

    compare('postgres', before, [await readState(open(BY_CLI)), await readState(open(BY_FUNCTION))]);
  });

  it('refuses to restore over a database that has data, or that a running server uses, without --force', async () => {
    const file = join(work, 'cli.dump');
    const refused = await cli('restore', [file], { DATABASE_URL: urlOf(BY_CLI) });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('already holds data');
    expect(refused.out).toContain('已有数据');
    expect(refused.out).toContain('--force');
    await expect(restoreDatabase({ url: urlOf(BY_CLI), file })).rejects.toThrow(/already holds data/u);

    // a server (the application's connection name) connected to an empty database
    const server = postgres(urlOf(SPARE), { max: 1, connection: { application_name: 'vbp-tracker' } });
    try {
      await server`select 1`;
      await expect(restoreDatabase({ url: urlOf(SPARE), file })).rejects.toThrow(/Stop the server first/u);
    } finally {
      await server.end();
    }

    const forced = await cli('restore', [file, '--force'], { DATABASE_URL: urlOf(BY_CLI) });
    expect(forced.code, forced.out).toBe(0);
    expect((await readState(open(BY_CLI))).tables).toEqual(before.tables);

    // a database of a later version than the backup: --clean would leave the later migrations' tables
    const later = await open(SPARE)();
    try {
      await later.migrate();
      await later.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('later', 1)`);
    } finally {
      await later.close();
    }
    await expect(restoreDatabase({ url: urlOf(SPARE), file, force: true })).rejects.toThrow(/Restore into an empty database instead/u);
  });

  it('refuses a damaged or truncated file and leaves the database as it was', async () => {
    const untouched = await readState(open(BY_FUNCTION));
    const truncated = truncatedCopy(join(work, 'cli.dump'), join(work, 'truncated.dump'));
    const refused = await cli('restore', [truncated, '--force'], { DATABASE_URL: urlOf(BY_FUNCTION) });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('is damaged or incomplete');
    expect(refused.out).toContain('已损坏或不完整');
    expect(await readState(open(BY_FUNCTION))).toEqual(untouched);
  });
});

describe.skipIf(!process.env.TEST_CITUS_URL)('backups of a Citus cluster', () => {
  it('are refused, pointing to Citus’s own procedure', async () => {
    const url = process.env.TEST_CITUS_URL!;
    await expect(backupDatabase({ url, file: join(ROOT, `.test-data/citus-${process.pid}.dump`) })).rejects.toThrow(/citus_create_restore_point/u);
  });
});
