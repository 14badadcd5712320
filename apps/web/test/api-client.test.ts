import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelay } from '../src/app/query-client';
import { errorText } from '../src/components/ui/error-notice';
import { getHealth } from '../src/features/auth/api/get-health';
import { ApiRequestError, apiGet, apiSend, buildUrl, configureApiSession, isApiError, parseApiError, parseRetryAfter } from '../src/lib/api';
import { parseDateParam, parseRegionParam } from '../src/lib/view-params';

afterEach(() => {
  vi.unstubAllGlobals();
  configureApiSession({ csrfToken: () => null });
});

function respond(status: number, body: string, headers: Record<string, string> = {}) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } })));
}

describe('buildUrl', () => {
  it('drops empty parameters', () => {
    expect(buildUrl('/api/overview', { region: '320000', date: null, q: '', page: undefined })).toBe('/api/overview?region=320000');
    expect(buildUrl('/api/regions')).toBe('/api/regions');
    expect(buildUrl('/api/batches', { q: '4+7', page: 2 })).toBe('/api/batches?q=4%2B7&page=2');
  });
});

describe('parseApiError', () => {
  it('reads the API error shape', () => {
    expect(parseApiError({ error: { code: 'NOT_FOUND', message: 'no such region', messageZh: '地区不存在', requestId: 'r1' } })).toEqual({
      code: 'NOT_FOUND',
      message: 'no such region',
      messageZh: '地区不存在',
      requestId: 'r1',
    });
  });
  it('is null for anything else', () => {
    expect(parseApiError('<html>')).toBeNull();
    expect(parseApiError({ error: 'x' })).toBeNull();
    expect(parseApiError(null)).toBeNull();
  });
});

describe('apiGet', () => {
  it('returns the parsed body', async () => {
    respond(200, JSON.stringify({ ok: true, db: 'pglite' }));
    await expect(apiGet('/api/health')).resolves.toEqual({ ok: true, db: 'pglite' });
  });

  it('throws a typed error with the API message, code, request id and issues', async () => {
    respond(
      400,
      JSON.stringify({
        error: { code: 'VALIDATION_FAILED', message: 'invalid query', messageZh: '查询参数无效', requestId: 'req-42', issues: [{ path: 'region', message: 'expected 6 digits' }] },
      }),
    );
    const err = await apiGet('/api/overview', { region: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    const e = err as ApiRequestError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe('invalid query');
    expect(e.messageZh).toBe('查询参数无效');
    expect(e.requestId).toBe('req-42');
    expect(e.issues).toEqual([{ path: 'region', message: 'expected 6 digits', value: undefined }]);
  });

  it('turns a non-JSON failure into HTTP_<status> with the request id header', async () => {
    respond(502, '<html>Bad gateway</html>', { 'x-request-id': 'hdr-1' });
    const e = (await apiGet('/api/overview').catch((x: unknown) => x)) as ApiRequestError;
    expect(e.code).toBe('HTTP_502');
    expect(e.status).toBe(502);
    expect(e.requestId).toBe('hdr-1');
    expect(e.messageZh).toContain('502');
  });

  it('turns a network failure into NETWORK_ERROR', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    const e = (await apiGet('/api/overview').catch((x: unknown) => x)) as ApiRequestError;
    expect(e).toBeInstanceOf(ApiRequestError);
    expect(e.code).toBe('NETWORK_ERROR');
    expect(e.status).toBe(0);
    expect(e.requestId).toBeNull();
  });

  it('refuses a successful response that is not JSON', async () => {
    respond(200, 'not json');
    const e = (await apiGet('/api/overview').catch((x: unknown) => x)) as ApiRequestError;
    expect(e.code).toBe('INVALID_RESPONSE');
  });
});

describe('apiSend', () => {
  it('sends JSON with the session’s CSRF token, same-origin credentials, and reads 204 as no body', async () => {
    configureApiSession({ csrfToken: () => 'csrf-1' });
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(apiSend('POST', '/api/auth/password', { currentPassword: 'a', newPassword: 'b' })).resolves.toBeUndefined();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/password');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe(JSON.stringify({ currentPassword: 'a', newPassword: 'b' }));
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('does not send the token with GET requests', async () => {
    configureApiSession({ csrfToken: () => 'csrf-1' });
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await apiGet('/api/regions');
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('fetches a fresh token and retries once after CSRF_REJECTED', async () => {
    let token = 'stale';
    const refresh = vi.fn(async () => (token = 'fresh'));
    configureApiSession({ csrfToken: () => token, refreshCsrfToken: refresh });
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const sent = (init.headers as Record<string, string>)['x-csrf-token'] ?? '';
        seen.push(sent);
        return sent === 'fresh'
          ? new Response(JSON.stringify({ id: 1 }), { status: 201 })
          : new Response(JSON.stringify({ error: { code: 'CSRF_REJECTED', message: 'no', messageZh: '拒绝', requestId: 'r' } }), { status: 403 });
      }),
    );
    await expect(apiSend('DELETE', '/api/targets/1')).resolves.toEqual({ id: 1 });
    expect(seen).toEqual(['stale', 'fresh']);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('gives up after one retry', async () => {
    configureApiSession({ csrfToken: () => 'x', refreshCsrfToken: async () => 'x' });
    respond(403, JSON.stringify({ error: { code: 'CSRF_REJECTED', message: 'no', messageZh: '拒绝', requestId: 'r' } }));
    const e = await apiSend('POST', '/api/targets', {}).catch((x: unknown) => x);
    expect(isApiError(e, 'CSRF_REJECTED')).toBe(true);
  });

  it('keeps the lockout’s Retry-After', async () => {
    respond(429, JSON.stringify({ error: { code: 'TOO_MANY_ATTEMPTS', message: 'later', messageZh: '请 15 分钟后再试', requestId: 'r' } }), { 'retry-after': '900' });
    const e = (await apiSend('POST', '/api/auth/login', { username: 'a', password: 'b' }).catch((x: unknown) => x)) as ApiRequestError;
    expect(e.is('TOO_MANY_ATTEMPTS')).toBe(true);
    expect(e.status).toBe(429);
    expect(e.retryAfterSeconds).toBe(900);
    expect(e.messageZh).toBe('请 15 分钟后再试');
  });
});

describe('upload errors and an unreachable database', () => {
  const body = (code: string, message: string, messageZh: string) => JSON.stringify({ error: { code, message, messageZh, requestId: 'r-9' } });

  it('a stale check, a full disk and an unavailable server are known codes, said in the reader’s language', async () => {
    const cases = [
      { status: 409, code: 'UPLOAD_STALE', zh: '请重新校验后再提交。', headers: {} },
      { status: 507, code: 'INSUFFICIENT_STORAGE', zh: '磁盘空间不足，未写入任何数据。', headers: {} },
      { status: 503, code: 'UNAVAILABLE', zh: '暂时无法连接数据库，请稍后重试', headers: { 'retry-after': '5' } },
    ] as const;
    for (const c of cases) {
      respond(c.status, body(c.code, `${c.code} in English`, c.zh), c.headers);
      const e = (await apiSend('POST', '/api/uploads/7/commit', { acknowledgeWarnings: false }).catch((x: unknown) => x)) as ApiRequestError;
      expect(isApiError(e, c.code)).toBe(true);
      expect(e.status).toBe(c.status);
      expect(errorText(e, 'zh')).toBe(c.zh);
      expect(errorText(e, 'en')).toBe(`${c.code} in English`);
    }
  });

  it('health answering 503 rejects (no `ok: false` data to misread), without crashing', async () => {
    respond(503, JSON.stringify({ ok: false, db: 'unreachable', demo: true }), { 'retry-after': '5' });
    const e = (await getHealth().catch((x: unknown) => x)) as ApiRequestError;
    expect(e).toBeInstanceOf(ApiRequestError);
    expect(e.status).toBe(503);
    expect(e.code).toBe('HTTP_503');
    expect(e.retryAfterSeconds).toBe(5);
  });

  it('queries wait as long as a 503 asks before trying again (at most 10 s), else double from a second', () => {
    const unavailable = (seconds: number | null) =>
      new ApiRequestError({ status: 503, code: 'UNAVAILABLE', message: 'x', messageZh: 'x', requestId: null, retryAfterSeconds: seconds });
    expect(retryDelay(0, unavailable(5))).toBe(5000);
    expect(retryDelay(1, unavailable(120))).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelay(0, unavailable(null))).toBe(1000);
    expect(retryDelay(1, new Error('network'))).toBe(2000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(120);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('view parameters', () => {
  it('accepts 6-digit region codes only', () => {
    expect(parseRegionParam('320000')).toBe('320000');
    expect(parseRegionParam('32000')).toBeNull();
    expect(parseRegionParam('abc')).toBeNull();
    expect(parseRegionParam(null)).toBeNull();
  });
  it('accepts calendar dates only', () => {
    expect(parseDateParam('2024-06-30')).toBe('2024-06-30');
    expect(parseDateParam('2024-02-30')).toBeNull();
    expect(parseDateParam('today')).toBeNull();
    expect(parseDateParam(undefined)).toBeNull();
  });
});
