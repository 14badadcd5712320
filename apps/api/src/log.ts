/**
 * The server's one log: pino, one JSON object per line, `{ level, at, message, …fields }`. Every request
 * gets an access line (request id, user, method, route, status, duration) and every unexpected error its
 * stack, with the query parameters drizzle appends to a failed statement's message withheld (they may hold
 * personal data).
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Where log lines go when not to stdout (tests collect them). */
export type LogSink = (line: string) => void;

/** A failed statement's message ends with `params: …`, which may hold what a user uploaded. */
const withheld = (text: string) => text.replace(/\nparams: [\s\S]*?(?=\n    at |$)/u, '\nparams: [withheld]');

/** An error as the log says it: its kind, message, code, stack and cause, never the statement's parameters. */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: withheld(err.message),
    ...(typeof code === 'string' ? { code } : {}),
    stack: withheld(err.stack ?? err.message),
    ...(err.cause !== undefined ? { cause: serializeError(err.cause) } : {}),
  };
}

export function createLogger(sink?: LogSink, level = 'info'): Logger {
  const options = {
    level,
    base: null,
    messageKey: 'message',
    timestamp: () => `,"at":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
  };
  // written as it comes (sync): a stop or a crash loses no line
  return sink ? pino(options, { write: (line: string) => sink(line.replace(/\n$/u, '')) }) : pino(options, pino.destination({ dest: 1, sync: true }));
}

/** A logger that says nothing (the app built for tests without one). */
export const silentLogger: Logger = pino({ level: 'silent' });
