/**
 * Database errors that mean "not now" rather than "wrong": the server cannot be reached, is shutting down
 * or starting up, or dropped the connection. Both drivers are covered: postgres.js sets `code` to a
 * SQLSTATE or to its own CONNECTION_* / Node's E* codes; drizzle wraps either as the `cause`.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // admin_shutdown, crash_shutdown, cannot_connect_now
  '57P01',
  '57P02',
  '57P03',
]);

/** Whether `err` (or what it wraps) says the database is unreachable for now. */
export function isUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (UNREACHABLE_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
    // AggregateError of every address tried (Node's happy-eyeballs connect)
    if (e instanceof AggregateError && e.errors.some((inner) => isUnreachable(inner))) return true;
  }
  return false;
}
