/**
 * The names the server answers to, decided once from the configuration (decision 014).
 *
 * A browser sends the Host it typed or was sent to, and a page can rebind its own name to 127.0.0.1: so a
 * request naming any other host is refused (421) before it reaches a session or a handler, and a write's
 * Origin must be one of ours, never whatever Host the request says.
 * - Hosts: loopback names (localhost, 127.0.0.0/8, ::1) always; HOST when it is a specific address; the
 *   machine's interface addresses when HOST is 0.0.0.0 or ::; the hosts of VBP_PUBLIC_ORIGIN.
 * - Origins: `http://` those names on the port the server listens on, and VBP_PUBLIC_ORIGIN exactly.
 */
import { networkInterfaces } from 'node:os';
import type { MiddlewareHandler } from 'hono';
import { DomainError } from '@vbp/core/errors';
import { isLoopback } from '../config';
import type { AppEnv } from '../env';
import type { RequestSettings } from './request';

export interface ServedNamesOptions {
  /** The address the server listens on (HOST); loopback by default. */
  host?: string;
  /**
   * The port it listens on; `listening()` sets it once known (PORT=0). Without one, the loopback origins are
   * those of a URL without a port (`http://localhost`, what `app.request('/api/…')` uses).
   */
  port?: number;
  /** VBP_PUBLIC_ORIGIN: origins as `scheme://host[:port]` (config.ts parses them). */
  publicOrigins?: readonly string[];
  /** The machine's addresses when HOST is a wildcard (os.networkInterfaces() unless given). */
  interfaceAddresses?: () => readonly string[];
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** A hostname as the URL parser writes it, without IPv6 brackets or a trailing dot. */
function bareName(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/gu, '').replace(/\.$/u, '');
}

function machineAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => bareName(a.address)));
}

/**
 * The hostname a Host header (or X-Forwarded-Host) names, or null when it is not a bare host[:port]. The
 * URL parser normalises it as a browser would (case, 127.1, IPv6 forms).
 */
export function hostnameOf(value: string): string | null {
  const text = value.trim();
  if (!text || /[\s/?#@\\]/u.test(text)) return null;
  try {
    const url = new URL(`http://${text}`);
    return url.username || url.password || url.pathname !== '/' ? null : bareName(url.hostname);
  } catch {
    return null;
  }
}

export class ServedNames {
  /** Our own addresses (HOST when specific); loopback names are always ours. */
  readonly #ownNames = new Set<string>();
  /** The hosts of the public origins: answered to, but their origins only with their own scheme and port. */
  readonly #publicNames = new Set<string>();
  readonly #publicOrigins: ReadonlySet<string>;
  readonly #wildcard: boolean;
  readonly #interfaceAddresses: () => readonly string[];
  #port: number | undefined;

  constructor(options: ServedNamesOptions = {}) {
    const host = bareName(options.host ?? '127.0.0.1');
    this.#wildcard = WILDCARDS.has(host) || WILDCARDS.has(`[${host}]`);
    if (!this.#wildcard) this.#ownNames.add(hostnameOf(host.includes(':') ? `[${host}]` : host) ?? host);
    this.#publicOrigins = new Set(options.publicOrigins ?? []);
    for (const origin of this.#publicOrigins) this.#publicNames.add(bareName(new URL(origin).hostname));
    this.#interfaceAddresses = options.interfaceAddresses ?? machineAddresses;
    this.#port = options.port;
  }

  /** The port the server listens on, once it does (PORT=0 picks one). */
  listening(port: number): void {
    this.#port = port;
  }

  /** A hostname (from hostnameOf) this server answers to. */
  servesName(name: string): boolean {
    return this.#publicNames.has(name) || this.#isOwnName(name);
  }

  #isOwnName(name: string): boolean {
    if (isLoopback(name) || this.#ownNames.has(name)) return true;
    // interfaces come and go (DHCP, a VPN): asked when needed, only for names not already known
    return this.#wildcard && this.#interfaceAddresses().map(bareName).includes(name);
  }

  /** A Host (or X-Forwarded-Host) header value this server answers to; the port is not the name's concern. */
  servesHost(value: string): boolean {
    const name = hostnameOf(value);
    return name !== null && this.servesName(name);
  }

  /**
   * An Origin (or a Referer's origin) that is one of ours: scheme, host and port. Our own addresses over plain
   * HTTP on the port we listen on; anything else only as VBP_PUBLIC_ORIGIN says it.
   */
  allowsOrigin(value: string): boolean {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (this.#publicOrigins.has(url.origin)) return true;
    if (url.protocol !== 'http:' || url.username || url.password) return false;
    const port = url.port === '' ? 80 : Number(url.port);
    return port === (this.#port ?? 80) && this.#isOwnName(bareName(url.hostname));
  }

  /** What the start log says about them. */
  describe(): { names: string[]; publicOrigins: string[]; interfaces: boolean; port: number | undefined } {
    return { names: ['localhost', '127.0.0.0/8', '::1', ...this.#ownNames, ...this.#publicNames], publicOrigins: [...this.#publicOrigins], interfaces: this.#wildcard, port: this.#port };
  }
}

/** The names of a server started with this configuration (server.ts tells it the port once it listens). */
export function servedNamesOf(config: { host: string; publicOrigins: readonly string[] }): ServedNames {
  return new ServedNames({ host: config.host, publicOrigins: config.publicOrigins });
}

/**
 * Refuses (421) a request that names a host we do not serve, before anything else reads it: the Host header
 * (and the URL built from it), and behind a trusted proxy every X-Forwarded-Host too. Without TRUST_PROXY a
 * forwarded host is the client's word and says nothing.
 */
export function servedHostsOnly(names: ServedNames, settings: Pick<RequestSettings, 'trustProxy'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = [new URL(c.req.url).host, c.req.header('host')];
    if (settings.trustProxy) given.push(...(c.req.header('x-forwarded-host')?.split(',') ?? []));
    const foreign = given.find((host) => host !== undefined && !names.servesHost(host));
    if (foreign !== undefined) {
      const shown = JSON.stringify(foreign.trim().slice(0, 100));
      throw new DomainError(
        'MISDIRECTED_REQUEST',
        `This server does not answer to the host ${shown}. If users reach it by that name, add its origin to VBP_PUBLIC_ORIGIN`,
        `本服务不接受发往主机名 ${shown} 的请求；如用户确实通过该名称访问，请将其来源地址加入 VBP_PUBLIC_ORIGIN`,
      );
    }
    return next();
  };
}
