import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, apiGet, buildUrl, parseApiError } from '../src/lib/api';
import { parseDateParam, parseRegionParam } from '../src/lib/view-params';

afterEach(() => {
  vi.unstubAllGlobals();
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
