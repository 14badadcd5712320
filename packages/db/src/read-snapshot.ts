/**
 * Readers during a long write on the embedded database. PGlite is one PostgreSQL backend with one
 * connection: a transaction that writes a million rows holds it for many seconds, and every other query
 * waits behind it, `/api/health` included. A PostgreSQL server does not have this problem: other sessions
 * read the state before the write until it commits (MVCC).
 *
 * So on PGlite a long write first takes a snapshot for readers: with the connection held (no statement
 * running), a CHECKPOINT, then a copy of the data directory, opened as a second PGlite. Read-only requests
 * are served from it while the write runs: they see the state before the write, exactly what a concurrent
 * reader sees on a server. The main database and each snapshot run on threads of their own (pglite-thread.ts),
 * so the write and the readers run side by side, and the server's thread stays free to take requests. When the write ends, readers return to the main database and the snapshot is
 * closed and deleted once its last reader is done. Measured on the demo data (220 MB): the copy holds the
 * database ~1 s and opening the copy takes ~1 s, against a 15 s commit of a million rows.
 *
 * A snapshot is only taken when there is room for the copy; otherwise readers wait, as before.
 */
import { cp, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Db } from './client';
import type { PgliteClient } from './pglite-thread';

export interface ReadLease {
  db: Db;
  release(): void;
}

interface Snapshot {
  client: PgliteClient;
  db: Db;
  dir: string | null;
  leases: number;
  retired: boolean;
}

export interface SnapshotHooks {
  /** The main database's data directory, or null when it lives in memory (tests). */
  dataDir: string | null;
  /** Wraps a PGlite client in drizzle, as the main database is. */
  wrap(client: PgliteClient): Db;
  /** Opens the copy of the data directory (on a thread of its own, as the main database), or, for `null`, clones the in-memory database. */
  open(dir: string | null): Promise<PgliteClient>;
  /** Whether there is room for a copy of `bytes` next to the data directory. */
  hasRoomFor?(bytes: number): Promise<boolean>;
  /** Where a problem taking or dropping a snapshot is said (it never fails the write). */
  warn(message: string, error: unknown): void;
}

/** How long a long write waits for readers already on the main database (a cold answer takes a second or two). */
const MAIN_READERS_WAIT_MS = 5_000;

interface WalSpan {
  from: string;
  to: string;
}

/** A WAL segment's file name: timeline, then position (24 hexadecimal digits, ordered as they are written). */
const WAL_SEGMENT = /^[0-9A-F]{24}$/;

/**
 * Which files a snapshot copies: all but the WAL segments outside the last checkpoint's span. Right after a
 * CHECKPOINT, with nothing else writing, recovery starts at its redo point and reads to the insert position;
 * the segments before are spent and those after are old ones renamed for reuse (PGlite keeps up to
 * max_wal_size, 1 GB: 529 MB of WAL beside 282 MB of tables after a 2 M-row load). Without them the copy
 * holds the database a third as long.
 */
export function neededForRecovery(dataDir: string, span: WalSpan | undefined): (path: string) => boolean {
  if (!span) return () => true;
  const walDir = join(dataDir, 'pg_wal');
  return (path) => {
    if (dirname(path) !== walDir || !WAL_SEGMENT.test(basename(path))) return true;
    const name = basename(path);
    return name >= span.from && name <= span.to;
  };
}

/** A lease whose `release` counts once, however often it is called. */
function leaseOnce(db: Db, onRelease: () => void): ReadLease {
  let released = false;
  return {
    db,
    release() {
      if (released) return;
      released = true;
      onRelease();
    },
  };
}

export class ReadSnapshots {
  #current: Snapshot | null = null;
  #taking = false;
  #sequence = 0;
  /** Readers on the main database right now, and who waits for there to be none. */
  #mainReaders = 0;
  #idle: (() => void)[] = [];

  constructor(
    private readonly main: PgliteClient,
    private readonly mainDb: Db,
    private readonly hooks: SnapshotHooks,
  ) {}

  /**
   * The database a read-only request uses; release it when the request is done. While a snapshot is taken
   * readers stay on the main database: during the copy they wait for it as for any statement (about a
   * second), while the copy opens they are served as usual, and the write begins only once they are done.
   */
  async lease(): Promise<ReadLease> {
    const snapshot = this.#current;
    if (!snapshot) {
      this.#mainReaders++;
      return leaseOnce(this.mainDb, () => {
        if (--this.#mainReaders === 0) for (const wake of this.#idle.splice(0)) wake();
      });
    }
    snapshot.leases++;
    return leaseOnce(snapshot.db, () => {
      snapshot.leases--;
      if (snapshot.retired && snapshot.leases === 0) void this.#drop(snapshot);
    });
  }

  /** Whether readers are being served from a snapshot right now. */
  get active(): boolean {
    return this.#current !== null;
  }

  /** Runs a long write with readers on a snapshot of the state before it. */
  async during<T>(write: () => Promise<T>): Promise<T> {
    let snapshot: Snapshot | null = null;
    if (!this.#current && !this.#taking) {
      this.#taking = true;
      snapshot = await this.#take().catch((err: unknown) => {
        this.hooks.warn('no read snapshot for a long write: readers wait for it', err);
        return null;
      });
      this.#current = snapshot;
      this.#taking = false;
      // new readers go to the snapshot; those still on the main database finish before the write holds it
      if (snapshot) await this.#mainIdle();
    }
    try {
      return await write();
    } finally {
      if (snapshot) {
        this.#current = null;
        snapshot.retired = true;
        if (snapshot.leases === 0) await this.#drop(snapshot);
      }
    }
  }

  /** Resolves when no reader is on the main database, or after MAIN_READERS_WAIT_MS whatever they do. */
  #mainIdle(): Promise<void> {
    if (this.#mainReaders === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, MAIN_READERS_WAIT_MS);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async #take(): Promise<Snapshot> {
    const source = this.hooks.dataDir;
    if (source === null) {
      // an in-memory database (tests) is cloned whole
      const client = await this.hooks.open(null);
      return { client, db: this.hooks.wrap(client), dir: null, leases: 0, retired: false };
    }
    const dir = `${source}-read-snapshot-${process.pid}-${++this.#sequence}`;
    await rm(dir, { recursive: true, force: true });
    // the transaction holds the only connection: nothing writes while the files are copied
    await this.main.transaction(async (tx) => {
      await tx.exec('CHECKPOINT');
      const size = await tx.query<{ bytes: string }>(`select pg_database_size(current_database())::text as bytes`);
      const bytes = Number(size.rows[0]?.bytes ?? 0);
      if (this.hooks.hasRoomFor && !(await this.hooks.hasRoomFor(bytes * 1.2))) throw new Error(`not enough free space for a ${Math.round(bytes / 1e6)} MB copy`);
      const wal = await tx.query<WalSpan>(`select redo_wal_file as "from", pg_walfile_name(pg_current_wal_insert_lsn()) as "to" from pg_control_checkpoint()`);
      await cp(source, dir, { recursive: true, filter: neededForRecovery(source, wal.rows[0]) });
    });
    try {
      const client = await this.hooks.open(dir);
      return { client, db: this.hooks.wrap(client), dir, leases: 0, retired: false };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async #drop(snapshot: Snapshot): Promise<void> {
    try {
      await snapshot.client.close();
      if (snapshot.dir) await rm(snapshot.dir, { recursive: true, force: true });
    } catch (err) {
      this.hooks.warn('a read snapshot could not be removed', err);
    }
  }

  /** Drops the snapshot in use, if any (the database is closing). */
  async close(): Promise<void> {
    const snapshot = this.#current;
    this.#current = null;
    if (snapshot) await this.#drop(snapshot);
  }

  /** Snapshot folders a stopped process left behind, next to `dataDir`. */
  static async removeLeftovers(dataDir: string): Promise<void> {
    const prefix = `${basename(dataDir)}-read-snapshot-`;
    const parent = dirname(dataDir);
    const names = await readdir(parent).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(parent, n), { recursive: true, force: true })));
  }
}
