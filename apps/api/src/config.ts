/** Settings read from the environment, once, at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Demo mode loads labelled synthetic execution data for Jiangsu (default: on for the embedded database). */
  demo: boolean;
  webRoot: string | undefined;
  /** The first administrator's password (only used when `admin` does not exist yet). */
  adminPassword: string | undefined;
  /** Behind a reverse proxy: trust X-Forwarded-For / X-Forwarded-Proto. */
  trustProxy: boolean;
  /** Mark the session cookie Secure even when the request looks like plain HTTP. */
  secureCookies: boolean;
  /** The largest file an upload may be, in bytes (MAX_UPLOAD_MB, default 200). */
  maxUploadBytes: number;
  /** How long a stop waits for requests and upload jobs before stopping them (SHUTDOWN_GRACE_SECONDS, default 20). */
  shutdownGraceMs: number;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${value}`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv, defaults: { webRoot?: string }): Config {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.DATA_DIR ?? '.data',
    databaseUrl,
    demo: flag(env.VBP_DEMO, databaseUrl === undefined),
    // WEB_ROOT='' serves the API alone
    webRoot: env.WEB_ROOT === undefined ? defaults.webRoot : env.WEB_ROOT || undefined,
    adminPassword: env.VBP_ADMIN_PASSWORD || undefined,
    trustProxy: flag(env.TRUST_PROXY, false),
    secureCookies: flag(env.SECURE_COOKIES, false),
    maxUploadBytes: positiveNumber(env.MAX_UPLOAD_MB, 200, 'MAX_UPLOAD_MB') * 1024 * 1024,
    shutdownGraceMs: positiveNumber(env.SHUTDOWN_GRACE_SECONDS, 20, 'SHUTDOWN_GRACE_SECONDS') * 1000,
  };
}
