/**
 * Settings read from the environment, once, at start, through one schema: a misspelt value (VBP_DEMO=ture,
 * PORT=80a) stops the start with a message that names the variable, in Chinese and English, instead of
 * quietly reading as a default.
 *
 * Demo mode (accounts with the README's published password, a clerk among them) is on by default only for
 * the embedded database listening on a loopback address. On any other address it is off unless asked for,
 * and asking for it there also needs VBP_DEMO_ON_NETWORK=yes: a second, explicit confirmation that anyone on
 * the network may sign in with the published password.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Demo mode loads labelled synthetic execution data for Jiangsu and accounts with a published password. */
  demo: boolean;
  /** Why demo mode is on or off (said in the start log). */
  demoReason: 'asked' | 'embedded on loopback' | 'not asked' | 'database server' | 'not on loopback';
  webRoot: string | undefined;
  /** The first administrator's password (only used when `admin` does not exist yet). */
  adminPassword: string | undefined;
  /** Behind a reverse proxy: trust X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host. */
  trustProxy: boolean;
  /** The origins users reach the server at beside its own addresses (VBP_PUBLIC_ORIGIN), as `scheme://host[:port]`. */
  publicOrigins: string[];
  /** Mark the session cookie Secure even when the request looks like plain HTTP. */
  secureCookies: boolean;
  /** The largest file an upload may be, in bytes (MAX_UPLOAD_MB, default 200). */
  maxUploadBytes: number;
  /** How long a stop waits for requests and upload jobs before stopping them (SHUTDOWN_GRACE_SECONDS, default 20). */
  shutdownGraceMs: number;
  /** The least level logged (LOG_LEVEL, default info). */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const LEVELS: readonly Config['logLevel'][] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** A yes/no setting: unset or empty is undefined (the default applies); anything but the words above is an error. */
const Flag = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === '') return undefined;
    const v = value.trim().toLowerCase();
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: `must be one of ${[...TRUE, ...FALSE].join(', ')} / 应为 ${[...TRUE, ...FALSE].join('、')} 之一` });
    return z.NEVER;
  });

/** A positive number (unset or empty: the default). */
const positive = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const n = Number(value);
      if (Number.isFinite(n) && n > 0) return n;
      ctx.addIssue({ code: 'custom', message: 'must be a positive number / 应为正数' });
      return z.NEVER;
    });

/**
 * An origin as a browser sends it: http(s), a host, perhaps a port, nothing else. Written back as the URL
 * parser writes it (lower case, default port left out), so it compares exactly with a request's Origin.
 */
export function parseOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const bare = url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
  return (url.protocol === 'http:' || url.protocol === 'https:') && bare ? url.origin : null;
}

const EnvSchema = z.object({
  PORT: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return 8787;
      const n = Number(value);
      if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
      ctx.addIssue({ code: 'custom', message: 'must be a port number (0–65535) / 应为端口号（0–65535）' });
      return z.NEVER;
    }),
  HOST: z.string().optional(),
  DATA_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^postgres(ql)?:\/\//u.test(v), { message: 'must be a postgres:// URL / 应为 postgres:// 地址' }),
  VBP_DEMO: Flag,
  VBP_DEMO_ON_NETWORK: Flag,
  WEB_ROOT: z.string().optional(),
  VBP_ADMIN_PASSWORD: z.string().optional(),
  TRUST_PROXY: Flag,
  VBP_PUBLIC_ORIGIN: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const items = (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
      const origins = items.map(parseOrigin);
      if (origins.every((origin): origin is string => origin !== null)) return [...new Set(origins)];
      ctx.addIssue({
        code: 'custom',
        message: 'must be origins such as https://vbp.example.gov.cn (scheme and host, a port if any, no path), separated by commas / 应为来源地址，如 https://vbp.example.gov.cn（协议和主机名，可带端口，不含路径），多个以逗号分隔',
      });
      return z.NEVER;
    }),
  SECURE_COOKIES: Flag,
  MAX_UPLOAD_MB: positive(200),
  SHUTDOWN_GRACE_SECONDS: positive(20),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const v = value?.trim().toLowerCase() || 'info';
      if (LEVELS.includes(v as Config['logLevel'])) return v as Config['logLevel'];
      ctx.addIssue({ code: 'custom', message: `must be one of ${LEVELS.join(', ')} / 应为 ${LEVELS.join('、')} 之一` });
      return z.NEVER;
    }),
});

/** The configuration is refused: what and where, in both languages. */
export class ConfigError extends Error {}

/** Loopback addresses: the server is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/gu, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

export function readConfig(env: NodeJS.ProcessEnv, defaults: { webRoot?: string }): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(env[String(i.path[0])] ?? '')}: ${i.message}`);
    throw new ConfigError(`The configuration is refused / 配置有误:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const databaseUrl = e.DATABASE_URL || undefined;
  const host = e.HOST || '127.0.0.1';
  const loopback = isLoopback(host);
  const demo = e.VBP_DEMO ?? (databaseUrl === undefined && loopback);
  if (demo && !loopback && e.VBP_DEMO_ON_NETWORK !== true) {
    throw new ConfigError(
      `Demo mode (VBP_DEMO) creates accounts whose password is published in the README, a data clerk among them; ` +
        `the server would listen on ${host}, reachable from the network. Listen on 127.0.0.1, turn demo mode off, or confirm with VBP_DEMO_ON_NETWORK=yes.\n` +
        `演示模式（VBP_DEMO）会创建密码已在 README 中公开的账号（含数据录入员）；服务将监听 ${host}，网络上的他人可以访问。` +
        `请改为监听 127.0.0.1、关闭演示模式，或设置 VBP_DEMO_ON_NETWORK=yes 明确确认。`,
    );
  }
  return {
    port: e.PORT,
    host,
    dataDir: e.DATA_DIR || '.data',
    databaseUrl,
    demo,
    demoReason: e.VBP_DEMO === true ? 'asked' : e.VBP_DEMO === false ? 'not asked' : demo ? 'embedded on loopback' : databaseUrl !== undefined ? 'database server' : 'not on loopback',
    // WEB_ROOT='' serves the API alone
    webRoot: e.WEB_ROOT === undefined ? defaults.webRoot : e.WEB_ROOT || undefined,
    adminPassword: e.VBP_ADMIN_PASSWORD || undefined,
    trustProxy: e.TRUST_PROXY ?? false,
    publicOrigins: e.VBP_PUBLIC_ORIGIN,
    secureCookies: e.SECURE_COOKIES ?? false,
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
  };
}
