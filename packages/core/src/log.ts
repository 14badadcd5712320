/**
 * What domain code needs of a log: pino's shape (`log.error({ fields }, 'message')`), so the server passes its
 * pino logger and nothing here depends on it. Without one, lines go to stderr in the same JSON shape.
 */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const line = (level: string) => (fields: object, message: string) => {
  const err = (fields as { err?: unknown }).err;
  const said = err instanceof Error ? { ...fields, err: { type: err.name, message: err.message, stack: err.stack } } : fields;
  process.stderr.write(`${JSON.stringify({ level, at: new Date().toISOString(), message, ...said })}\n`);
};

export const stderrLog: Log = { info: line('info'), warn: line('warn'), error: line('error') };
