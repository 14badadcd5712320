/**
 * Read answers carry an ETag from the data versions they depend on and are cached by it: 304 when the client
 * has the answer, a new tag after a committed change to what it shows, never another scope's answer from the
 * cache, one computation for requests arriving together. On both engines, through the real app (what a write
 * leaves cached: read-invalidation.test.ts).
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadCache } from '../src/read-cache';
import { createRegion, createTarget } from '@vbp/db/factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

describe('ReadCache', () => {
  it('computes once for requests that arrive together, and evicts the least recently used', async () => {
    const cache = new ReadCache(2);
    let computed = 0;
    const slow = () => new Promise((resolve) => setTimeout(() => resolve({ n: ++computed }), 20));
    const answers = await Promise.all([cache.get('a', slow), cache.get('a', slow), cache.get('a', slow)]);
    expect(answers).toEqual(['{"n":1}', '{"n":1}', '{"n":1}']);
    expect(computed).toBe(1);
    await cache.get('b', slow);
    await cache.get('a', slow); // a used again: b is now the oldest
    await cache.get('c', slow);
    expect(await cache.get('a', slow)).toBe('{"n":1}');
    expect(await cache.get('b', slow)).toBe('{"n":4}');
    // a failure is not kept
    await expect(cache.get('d', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.get('d', slow)).toBe('{"n":5}');
  });
});

describe.each(TEST_ENGINES)('read answers by data version on %s', (engine) => {
  let t: TestApp;
  let office: Client;
  let otherOffice: Client;
  beforeAll(async () => {
    t = await openTestApp(engine);
    await createRegion(t.database.db, { code: '320000', nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(t.database.db, { code: '110000', nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    office = await signIn(t.app, await createTestUser(t.database.db, 'office', '320000'));
    otherOffice = await signIn(t.app, await createTestUser(t.database.db, 'office', '110000'));
  });
  afterAll(() => t?.database.close());

  const get = (client: Client, path: string, etag?: string) =>
    t.app.request(path, { headers: { cookie: client.cookie!, ...(etag ? { 'if-none-match': etag } : {}) } });

  it('answers 304 to a client that has the answer, and a new tag once the data changed', async () => {
    const path = '/api/targets?region=320000&date=2025-06-30';
    const first = await get(office, path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await get(office, path, etag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    // an office adds a target through the API: the data version moves
    const created = await office.send('POST', '/api/targets', { regionCode: '320000', productType: 'drug', unit: 'variety', count: 550, dueOn: '2025-12-31', setOn: '2025-01-01' });
    expect(created.status).toBe(201);
    const after = await get(office, path, etag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('sends a cached answer gzipped to a client that accepts it, the same answer', async () => {
    const path = '/api/regions';
    const plain = await t.app.request(path, { headers: { cookie: office.cookie! } });
    const zipped = await t.app.request(path, { headers: { cookie: office.cookie!, 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('etag')).toBe(plain.headers.get('etag'));
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')).toBe(await plain.text());
  });

  it('never serves one scope’s answer to another', async () => {
    const path = '/api/execution/summary?region=320000&date=2024-12-31';
    const own = await get(office, path);
    expect(own.status).toBe(200);
    // the same URL for an office of another province: refused, not served from the cache
    const other = await get(otherOffice, path);
    expect(other.status).toBe(403);
    const tagged = await get(otherOffice, path, own.headers.get('etag')!);
    expect(tagged.status).toBe(403);
  });

  it('answers from the cache until the data version moves', async () => {
    // written behind the API's back (a factory): the version does not move, and the cached answer stays
    await createTarget(t.database.db, { regionCode: '110000', count: 100, dueOn: '2025-12-31', setOn: '2025-01-01' });
    const path = '/api/targets?region=110000&date=2025-06-30';
    const before = await get(otherOffice, path);
    await createTarget(t.database.db, { regionCode: '110000', count: 200, dueOn: '2026-12-31', setOn: '2025-01-01' });
    const cached = await get(otherOffice, path);
    expect(await cached.text()).toBe(await before.text());
  });
});
