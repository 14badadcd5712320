/**
 * Read answers cached by data version (decision 007). A read endpoint's answer depends on the data (which
 * moves its version with every committed change: packages/core/src/data-version.ts), on the day (defaults
 * are "today"), on the URL, and on who asks only through their role and region (scope checks depend on
 * nothing else). So:
 * - every answer carries an ETag made of those, and a request whose If-None-Match names it gets 304 without
 *   any work; browsers send it by themselves, since the answers may be stored but must be revalidated;
 * - answers are kept in memory by that same key (least recently used first out, bounded in entries and
 *   bytes), and requests for an answer being computed wait for it instead of computing it again: a morning
 *   of leaders opening the same overview costs one computation per data version.
 * The version is read before the data, so a cached answer is never older than its version says.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { todayInChina } from '@vbp/contracts/dates';
import { readDataVersion } from '@vbp/core/data-version';
import type { AppEnv } from './env';

/** Answers shorter than this go out as they are (as the compress middleware does). */
const GZIP_FROM_BYTES = 1024;

interface Entry {
  body: string;
  bytes: number;
  /** The body gzipped, made on the first request that accepts it and kept: many readers, one compression. */
  gzip?: Buffer;
}

/** A cached answer: its JSON, and (when asked for) the same gzipped. */
export interface CachedAnswer {
  body: string;
  gzip(): Buffer;
}

export class ReadCache {
  readonly #entries = new Map<string, Entry>();
  readonly #computing = new Map<string, Promise<string>>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries = 1000,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  async get(key: string, compute: () => Promise<unknown>): Promise<string> {
    return (await this.answer(key, compute)).body;
  }

  /** The answer for `key`, computed once however many ask at the same time. */
  async answer(key: string, compute: () => Promise<unknown>): Promise<CachedAnswer> {
    const found = this.#entries.get(key);
    if (found) {
      // most recently used last
      this.#entries.delete(key);
      this.#entries.set(key, found);
      this.hits++;
      return this.#answer(found);
    }
    let running = this.#computing.get(key);
    if (running) this.hits++;
    else {
      this.misses++;
      running = compute().then((value) => JSON.stringify(value));
      this.#computing.set(key, running);
      running.then(
        (body) => {
          this.#computing.delete(key);
          this.#put(key, body);
        },
        () => this.#computing.delete(key),
      );
    }
    const body = await running;
    return this.#answer(this.#entries.get(key) ?? { body, bytes: body.length * 2 });
  }

  #answer(entry: Entry): CachedAnswer {
    return {
      body: entry.body,
      gzip: () => {
        entry.gzip ??= gzipSync(entry.body);
        return entry.gzip;
      },
    };
  }

  #put(key: string, body: string) {
    const bytes = body.length * 2;
    if (bytes > this.maxBytes / 4) return;
    this.#entries.set(key, { body, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }
}

/**
 * Answers a read from the cache (or computes it), with its ETag; 304 when the client has it already. Call it
 * after the route's permission check; scope checks inside `compute` are keyed by the asker's role and region.
 */
export async function cachedRead(c: Context<AppEnv>, compute: () => Promise<unknown>): Promise<Response> {
  const version = await readDataVersion(c.get('db'));
  const actor = c.get('actor');
  const url = new URL(c.req.url);
  const query = [...url.searchParams.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  const key = [version, todayInChina(), actor?.role ?? '-', actor?.regionCode ?? '-', url.pathname, new URLSearchParams(query).toString()].join('|');
  // weak: the same answer goes out gzipped or not
  const etag = `W/"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
  const headers = { etag, 'cache-control': 'private, no-cache', vary: 'Cookie, Accept-Encoding' };
  const asked = c.req.header('if-none-match');
  if (asked && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag.slice(2))) return c.body(null, 304, headers);
  const answer = await c.get('readCache').answer(key, compute);
  const json = { ...headers, 'content-type': 'application/json; charset=UTF-8' };
  // compressed once per answer, not once per request (the compress middleware leaves an encoded body alone)
  if (answer.body.length >= GZIP_FROM_BYTES && /\bgzip\b/.test(c.req.header('accept-encoding') ?? ''))
    return c.body(new Uint8Array(answer.gzip()), 200, { ...json, 'content-encoding': 'gzip' });
  return c.body(answer.body, 200, json);
}
