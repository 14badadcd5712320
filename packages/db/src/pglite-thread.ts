/**
 * The embedded database on a thread of its own (issue 23, item 5). PGlite runs every statement
 * synchronously on the thread that calls it, and its promises resolve as microtasks: on the server's main
 * thread a chain of short statements (a commit's slices, one after another) held the event loop for
 * 0.5–3 s at a time, and every other request waited (the reliability suite's p99 of reads during a
 * 200,000-row commit: 2.0–3.4 s). Here PGlite lives in a worker thread and the main thread sends it each
 * call as a message: while a statement runs, the main thread keeps accepting and answering requests, and a
 * long write uses the machine's second core while readers are served from a snapshot on a third thread.
 *
 * `PgliteThread` answers the part of PGlite's API this project calls (query, exec, transaction, close), so
 * drizzle's PGlite driver, COPY from a blob and the read snapshots use it as they use PGlite. What crosses
 * the boundary is data only: the rows (structured clone keeps dates, bigints and bytes), errors with their
 * fields (`code`, `detail`, …), a COPY's bytes (transferred, not copied). Result parsers are functions and
 * cannot cross: the only ones accepted are drizzle's, which keep a type's text as it is; the thread applies
 * the same identity parsers (a parser that changes its value is refused, so a drizzle upgrade that changes
 * them fails loudly rather than parsing differently).
 */
import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';

/** What this project asks of a PGlite client: PGlite itself or `PgliteThread`. */
export interface PgliteQueryable {
  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(query: string, options?: QueryOptions): Promise<Array<Results>>;
}
export interface PgliteTransaction extends PgliteQueryable {
  rollback(): Promise<void>;
  readonly closed: boolean;
}
export interface PgliteClient extends PgliteQueryable {
  transaction<T>(callback: (tx: PgliteTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

interface Call {
  op: 'query' | 'exec' | 'begin' | 'rollback' | 'end' | 'close';
  tx?: number;
  sql?: string;
  params?: unknown[];
  rowMode?: 'array' | 'object';
  identityParsers?: number[];
  paramTypes?: number[];
  blob?: ArrayBuffer;
  commit?: boolean;
}

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

interface Answer {
  id: number;
  result?: unknown;
  error?: SerializedError;
}

const WORKER = new URL('./pglite-thread-worker.mjs', import.meta.url);
/** A sample a parser must give back unchanged to be sent as an identity parser. */
const PARSER_PROBE = '2024-01-31 12:00:00+08';

function revive(error: SerializedError, where: Error): Error {
  const revived = Object.assign(new Error(error.message), error.fields);
  revived.name = error.name;
  revived.stack = `${error.stack ?? `${error.name}: ${error.message}`}\n    --- called from the main thread ---\n${(where.stack ?? '').split('\n').slice(1).join('\n')}`;
  return revived;
}

export class PgliteThread implements PgliteClient {
  #worker: Worker;
  #next = 1;
  #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; where: Error }>();
  #failure: Error | null = null;
  #opened = false;
  #closing = false;

  readonly #onDeath: (error: Error) => void;

  private constructor(worker: Worker, onDeath: (error: Error) => void) {
    this.#worker = worker;
    this.#onDeath = onDeath;
    worker.on('message', (answer: Answer) => this.#answer(answer));
    // The thread died (out of memory, a crash in PGlite): every call waiting fails, and every later one. The
    // process cannot go on without its database: the error is thrown as uncaught, as it would have been
    // with PGlite on the main thread, so the server stops in order and its service manager restarts it.
    const died = (error: Error) => {
      if (this.#closing) return this.#fail(error);
      const first = this.#failure === null;
      this.#fail(error);
      if (first && this.#opened) this.#onDeath(new Error(`the embedded database's thread stopped: ${error.message}`, { cause: error }));
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`exit code ${code}`)));
  }

  /**
   * Opens the PGlite stored in `dataDir` on a thread of its own. `onDeath` is told if the thread stops
   * while open (by default the error is thrown as uncaught); `script` replaces the worker (tests).
   */
  static async open(dataDir: string, options: { onDeath?: (error: Error) => void; script?: URL } = {}): Promise<PgliteThread> {
    const worker = new Worker(options.script ?? WORKER, { workerData: { dataDir } });
    const thread = new PgliteThread(worker, options.onDeath ?? throwUncaught);
    await new Promise<void>((resolve, reject) => {
      thread.#pending.set(0, { resolve: () => resolve(), reject, where: new Error('opening the database') });
    });
    thread.#opened = true;
    return thread;
  }

  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(undefined, query, params, options);
  }

  exec(query: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.#call({ op: 'exec', sql: query, ...callOptions(options) }) as Promise<Array<Results>>;
  }

  async transaction<T>(callback: (tx: PgliteTransaction) => Promise<T>): Promise<T> {
    const id = (await this.#call({ op: 'begin' })) as number;
    let closed = false;
    const open = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: PgliteTransaction = {
      query: <R>(query: string, params?: unknown[], options?: QueryOptions) => (open(), this.#query<R>(id, query, params, options)),
      exec: (query: string, options?: QueryOptions) => (open(), this.#call({ op: 'exec', tx: id, sql: query, ...callOptions(options) }) as Promise<Array<Results>>),
      rollback: async () => {
        open();
        await this.#call({ op: 'rollback', tx: id });
        closed = true;
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      closed = true;
      await this.#call({ op: 'end', tx: id, commit: false });
      throw error;
    }
    closed = true;
    await this.#call({ op: 'end', tx: id, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.#failure || this.#closing) return;
    this.#closing = true;
    await this.#call({ op: 'close' });
    await this.#worker.terminate();
  }

  async #query<T>(tx: number | undefined, query: string, params: unknown[] | undefined, options: QueryOptions | undefined): Promise<Results<T>> {
    const call: Call = { op: 'query', sql: query, params: params ?? [], ...callOptions(options) };
    if (tx !== undefined) call.tx = tx;
    if (options?.blob) call.blob = await options.blob.arrayBuffer();
    return this.#call(call) as Promise<Results<T>>;
  }

  #call(call: Call): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, where: new Error(call.op) });
      this.#worker.postMessage({ ...call, id }, call.blob ? [call.blob] : []);
    });
  }

  #answer(answer: Answer): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    if (answer.error) pending.reject(revive(answer.error, pending.where));
    else pending.resolve(answer.result);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

function throwUncaught(error: Error): void {
  process.nextTick(() => {
    throw error;
  });
}

/** The options that can cross to the thread; anything else PGlite would be asked is refused here. */
function callOptions(options: QueryOptions | undefined): Pick<Call, 'rowMode' | 'identityParsers' | 'paramTypes'> {
  if (!options) return {};
  const { rowMode, parsers, paramTypes, blob, ...rest } = options;
  void blob;
  const unsupported = Object.keys(rest).filter((key) => rest[key as keyof typeof rest] !== undefined);
  if (unsupported.length) throw new Error(`PgliteThread: the option(s) ${unsupported.join(', ')} cannot cross to the database thread`);
  const out: Pick<Call, 'rowMode' | 'identityParsers' | 'paramTypes'> = {};
  if (rowMode) out.rowMode = rowMode;
  if (paramTypes) out.paramTypes = paramTypes;
  if (parsers) {
    const oids = Object.keys(parsers).map(Number);
    for (const oid of oids) {
      if (parsers[oid]!(PARSER_PROBE) !== PARSER_PROBE) throw new Error(`PgliteThread: the parser for type ${oid} changes its value; only identity parsers can cross to the database thread`);
    }
    out.identityParsers = oids;
  }
  return out;
}
