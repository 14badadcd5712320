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
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
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
  };
}
