import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '@vbp/contracts/auth';
import { ACTIONS, decide, POLICIES } from '@vbp/contracts/policy';
import { can, ROLES } from '@vbp/contracts/roles';
import { ApiRequestError } from '../src/lib/api';
import { ME_QUERY_KEY, meQueryOptions, replaceSession } from '../src/lib/auth/me';
import { isNationalUser, mayAct, mayReadRegion, pickReadableRegion, readableRegions } from '../src/lib/auth/permissions';
import { loginPath, safeNextPath } from '../src/lib/auth/redirect';
import { handleSessionError } from '../src/lib/auth/session-errors';

const jiangsuOffice = { role: 'office', regionCode: '320000' } as const;
const jiangsuClerk = { role: 'clerk', regionCode: '320000' } as const;
const nationalLeader = { role: 'leader', regionCode: '100000' } as const;
const admin = { role: 'admin', regionCode: '100000' } as const;
const jiangsuAdmin = { role: 'admin', regionCode: '320000' } as const;

describe('permissions', () => {
  it('follows the contracts’ policy for every role and action (the table the API asks)', () => {
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        expect(mayAct({ role, regionCode: '100000' }, action)).toBe(can(role, POLICIES[action].permission));
        for (const region of ['320000', '110000', '100000', null]) {
          const user = { role, regionCode: '320000' };
          expect(mayAct(user, action, region)).toBe(decide(user, action, { regionCode: region }) === 'allowed');
        }
      }
    }
  });

  it('keeps national uploads to national clerks', () => {
    expect(mayAct(jiangsuClerk, 'commit:upload', '100000')).toBe(false);
    expect(mayAct(jiangsuClerk, 'reprocess:upload', null)).toBe(false);
    expect(mayAct(jiangsuClerk, 'commit:upload', '320000')).toBe(true);
    expect(mayAct({ role: 'clerk', regionCode: '100000' }, 'commit:upload', '320000')).toBe(true);
  });

  it('lets a provincial user read their province and 全国 only; national users read everything', () => {
    expect(mayReadRegion(jiangsuOffice, '320000')).toBe(true);
    expect(mayReadRegion(jiangsuOffice, '100000')).toBe(true);
    expect(mayReadRegion(jiangsuOffice, '110000')).toBe(false);
    expect(mayReadRegion(nationalLeader, '110000')).toBe(true);
    expect(isNationalUser(nationalLeader)).toBe(true);
    expect(isNationalUser(jiangsuOffice)).toBe(false);
  });

  it('lets a provincial office write targets for its own province only, not for 全国 or another province', () => {
    expect(mayAct(jiangsuOffice, 'write:target', '320000')).toBe(true);
    expect(mayAct(jiangsuOffice, 'write:target', '110000')).toBe(false);
    expect(mayAct(jiangsuOffice, 'write:target', '100000')).toBe(false);
    expect(mayAct(jiangsuOffice, 'write:target')).toBe(true);
  });

  it('gives national users with the permission every region, and nobody a permission their role lacks', () => {
    expect(mayAct(admin, 'write:target', '110000')).toBe(true);
    expect(mayAct(admin, 'write:target', '100000')).toBe(true);
    expect(mayAct(nationalLeader, 'write:target', '320000')).toBe(false);
    expect(mayAct(jiangsuClerk, 'write:target', '320000')).toBe(false);
    expect(mayAct(jiangsuClerk, 'manage:user')).toBe(false);
    expect(mayAct(jiangsuAdmin, 'manage:user', '320000')).toBe(true);
    expect(mayAct(jiangsuAdmin, 'manage:user', '110000')).toBe(false);
  });

  it('offers a provincial user 全国 and their province in the region selector', () => {
    const regions = [{ code: '100000' }, { code: '110000' }, { code: '320000' }, { code: '650000' }];
    expect(readableRegions(jiangsuOffice, regions).map((r) => r.code)).toEqual(['100000', '320000']);
    expect(readableRegions(nationalLeader, regions)).toHaveLength(4);
  });

  it('picks the first readable candidate, else the user’s own region', () => {
    expect(pickReadableRegion(jiangsuOffice, '110000', null)).toBe('320000');
    expect(pickReadableRegion(jiangsuOffice, '100000')).toBe('100000');
    expect(pickReadableRegion(jiangsuOffice)).toBe('320000');
    expect(pickReadableRegion(nationalLeader, '110000')).toBe('110000');
    expect(pickReadableRegion(nationalLeader, undefined)).toBe('100000');
  });
});

describe('sign-in redirects', () => {
  it('accepts same-origin paths only', () => {
    expect(safeNextPath('/admin/users?role=office')).toBe('/admin/users?role=office');
    expect(safeNextPath('/?region=320000#targets')).toBe('/?region=320000#targets');
    expect(safeNextPath('https://evil.example/')).toBeNull();
    expect(safeNextPath('//evil.example/')).toBeNull();
    expect(safeNextPath('/\\evil.example')).toBeNull();
    expect(safeNextPath('javascript:alert(1)')).toBeNull();
    expect(safeNextPath('/login?next=/x')).toBeNull();
    expect(safeNextPath('')).toBeNull();
    expect(safeNextPath(null)).toBeNull();
  });

  it('remembers where the user was', () => {
    expect(loginPath({ pathname: '/admin/audit', search: '?actor=admin' })).toBe('/login?next=%2Fadmin%2Faudit%3Factor%3Dadmin');
    expect(loginPath({ pathname: '/', search: '' })).toBe('/login');
    expect(loginPath({ pathname: '/', search: '?region=320000' })).toBe('/login?next=%2F%3Fregion%3D320000');
  });
});

const me: Me = {
  user: { id: 1, username: 'jiangsu-office', displayName: '江苏', role: 'office', regionCode: '320000', permissions: ['read:targets'], mustChangePassword: false },
  csrfToken: 'tok',
  expiresAt: '2026-01-01T00:00:00Z',
  demo: true,
  limits: { maxUploadBytes: 200 * 1024 * 1024 },
};

const apiError = (status: number, code: string) => new ApiRequestError({ status, code, message: code, messageZh: code, requestId: null });

describe('session errors', () => {
  it('a 401 from any query ends the cached session', () => {
    const client = new QueryClient();
    client.setQueryData(ME_QUERY_KEY, me);
    handleSessionError(client, apiError(401, 'UNAUTHENTICATED'));
    expect(client.getQueryData(ME_QUERY_KEY)).toBeNull();
  });

  it('a refused sign-in or a wrong current password is not a lost session', () => {
    const client = new QueryClient();
    client.setQueryData(ME_QUERY_KEY, me);
    handleSessionError(client, apiError(401, 'INVALID_CREDENTIALS'));
    handleSessionError(client, apiError(403, 'FORBIDDEN'));
    handleSessionError(client, new Error('boom'));
    expect(client.getQueryData(ME_QUERY_KEY)).toEqual(me);
  });

  it('PASSWORD_CHANGE_REQUIRED reads the session again', () => {
    const client = new QueryClient();
    client.setQueryData(ME_QUERY_KEY, me);
    handleSessionError(client, apiError(403, 'PASSWORD_CHANGE_REQUIRED'));
    expect(client.getQueryState(ME_QUERY_KEY)?.isInvalidated).toBe(true);
  });

  it('a new session starts with an empty cache', () => {
    const client = new QueryClient();
    client.setQueryData(['overview', '320000', 'today'], { secret: 1 });
    client.setQueryData(['health'], { ok: true });
    replaceSession(client, null);
    expect(client.getQueryData(['overview', '320000', 'today'])).toBeUndefined();
    expect(client.getQueryData(['health'])).toEqual({ ok: true });
    expect(client.getQueryData(ME_QUERY_KEY)).toBeNull();
  });
});

describe('the session query', () => {
  afterEach(() => vi.unstubAllGlobals());
  const answer = (status: number, body: unknown) => vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })));

  it('is null when nobody is signed in', async () => {
    answer(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in first', messageZh: '请先登录', requestId: 'r' } });
    const client = new QueryClient();
    await expect(client.fetchQuery(meQueryOptions())).resolves.toBeNull();
  });

  it('drops what was loaded for another user when someone else signed in meanwhile', async () => {
    const client = new QueryClient();
    client.setQueryData(ME_QUERY_KEY, me);
    client.setQueryData(['overview', '110000', 'today'], { secret: 1 });
    answer(200, { ...me, user: { ...me.user, id: 2, username: 'other' } });
    await client.fetchQuery({ ...meQueryOptions(), staleTime: 0 });
    expect(client.getQueryData(['overview', '110000', 'today'])).toBeUndefined();
    expect(client.getQueryData<Me>(ME_QUERY_KEY)?.user.id).toBe(2);
  });

  it('keeps it for the same user', async () => {
    const client = new QueryClient();
    client.setQueryData(ME_QUERY_KEY, me);
    client.setQueryData(['overview', '320000', 'today'], { mine: 1 });
    answer(200, me);
    await client.fetchQuery({ ...meQueryOptions(), staleTime: 0 });
    expect(client.getQueryData(['overview', '320000', 'today'])).toEqual({ mine: 1 });
  });
});
