/**
 * One process at a time in DATA_DIR. PGlite is PostgreSQL in this process with no server of its own: two
 * processes opening the same files (a second server, a backup or a restore while the server runs) would
 * corrupt them. Whoever opens the embedded database first takes `DATA_DIR/server.lock`, holding its pid,
 * when it took the lock and what for; the others refuse, naming the pid.
 *
 * A lock whose process is gone (a crash, a kill -9) is stale and taken over. "Gone" is checked with signal
 * 0, and on Linux also against the process's start time in /proc: after a restart (a container) the pid of
 * a dead server is often reused, by another process or by this one.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = 'server.lock';

export interface DataDirHolder {
  pid: number;
  /** When the holder took the lock (ISO 8601). */
  since: string;
  /** What for: `server`, `backup`, `restore`. */
  purpose?: string;
}

export interface DataDirLock {
  release(): Promise<void>;
}

interface LockRecord extends DataDirHolder {
  /** The holder's start time in clock ticks after boot (/proc/<pid>/stat), where the system has it. */
  processStart: string | null;
  token: string;
}

const PURPOSE_ZH: Record<string, string> = { server: '服务', backup: '备份', restore: '恢复', 'rebuild-summaries': '重算汇总', 'seed-synthetic': '生成合成数据' };

/** DATA_DIR is held by another live process. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: DataDirHolder,
  ) {
    const what = holder.purpose ?? 'server';
    super(
      `DATA_DIR ${dir} is in use by process ${holder.pid} (${what}, since ${holder.since}): the embedded database can be opened by one process at a time.\n` +
        `数据目录 ${dir} 正被进程 ${holder.pid} 使用（${PURPOSE_ZH[what] ?? what}，自 ${holder.since} 起）：内置数据库同一时间只能由一个进程打开。`,
    );
    this.name = 'DataDirLockedError';
  }
}

/** Locks this process holds, by lock file path → token (a second lock of the same directory is refused). */
const held = new Map<string, string>();

/**
 * Takes `dir/server.lock` for this process, or throws DataDirLockedError naming the live process that holds
 * it. The lock goes when `release()` is called, and (best effort) when the process exits.
 */
export async function lockDataDir(dir: string, options: { purpose?: string } = {}): Promise<DataDirLock> {
  const directory = resolve(dir);
  const path = join(directory, LOCK_FILE);
  await mkdir(directory, { recursive: true });
  const record: LockRecord = {
    pid: process.pid,
    since: new Date().toISOString(),
    purpose: options.purpose ?? 'server',
    processStart: processStartTicks(process.pid),
    token: randomBytes(12).toString('hex'),
  };
  const content = `${JSON.stringify(record)}\n`;
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(path, content)) break;
    const existing = await readRecord(path);
    if (existing && isLive(path, existing.record)) throw new DataDirLockedError(directory, holderOf(existing.record));
    if (attempt >= 20) throw new Error(`could not take ${path}: it keeps changing / 无法获取 ${path}：该文件不断变化`);
    // stale (or unreadable): removed under a short mutex, so two processes taking over at once do not
    // remove each other's fresh lock
    await takeOver(path, existing?.raw ?? null);
  }
  held.set(path, record.token);
  const onExit = () => {
    try {
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      if (held.get(path) === record.token) held.delete(path);
      const now = await readFile(path, 'utf8').catch(() => null);
      if (now === content) await unlink(path).catch(() => {});
    },
  };
}

/**
 * DATA_DIR's lock for a command-line tool that opens the database the way the server does (`url` set → a
 * PostgreSQL server, which needs no lock: null; an in-memory database: null; else the embedded one under
 * `dataDir`, default `.data`).
 */
export async function lockEmbeddedDatabase(where: { url?: string | undefined; dataDir?: string | undefined }, purpose: string): Promise<DataDirLock | null> {
  const dataDir = where.dataDir || '.data';
  if (where.url || dataDir.startsWith('memory://')) return null;
  return lockDataDir(dataDir, { purpose });
}

/** The live process holding `dir/server.lock`, or null when nobody does (no lock, or a stale one). */
export async function dataDirHolder(dir: string): Promise<DataDirHolder | null> {
  const path = join(resolve(dir), LOCK_FILE);
  const existing = await readRecord(path);
  return existing && isLive(path, existing.record) ? holderOf(existing.record) : null;
}

function holderOf(record: LockRecord): DataDirHolder {
  return { pid: record.pid, since: record.since, ...(record.purpose ? { purpose: record.purpose } : {}) };
}

/** Writes the file only if it does not exist, whole (a reader never sees it half-written). */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { flag: 'wx' });
  try {
    await link(temporary, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function readRecord(path: string): Promise<{ raw: string; record: LockRecord } | null> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockRecord>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return { raw, record: unreadable() };
    return {
      raw,
      record: {
        pid: parsed.pid,
        since: typeof parsed.since === 'string' ? parsed.since : '?',
        ...(typeof parsed.purpose === 'string' ? { purpose: parsed.purpose } : {}),
        processStart: typeof parsed.processStart === 'string' ? parsed.processStart : null,
        token: typeof parsed.token === 'string' ? parsed.token : '',
      },
    };
  } catch {
    return { raw, record: unreadable() };
  }
}

/** A lock file that is not ours to read (cut short, edited): treated as stale. */
const unreadable = (): LockRecord => ({ pid: 0, since: '?', processStart: null, token: '' });

function isLive(path: string, record: LockRecord): boolean {
  if (record.pid <= 0) return false;
  // this process: live only if it took this lock and still holds it (otherwise a dead holder had our pid)
  if (record.pid === process.pid) return held.get(path) === record.token;
  try {
    process.kill(record.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStartTicks(record.pid);
  // the pid is alive; it is the holder unless it is known to have started after the lock was written
  return record.processStart === null || start === null || start === record.processStart;
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may contain spaces and parentheses). */
function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

async function takeOver(path: string, staleContent: string | null): Promise<void> {
  const mutex = `${path}.takeover`;
  try {
    await mkdir(mutex);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // another process is taking over; a mutex left by one that died is removed after a while
    const age = await stat(mutex).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > 10_000) await rmdir(mutex).catch(() => {});
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => null);
    if (now !== null && now === staleContent) await unlink(path).catch(() => {});
  } finally {
    await rmdir(mutex).catch(() => {});
  }
}

