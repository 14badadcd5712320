/**
 * The embedded database's own thread (see pglite-thread.ts, which starts it and speaks to it). Plain
 * JavaScript: a worker thread is started by Node itself, without the TypeScript loader the server runs
 * under. Each message is one call; answers carry the call's id. Calls are handled as they come, not one
 * after another: PGlite's own locks order them (a query outside a transaction waits for it to end; the
 * transaction's own queries do not), exactly as they would on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** Thrown inside PGlite's transaction callback to end it with a ROLLBACK. */
const ROLLBACK = Symbol('rollback');

/** Error fields that cross the thread boundary: the message and every plain field (code, detail, …). */
function serializeError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/** Identity parsers for the given type OIDs (the only parsers a caller may send; pglite-thread.ts checks). */
function identityParsers(oids) {
  if (!oids) return undefined;
  return Object.fromEntries(oids.map((oid) => [oid, (value) => value]));
}

function options(call) {
  const out = {};
  if (call.rowMode) out.rowMode = call.rowMode;
  if (call.identityParsers) out.parsers = identityParsers(call.identityParsers);
  if (call.paramTypes) out.paramTypes = call.paramTypes;
  if (call.blob) out.blob = new Blob([call.blob]);
  return out;
}

const port = parentPort;
let pg;
try {
  pg = await PGlite.create(workerData.dataDir);
} catch (error) {
  port.postMessage({ id: 0, error: serializeError(error) });
  process.exit(0);
}

/** Open transactions by id: PGlite's transaction object, and how to end it. */
const transactions = new Map();

function target(call) {
  if (call.tx === undefined) return pg;
  const open = transactions.get(call.tx);
  if (!open) throw new Error(`transaction ${call.tx} is not open`);
  return open.tx;
}

async function begin(id) {
  let started;
  const ready = new Promise((resolve) => (started = resolve));
  let end;
  const ended = new Promise((resolve) => (end = resolve));
  const finished = pg.transaction(async (tx) => {
    transactions.set(id, { tx, end: (commit) => (end(commit), finished) });
    started();
    if (!(await ended)) throw ROLLBACK;
  });
  // BEGIN itself can fail (the database closing): then `finished` rejects before `ready`
  await Promise.race([ready, finished]);
  return id;
}

async function end(call) {
  const open = transactions.get(call.tx);
  if (!open) throw new Error(`transaction ${call.tx} is not open`);
  try {
    await open.end(call.commit);
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  } finally {
    transactions.delete(call.tx);
  }
}

async function handle(call) {
  switch (call.op) {
    case 'query':
      return target(call).query(call.sql, call.params ?? [], options(call));
    case 'exec':
      return target(call).exec(call.sql, options(call));
    case 'begin':
      return begin(call.id);
    case 'rollback':
      return target(call).rollback();
    case 'end':
      return end(call);
    case 'close':
      return pg.close();
    default:
      throw new Error(`unknown call ${call.op}`);
  }
}

port.on('message', (call) => {
  handle(call).then(
    (result) => port.postMessage({ id: call.id, result }),
    (error) => port.postMessage({ id: call.id, error: serializeError(error) }),
  );
});
port.postMessage({ id: 0, result: 'ready' });
