/**
 * Authentication and authorisation in one place.
 * - `identify` reads the session cookie on every /api request and sets `actor`.
 * - `guard` denies by default: every /api route needs a session except the few public ones; every
 *   state-changing request must come from one of our origins (origins.ts) and carry the session's CSRF
 *   token; a user who must change their password may do only that.
 * - `authorize(access)` is attached to each route by `secureRoute` (router.ts), so every route declares the
 *   policy action (or read permission) it needs; province scope is checked by the domain verbs against the
 *   data, through the same policy.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { isAction, POLICIES, type Action } from '@vbp/contracts/policy';
import { can, type Permission } from '@vbp/contracts/roles';
import { assertMay } from '@vbp/core/auth/actor';
import { findSession } from '@vbp/core/auth/sessions';
import { DomainError } from '@vbp/core/errors';
import type { AppEnv } from '../env';
import type { ServedNames } from './origins';
import { clientIp, CSRF_HEADER, SESSION_COOKIE, type RequestSettings } from './request';

/** Routes anyone may call: `METHOD path`. Everything else under /api needs a session. */
const PUBLIC = new Set(['GET /api/health', 'GET /api/openapi.json', 'POST /api/auth/login']);
const PUBLIC_PREFIXES = ['/api/docs'];
/** What a user who must change their password may still do. */
const WHILE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/password']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isPublic(method: string, path: string): boolean {
  return PUBLIC.has(`${method} ${path}`) || (method === 'GET' && PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)));
}

export function identify(settings: RequestSettings): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // health answers for itself, also while the database is away, so a browser's cookie is not looked up
    if (c.req.path === '/api/health') {
      c.set('session', null);
      c.set('actor', null);
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    let session = token ? await findSession(c.get('db'), token) : null;
    // a read served from a snapshot (a long write under way) does not know sessions begun since: ask the
    // database itself, which answers when the write is done
    const main = c.get('database').db;
    if (token && !session && c.get('db') !== main) session = await findSession(main, token);
    c.set('session', session);
    c.set(
      'actor',
      session
        ? {
            userId: session.user.id,
            username: session.user.username,
            role: session.user.role,
            regionCode: session.user.regionCode,
            ip: clientIp(c, settings),
            requestId: c.get('requestId') ?? null,
          }
        : null,
    );
    await next();
  };
}

/**
 * The request comes from a page of one of our origins (scheme, host and port: origins.ts), or says nothing,
 * as non-browser clients do. Never compared with the request's own Host, which a rebinding page chooses.
 */
function fromOurOrigin(c: Context<AppEnv>, names: ServedNames): boolean {
  const origin = c.req.header('origin') ?? c.req.header('referer');
  return !origin || names.allowsOrigin(origin);
}

/** The CSRF token as sent against the session's, in time that does not depend on where they differ. */
function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

const csrfRejected = (why: string, whyZh: string) => new DomainError('CSRF_REJECTED', `Request refused: ${why}`, `请求被拒绝：${whyZh}`);

export function guard(names: ServedNames): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    const unsafe = !SAFE_METHODS.has(method);
    if (unsafe && !fromOurOrigin(c, names)) throw csrfRejected('cross-origin request', '跨站请求');
    if (isPublic(method, path)) {
      // the sign-in form must post JSON: a cross-site form cannot, without a CORS preflight we never allow
      if (unsafe && !c.req.header('content-type')?.toLowerCase().startsWith('application/json'))
        throw new DomainError('INVALID_INPUT', 'Send JSON (Content-Type: application/json)', '请以 JSON 格式提交（Content-Type: application/json）');
      return next();
    }
    const session = c.get('session');
    if (!session) throw new DomainError('UNAUTHENTICATED', 'Sign in first', '请先登录');
    if (unsafe && !csrfMatches(c.req.header(CSRF_HEADER), session.csrfToken)) throw csrfRejected(`missing or wrong ${CSRF_HEADER} header`, `缺少或错误的 ${CSRF_HEADER} 请求头`);
    if (session.user.mustChangePassword && !WHILE_PASSWORD_CHANGE.has(`${method} ${path}`))
      throw new DomainError('PASSWORD_CHANGE_REQUIRED', 'Change your password first', '请先修改密码');
    return next();
  };
}

/**
 * What a route needs: a policy action (@vbp/contracts/policy: its role is asked here, before the handler; the
 * data's province by the domain verb, through the same policy), a permission of the role table for reads of
 * published figures, 'authenticated' (any signed-in user) or 'public' (anyone).
 */
export type RoutePermission = Action | Permission | 'authenticated' | 'public';

/** The permission a route's role check comes down to (published as `x-permission`). */
export function permissionOf(access: RoutePermission): Permission | 'authenticated' | 'public' {
  return isAction(access) ? POLICIES[access].permission : access;
}

export function authorize(access: RoutePermission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === 'public') return next();
    const actor = c.get('actor');
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'Sign in first', '请先登录');
    if (isAction(access)) assertMay(actor, access);
    else if (access !== 'authenticated' && !can(actor.role, access))
      throw new DomainError('FORBIDDEN', `Your role (${actor.role}) may not ${access}`, `您的角色无权执行此操作（${access}）`, { permission: access });
    return next();
  };
}

/** The signed-in actor of a route guarded by `authorize` (never null there). */
export function actorOf(c: Context<AppEnv>) {
  const actor = c.get('actor');
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'Sign in first', '请先登录');
  return actor;
}
