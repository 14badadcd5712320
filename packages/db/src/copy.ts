/**
 * Bulk loading with COPY on both engines, streamed so memory stays bounded whatever the row count.
 *
 * - PostgreSQL: `COPY … FROM STDIN` through the `postgres` driver's writable stream, with backpressure.
 * - PGlite: `COPY … FROM '/dev/blob'`, one statement per chunk of rows (a Blob of at most
 *   `chunkRows` rows or `chunkBytes` bytes), all chunks inside one transaction.
 *
 * Rows go in COPY's text format: `\N` for NULL, and backslash, tab, newline and carriage return escaped.
 * A COPY is all or nothing: without a transaction `copyRows` opens one (PGlite) or relies on the single
 * COPY statement on a connection reserved for it (PostgreSQL); inside `withTransaction` it joins the caller's transaction, so a failing row
 * rolls back everything the caller did in it.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import type { Database, Db, Tx } from './client';
import type { PgliteQueryable } from './pglite-thread';

/** One value of a row: strings go in as written (numeric columns take decimal strings exactly). */
export type CopyValue = string | number | bigint | boolean | null | undefined;
export type CopyRow = readonly CopyValue[];

export interface CopyOptions {
  /** Called after each chunk the database has taken, with the number of rows sent so far. */
  onProgress?: (rowsDone: number) => void;
  /**
   * A drizzle transaction (or database) to COPY through: the rows join that transaction and commit or roll
   * back with it. Prefer `withTransaction`, which hands out a `copy` bound to its transaction.
   */
  tx?: Db | Tx;
  /**
   * Or the driver's own client to COPY through: a `postgres` TransactionSql from `sql.begin(…)` or a
   * reserved connection, or a PGlite transaction from `pglite.transaction(…)`.
   */
  client?: postgres.Sql | PgliteQueryable;
  /** PGlite: rows per COPY statement, cut at the next ~64 KiB run of rows (default 100,000). */
  chunkRows?: number;
  /** PGlite: bytes per COPY statement before a chunk is cut early (default 32 MiB). */
  chunkBytes?: number;
}

export type CopyFunction = (
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<CopyRow> | Iterable<CopyRow>,
  options?: Omit<CopyOptions, 'tx' | 'client'>,
) => Promise<number>;

export interface TransactionHandle {
  /** The drizzle transaction: nested `tx.transaction()` makes a savepoint. */
  tx: Tx;
  /** `copyRows` bound to the same transaction (and connection). */
  copy: CopyFunction;
}

/**
 * Runs `fn` in one transaction and gives it both a drizzle transaction and a COPY bound to the same
 * connection (`client.begin` on PostgreSQL, `client.transaction` on PGlite, both through drizzle). Commits
 * when `fn` resolves; rolls everything back, COPYs included, when it throws.
 */
export async function withTransaction<T>(database: Database, fn: (handle: TransactionHandle) => Promise<T>): Promise<T> {
  return database.db.transaction(async (tx) =>
    fn({ tx, copy: (table, columns, rows, options) => copyRows(database, table, columns, rows, { ...options, tx }) }),
  );
}

/**
 * Streams `rows` into `table` (`columns` in SQL spelling, e.g. `region_code`) with COPY and returns the
 * number of rows loaded. Throws (and loads nothing) when any row is refused: a wrong column count here,
 * or a value or constraint the database rejects.
 */
export async function copyRows(
  database: Database,
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<CopyRow> | Iterable<CopyRow>,
  options: CopyOptions = {},
): Promise<number> {
  if (columns.length === 0) throw new Error('copyRows: no columns');
  const statementHead = `COPY ${quoteQualified(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM`;
  const chunks = encodeChunks(rows, columns.length, 65_536);
  const raw = options.client ?? (options.tx ? rawClientOf(options.tx) : undefined);

  if (database.driver.kind === 'postgres') {
    const statement = `${statementHead} STDIN`;
    if (raw && raw !== database.driver.client) return copyIntoPostgres(raw as postgres.Sql, statement, chunks, options.onProgress);
    // Never through the pool itself: when all its connections are busy the driver pipelines the next query
    // onto one of them, and one in COPY FROM STDIN breaks the protocol (the server logs "unexpected message
    // type during COPY" and closes the connection). A reserved connection takes only this COPY.
    const reserved = await database.driver.client.reserve();
    try {
      return await copyIntoPostgres(reserved, statement, chunks, options.onProgress);
    } finally {
      reserved.release();
    }
  }
  const statement = `${statementHead} '/dev/blob'`;
  const load = (client: PgliteQueryable) =>
    copyIntoPglite(client, statement, chunks, options.chunkRows ?? 100_000, options.chunkBytes ?? 32 << 20, options.onProgress);
  if (raw && raw !== database.driver.client) return load(raw as PgliteQueryable);
  // Several COPY statements: one transaction keeps them all or nothing.
  return database.driver.client.transaction((tx) => load(tx));
}

/** A run of encoded rows: COPY text-format lines and how many rows they hold. */
interface EncodedChunk {
  text: string;
  rows: number;
}

/**
 * Encodes rows into runs of about `chunkChars` characters, checking each row's width. A synchronous
 * source is read without an `await` per row (that alone costs more than the encoding).
 */
async function* encodeChunks(
  rows: AsyncIterable<CopyRow> | Iterable<CopyRow>,
  width: number,
  chunkChars: number,
): AsyncGenerator<EncodedChunk> {
  let text = '';
  let count = 0;
  let index = 0;
  const encodeRow = (row: CopyRow) => {
    index++;
    if (row.length !== width) throw new Error(`copyRows: row ${index} has ${row.length} values, expected ${width}`);
    let line = encodeValue(row[0]);
    for (let i = 1; i < width; i++) line += `\t${encodeValue(row[i])}`;
    text += `${line}\n`;
    count++;
  };
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      encodeRow(row);
      if (text.length >= chunkChars) {
        yield { text, rows: count };
        text = '';
        count = 0;
      }
    }
  } else {
    for await (const row of rows) {
      encodeRow(row);
      if (text.length >= chunkChars) {
        yield { text, rows: count };
        text = '';
        count = 0;
      }
    }
  }
  if (count > 0) yield { text, rows: count };
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY text format. Exported for tests. */
export function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`copyRows: ${value} is not a finite number`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    default:
      throw new Error(`copyRows: unsupported value of type ${typeof value}`);
  }
}

async function copyIntoPostgres(
  sql: postgres.Sql,
  statement: string,
  chunks: AsyncIterable<EncodedChunk>,
  onProgress: ((rowsDone: number) => void) | undefined,
): Promise<number> {
  const query = sql.unsafe(statement);
  /*
   * postgres 3.4.9 never settles the writable when the server refuses the data: the error arrives after
   * CopyDone and only reaches the query's `reject`, which is a no-op once the query has resolved to the
   * stream (porsager/postgres#1173, fix proposed in #1183). Hook `reject` so the error surfaces here and the
   * caller's transaction can roll back instead of hanging with the connection idle in an aborted transaction.
   */
  let failCopy: (error: unknown) => void = () => {};
  const refused = new Promise<never>((_, reject) => {
    failCopy = reject;
  });
  refused.catch(() => {}); // observed through the races below; never an unhandled rejection
  const pending = query as unknown as { reject?: (error: unknown) => unknown };
  const originalReject = pending.reject;
  if (typeof originalReject === 'function') {
    pending.reject = (error: unknown) => {
      failCopy(error);
      return originalReject.call(query, error);
    };
  }
  const writable = await Promise.race([query.writable(), refused]);

  let rowsDone = 0;
  let reported = 0;
  // One socket write per ~64 KiB run; the writable's high-water mark holds the source back while the
  // server is busy (backpressure), so memory stays bounded.
  async function* texts(): AsyncGenerator<string> {
    for await (const chunk of chunks) {
      yield chunk.text;
      rowsDone += chunk.rows;
      if (onProgress && rowsDone - reported >= 50_000) {
        reported = rowsDone;
        onProgress(rowsDone);
      }
    }
  }
  await Promise.race([pipeline(Readable.from(texts(), { objectMode: false }), writable), refused]);
  if (reported !== rowsDone) onProgress?.(rowsDone);
  return rowsDone;
}

async function copyIntoPglite(
  client: PgliteQueryable,
  statement: string,
  chunks: AsyncIterable<EncodedChunk>,
  chunkRows: number,
  chunkBytes: number,
  onProgress: ((rowsDone: number) => void) | undefined,
): Promise<number> {
  const encoder = new TextEncoder();
  let rowsDone = 0;
  let parts: Uint8Array[] = [];
  let bytes = 0;
  let rowsInBlob = 0;

  const load = async () => {
    if (rowsInBlob === 0) return;
    const blob = new Blob(parts);
    parts = [];
    bytes = 0;
    await client.query(statement, [], { blob });
    rowsDone += rowsInBlob;
    rowsInBlob = 0;
    onProgress?.(rowsDone);
  };

  for await (const chunk of chunks) {
    const encoded = encoder.encode(chunk.text);
    parts.push(encoded);
    bytes += encoded.byteLength;
    rowsInBlob += chunk.rows;
    if (rowsInBlob >= chunkRows || bytes >= chunkBytes) await load();
  }
  await load();
  return rowsDone;
}

/**
 * The driver-level client behind a drizzle database or transaction: a transaction's reserved connection
 * on PostgreSQL (`TransactionSql`), PGlite's transaction object, or the pool / PGlite itself.
 * drizzle keeps it as `session.client` on both drivers (drizzle-orm 0.45).
 */
function rawClientOf(db: Db | Tx): postgres.Sql | PgliteQueryable {
  const client = (db as unknown as { session?: { client?: { unsafe?: unknown; query?: unknown } } }).session?.client;
  if (typeof client?.unsafe === 'function') return client as unknown as postgres.Sql;
  if (typeof client?.query === 'function') return client as unknown as PgliteQueryable;
  throw new Error('copyRows: cannot find the driver client of this drizzle transaction');
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `purchases` or `public.purchases`, each part quoted. */
function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}
