import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { ChangePasswordInput, LoginInput, Me } from '@vbp/contracts/auth';
import { ROLE_PERMISSIONS } from '@vbp/contracts/roles';
import { writeAudit } from '@vbp/core/audit';
import { findSession, revokeSession, type ActiveSession } from '@vbp/core/auth/sessions';
import { signIn } from '@vbp/core/auth/sign-in';
import { changeOwnPassword } from '@vbp/core/users';
import { DomainError } from '@vbp/core/errors';
import { actorOf } from '../auth/middleware';
import { clientIp, isHttps, SESSION_COOKIE, type RequestSettings } from '../auth/request';
import type { AppEnv } from '../env';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';

const TooMany = { 429: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string(), messageZh: z.string(), requestId: z.string() }) }), 'Too many failed attempts / 尝试次数过多') };

const login = secureRoute('public', {
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in / 登录',
  description:
    'Sets an httpOnly session cookie. Wrong credentials and disabled accounts get the same 401; 5 failures for a username (or 30 from an address) within 15 minutes lock it for 15 minutes, whether or not the user exists.',
  request: jsonBody(LoginInput),
  responses: { 200: jsonContent(Me, 'Signed in'), 401: jsonContent(z.any(), 'Wrong username or password / 用户名或密码错误'), ...TooMany, ...errorResponses },
});

const logout = secureRoute('authenticated', {
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out / 退出登录',
  responses: { 204: { description: 'The session is revoked and the cookie cleared' } },
});

const me = secureRoute('authenticated', {
  method: 'get',
  path: '/auth/me',
  tags: ['auth'],
  summary: 'The signed-in user, their permissions and the CSRF token / 当前用户',
  responses: { 200: jsonContent(Me, 'The session') },
});

const password = secureRoute('authenticated', {
  method: 'post',
  path: '/auth/password',
  tags: ['auth'],
  summary: 'Change your own password / 修改密码',
  description: 'Other sessions of the user are revoked; this one stays.',
  request: jsonBody(ChangePasswordInput),
  responses: { 204: { description: 'Changed' }, ...errorResponses },
});

function meBody(c: Context<AppEnv>, session: ActiveSession): Me {
  return {
    user: { ...session.user, permissions: [...ROLE_PERMISSIONS[session.user.role]] },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
    demo: c.get('demo'),
    limits: { maxUploadBytes: c.get('maxUploadBytes') },
  };
}

export function authRoutes(settings: RequestSettings) {
  return createRouter()
    .openapi(login, async (c) => {
      const input = c.req.valid('json');
      const db = c.get('db');
      const opened = await signIn(db, {
        username: input.username,
        password: input.password,
        ip: clientIp(c, settings),
        userAgent: c.req.header('user-agent') ?? null,
        requestId: c.get('requestId') ?? null,
      });
      setCookie(c, SESSION_COOKIE, opened.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c, settings),
        path: '/',
        expires: opened.expiresAt,
      });
      const session = await findSession(db, opened.token);
      if (!session) throw new DomainError('UNAUTHENTICATED', 'The session could not be opened', '会话创建失败');
      return c.json(meBody(c, session), 200);
    })
    .openapi(logout, async (c) => {
      const session = c.get('session');
      if (session) {
        await revokeSession(c.get('db'), session.tokenHash);
        await writeAudit(c.get('db'), actorOf(c), { action: 'sign_out', entity: 'session', entityId: session.user.id, regionCode: session.user.regionCode });
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .openapi(me, async (c) => {
      const session = c.get('session');
      if (!session) throw new DomainError('UNAUTHENTICATED', 'Sign in first', '请先登录');
      return c.json(meBody(c, session), 200);
    })
    .openapi(password, async (c) => {
      const session = c.get('session');
      if (!session) throw new DomainError('UNAUTHENTICATED', 'Sign in first', '请先登录');
      await changeOwnPassword(c.get('db'), actorOf(c), { ...c.req.valid('json'), currentSession: session.tokenHash });
      return c.body(null, 204);
    });
}
