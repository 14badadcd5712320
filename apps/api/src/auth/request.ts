import type { Context } from 'hono';
import type { AppEnv } from '../env';

export const SESSION_COOKIE = 'vbp_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestSettings {
  /** Take the client address and scheme from X-Forwarded-For / X-Forwarded-Proto (behind a reverse proxy). */
  trustProxy: boolean;
  /** Always mark cookies Secure (otherwise: when the request came over HTTPS). */
  secureCookies: boolean;
}

/** The client's address: the socket's, or the first X-Forwarded-For hop when a proxy is trusted. */
export function clientIp(c: Context<AppEnv>, settings: RequestSettings): string | null {
  if (settings.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

/** The request came over HTTPS: to us, or to a trusted proxy that says so (X-Forwarded-Proto). */
export function arrivedOverHttps(c: Context<AppEnv>, settings: Pick<RequestSettings, 'trustProxy'>): boolean {
  if (settings.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

/** Cookies are marked Secure: always with SECURE_COOKIES, otherwise when the request came over HTTPS. */
export function isHttps(c: Context<AppEnv>, settings: RequestSettings): boolean {
  return settings.secureCookies || arrivedOverHttps(c, settings);
}
