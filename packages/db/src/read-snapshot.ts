/**
 * Readers during a long write on the embedded database. PGlite is one PostgreSQL backend with one
 * connection: a transaction that writes a million rows holds it for many seconds, and every other query
 * waits behind it, `/api/health` included. A PostgreSQL server does not have this problem: other sessions
 * read the state before the write until it commits (MVCC).
 *
 * So on PGlite a long write first takes a snapshot for readers: with the connection held (no statement
 * running), a CHECKPOINT, then a copy of the data directory, opened as a second PGlite. Read-only requests
 * are served from it while the write runs: they see the state before the write, exactly what a concurrent
 * reader sees on a server. PGlite runs each statement on this process's only thread, so readers are served
 * between the write's statements: a long write must come in short statements (see the purchases commit). When the write ends, readers return to the main database and the snapshot is
 * closed and deleted once its last reader is done. Measured on the demo data (220 MB): the copy holds the
 * database ~1 s and opening the copy takes ~1 s, against a 15 s commit of a million rows.
 *
 * A snapshot is only taken when there is room for the copy; otherwise readers wait, as before.
 */
import { cp, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from './client';

export interface ReadLease {
  db: Db;
  release(): void;
}

interface Snapshot {
  client: PGlite;
  db: Db;
  dir: string | null;
  leases: number;
  retired: boolean;
}

export interface SnapshotHooks {
  /** The main database's data directory, or null when it lives in memory (tests). */
  dataDir: string | null;
  /** Wraps a PGlite client in drizzle, as the main database is. */
  wrap(client: PGlite): Db;
  /** Whether there is room for a copy of `bytes` next to the data directory. */
  hasRoomFor?(bytes: number): Promise<boolean>;
  /** Where a problem taking or dropping a snapshot is said (it never fails the write). */
  warn(message: string, error: unknown): void;
}

export class ReadSnapshots {
  #current: Snapshot | null = null;
  /** A snapshot being taken: readers arriving meanwhile wait for it rather than queue behind the write. */
  #taking: Promise<Snapshot | null> | null = null;
  #sequence = 0;

  constructor(
    private readonly main: PGlite,
    private readonly mainDb: Db,
    private readonly hooks: SnapshotHooks,
  ) {}

  /** The database a read-only request uses; release it when the request is done. */
  async lease(): Promise<ReadLease> {
    if (this.#taking) await this.#taking;
    const snapshot = this.#current;
    if (!snapshot) return { db: this.mainDb, release() {} };
    snapshot.leases++;
    let released = false;
    return {
      db: snapshot.db,
      release: () => {
        if (released) return;
        released = true;
        snapshot.leases--;
        if (snapshot.retired && snapshot.leases === 0) void this.#drop(snapshot);
      },
    };
  }

  /** Whether readers are being served from a snapshot right now. */
  get active(): boolean {
    return this.#current !== null;
  }

  /** Runs a long write with readers on a snapshot of the state before it. */
  async during<T>(write: () => Promise<T>): Promise<T> {
    let snapshot: Snapshot | null = null;
    if (!this.#current && !this.#taking) {
      this.#taking = this.#take().catch((err: unknown) => {
        this.hooks.warn('no read snapshot for a long write: readers wait for it', err);
        return null;
      });
      snapshot = await this.#taking;
      this.#current = snapshot;
      this.#taking = null;
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

  async #take(): Promise<Snapshot> {
    const source = this.hooks.dataDir;
    if (source === null) {
      // an in-memory database (tests) is cloned whole
      const client = (await this.main.clone()) as PGlite;
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
      await cp(source, dir, { recursive: true });
    });
    try {
      const client = await PGlite.create(dir);
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
