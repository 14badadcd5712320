import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { createCitusDatabase, dropCitusDatabase } from '../../packages/db/src/cluster';

const root = resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A PostgreSQL server for the benchmarks: BENCH_DATABASE_URL / TEST_DATABASE_URL, or a throwaway one. */
export async function benchPostgres(): Promise<{ serverUrl: string; stop(): void }> {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return { serverUrl: given, stop() {} };
  return throwaway('postgres', await freePort());
}

/** Starts scripts/<kind>-throwaway.sh under .bench/ on `port`; `stop()` stops it and removes its files. */
function throwaway(kind: 'postgres' | 'citus', port: number): { serverUrl: string; stop(): void } {
  const dir = resolve(root, `.bench/${kind}-${process.pid}`);
  const script = resolve(root, `scripts/${kind}-throwaway.sh`);
  const serverUrl = execFileSync(script, ['start', dir, String(port)], { encoding: 'utf8' }).trim();
  return {
    serverUrl,
    stop() {
      execFileSync(script, ['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server, by URL; `drop()` removes it. */
export async function freshDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** The first of three consecutive free loopback ports (a cluster's coordinator and two workers). */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once('error', () => done(false));
      probe.listen(first + i + 1, '127.0.0.1', () => probe.close(() => done(true)));
    })));
    if (rest.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free loopback ports`);
}

/**
 * A Citus cluster for the benchmarks (a coordinator and two workers on this machine): BENCH_CITUS_URL, or a
 * throwaway one (scripts/citus-throwaway.sh; Citus must be installed: ../shared/citus/install.sh).
 */
export async function benchCitus(): Promise<{ serverUrl: string; stop(): void }> {
  const given = process.env.BENCH_CITUS_URL;
  if (given) return { serverUrl: given, stop() {} };
  return throwaway('citus', await freePorts(3));
}

/** A fresh database on every node of the cluster (the extension in it, the workers registered); `drop()` removes it. */
export async function freshCitusDatabase(coordinatorUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = await createCitusDatabase(coordinatorUrl, name);
  return { url, drop: () => dropCitusDatabase(coordinatorUrl, name) };
}
