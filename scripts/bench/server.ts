/**
 * The real server for the benchmarks, as deployed: a separate process on a PostgreSQL database, signed in
 * as the administrator; its log is read as it comes (a pipe left unread would block the server) and kept for
 * the lines a benchmark waits for. Uploads are streamed from disk as a browser sends a form.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { collectLines, untilListening } from '../../apps/api/src/listening';

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';
const ROOT = resolve(import.meta.dirname, '../..');

export interface BenchServer {
  child: ChildProcess;
  base: string;
  /** Structured log lines whose message is `message`. */
  logged(message: string): Record<string, unknown>[];
  /** Peak resident memory of the server process so far (VmHWM), MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function startBenchServer(databaseUrl: string, dataDir: string): Promise<BenchServer> {
  // BENCH_PROF=<dir>: the server's CPU profile is written there when it stops (node --cpu-prof)
  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), '--import', 'tsx', join(ROOT, 'apps/api/src/index.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', WEB_ROOT: '', DATA_DIR: dataDir, VBP_DEMO: '0', VBP_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  collectLines(child.stdout!, lines);
  const base = await untilListening(child, lines);
  await untilPrepared(lines);
  return {
    child,
    base,
    logged: (message) => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message),
    peakRssMb: () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

export async function signInAdmin(base: string): Promise<Session> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_PASSWORD }) });
  if (login.status !== 200) throw new Error(`bench sign-in failed: ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrfToken };
}

/** POSTs a purchases file as multipart, streamed from disk; returns the upload's id. */
export async function uploadFile(base: string, session: Session, path: string, fields: Record<string, string>): Promise<number> {
  const boundary = `----vbp${Date.now()}`;
  async function* body() {
    for (const [k, v] of Object.entries(fields)) yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="purchases.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  const res = await fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Readable.from(body()) as never,
    duplex: 'half',
  } as RequestInit);
  const view = (await res.json()) as { id?: number; error?: unknown };
  if (!view.id) throw new Error(`upload refused: ${res.status} ${JSON.stringify(view)}`);
  return view.id;
}

export async function commitUpload(base: string, session: Session, id: number): Promise<void> {
  const res = await fetch(`${base}/api/uploads/${id}/commit`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ acknowledgeWarnings: true }),
  });
  if (res.status >= 300) throw new Error(`commit refused: ${res.status} ${await res.text()}`);
}

/** Polls an upload until it reaches one of `until` (failing on invalid / failed / interrupted). */
export async function waitForUpload(base: string, session: Session, id: number, until: string[]): Promise<{ status: string; counts: Record<string, number> }> {
  for (;;) {
    const view = (await (await fetch(`${base}/api/uploads/${id}`, { headers: { cookie: session.cookie } })).json()) as { status: string; counts: Record<string, number>; errors: unknown[] };
    if (until.includes(view.status)) return view;
    if (['invalid', 'failed', 'interrupted'].includes(view.status)) throw new Error(`upload ${id} ended ${view.status}: ${JSON.stringify(view.errors).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The answers a start prepares (warm-reads.ts) are ready: a measurement begins on a server that has
 * settled, as a user arriving after a restart finds it.
 */
async function untilPrepared(lines: readonly string[]): Promise<void> {
  const logged = (message: string) => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { message: string; region?: string; regions?: string[] }).filter((l) => l.message === message);
  const deadline = performance.now() + 180_000;
  for (;;) {
    const [start] = logged('preparing read answers at start');
    if (logged('choosing the answers to prepare failed').length) return;
    if (start) {
      const done = new Set(['read answers prepared', 'preparing read answers failed'].flatMap((m) => logged(m).map((l) => l.region)));
      if (start.regions!.every((r) => done.has(r))) return;
    }
    if (performance.now() > deadline) throw new Error('the server did not prepare its read answers within 3 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
