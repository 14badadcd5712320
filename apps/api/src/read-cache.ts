/**
 * Read answers cached by the versions of what they read (decisions 007 and 016). A read endpoint's answer
 * depends on the data it reads (areas of it, in its region: each area's version moves with every committed
 * change there, packages/core/src/data-version.ts), on the day (defaults are "today"), on the validated
 * request (defaults applied), and, for a few reads that filter by the asker inside, on who asks (role and
 * region). So:
 * - every answer carries an ETag made of those, and a request whose If-None-Match names it gets 304 without
 *   any work; browsers send it by themselves, since the answers may be stored but must be revalidated;
 * - answers are kept in memory by that same key (least recently used first out, bounded in entries and
 *   bytes), and requests for an answer being computed wait for it instead of computing it again: a morning
 *   of leaders opening the same overview costs one computation per change to what it shows;
 * - the key comes from one function (`readKey`) that the routes and the answers prepared after a commit
 *   (warm-reads.ts) both use, so a prepared answer is found by the first request that asks for it.
 * The versions are read before the data, so a cached answer is never older than its versions say.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { todayInChina } from '@vbp/contracts/dates';
import { dependencies, EVERY_REGION, readDataVersions, type DataArea } from '@vbp/core/data-version';
import type { Db } from '@vbp/db';
import type { AppEnv } from './env';

export { EVERY_REGION };

/**
 * One read, as the cache knows it: what identifies the answer and what it is computed from. Built by the
 * route from its validated request (and by warm-reads.ts the same way), never from the URL's text: two URLs
 * that validate to the same request are one answer.
 */
export interface ReadSpec<T = unknown> {
  /** The endpoint as declared (`/execution/institutions/{id}`); path parameters go in `request`. */
  path: string;
  /** The validated request: path parameters and query, defaults applied. */
  request: Readonly<Record<string, unknown>>;
  /** The areas of the data the answer is computed from: a missed one serves a stale answer. */
  areas: readonly DataArea[];
  /** The region it reads: a province (its data and the nation's), 100000 (every province summed) or EVERY_REGION. */
  region: string;
  /** Areas read across every region whatever `region` says (a batch's volumes in every province, say). */
  everywhere?: readonly DataArea[];
  /** Who asks, when the answer depends on it (a scope applied inside the computation); else left out, shared. */
  viewer?: { role: string; regionCode: string } | null;
  compute(db: Db): Promise<T>;
}

/** JSON with object keys sorted and undefined left out: the same request gives the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** The (area, region) versions a read depends on. */
export function dependenciesOf(spec: Pick<ReadSpec, 'areas' | 'region' | 'everywhere'>): [DataArea, string][] {
  return spec.areas.flatMap((area) => dependencies([area], spec.everywhere?.includes(area) ? EVERY_REGION : spec.region));
}

/**
 * The cache key (and ETag source) of a read: the versions it depends on, read now, the day, the endpoint,
 * the validated request and, when it matters, the asker. One statement to the database.
 */
export async function readKey(db: Db, spec: ReadSpec, day = todayInChina()): Promise<string> {
  const pairs = dependenciesOf(spec);
  const versions = await readDataVersions(db, pairs);
  const viewer = spec.viewer ? `${spec.viewer.role}@${spec.viewer.regionCode}` : '-';
  return [pairs.map(([area, region], i) => `${area}@${region}=${versions[i]}`).join(','), day, viewer, spec.path, stableJson(spec.request)].join('|');
}

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
  /** Answers computed before anyone asked (warm-reads.ts): counted apart, so hits and misses are the requests'. */
  prepared = 0;

  constructor(
    readonly maxEntries = 1000,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  async get(key: string, compute: () => Promise<unknown>): Promise<string> {
    return (await this.answer(key, compute)).body;
  }

  /** Whether the answer for `key` is kept or being computed. */
  has(key: string): boolean {
    return this.#entries.has(key) || this.#computing.has(key);
  }

  /** The answer for `key`, computed once however many ask at the same time. */
  async answer(key: string, compute: () => Promise<unknown>, options: { preparing?: boolean } = {}): Promise<CachedAnswer> {
    const found = this.#entries.get(key);
    if (found) {
      // most recently used last
      this.#entries.delete(key);
      this.#entries.set(key, found);
      if (!options.preparing) this.hits++;
      return this.#answer(found);
    }
    let running = this.#computing.get(key);
    if (running) {
      if (!options.preparing) this.hits++;
    } else {
      if (options.preparing) this.prepared++;
      else this.misses++;
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
 * after the route's permission check; a scope applied inside `compute` needs `viewer` in the spec.
 */
export async function cachedRead(c: Context<AppEnv>, spec: ReadSpec): Promise<Response> {
  const db = c.get('db');
  const key = await readKey(db, spec);
  // weak: the same answer goes out gzipped or not
  const etag = `W/"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
  const headers = { etag, 'cache-control': 'private, no-cache', vary: 'Cookie, Accept-Encoding' };
  const asked = c.req.header('if-none-match');
  if (asked && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag.slice(2))) return c.body(null, 304, headers);
  const answer = await c.get('readCache').answer(key, () => spec.compute(db));
  const json = { ...headers, 'content-type': 'application/json; charset=UTF-8' };
  // compressed once per answer, not once per request (the compress middleware leaves an encoded body alone)
  if (answer.body.length >= GZIP_FROM_BYTES && /\bgzip\b/.test(c.req.header('accept-encoding') ?? ''))
    return c.body(new Uint8Array(answer.gzip()), 200, { ...json, 'content-encoding': 'gzip' });
  return c.body(answer.body, 200, json);
}

/** The asker, for a spec whose answer depends on who asks. */
export function viewerOf(c: Context<AppEnv>): ReadSpec['viewer'] {
  const actor = c.get('actor');
  return actor ? { role: actor.role, regionCode: actor.regionCode } : null;
}
