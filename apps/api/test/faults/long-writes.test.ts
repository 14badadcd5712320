/**
 * A million-row purchases file on the embedded database: while it validates and while it commits,
 * `/api/health` and `/api/targets` keep answering (before the work ends), and the commit's progress can be
 * watched. The latencies are reported, not asserted: the machine is shared and noisy.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePurchasesCsv } from '../../../../scripts/lib/purchases-csv';
import { Api, pgliteEngine, ROOT, ServerProcess, SHAPE, stateOf, type Engine, type UploadView } from './harness';

const ROWS = 1_000_000;

interface Probe {
  path: string;
  ms: number[];
}

/** Asks `paths` over and over until `done` resolves; returns each one's latencies. */
async function probeWhile(api: Api, paths: string[], done: Promise<unknown>): Promise<Probe[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const probes = paths.map((path) => ({ path, ms: [] as number[] }));
  await Promise.all(
    probes.map(async (probe) => {
      while (!finished) {
        const started = performance.now();
        const res = await api.get(probe.path);
        if (finished) break;
        expect(res.status, `${probe.path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
        probe.ms.push(Math.round(performance.now() - started));
        await new Promise((r) => setTimeout(r, 100));
      }
    }),
  );
  return probes;
}

/** Bytes under `dir`, all files. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

const summary = (p: Probe) => {
  const sorted = [...p.ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  return { path: p.path, answers: sorted.length, p50: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? null };
};

describe('a million-row upload on the embedded database', () => {
  const work = join(ROOT, `.test-data/faults-long-${process.pid}`);
  let engine: Engine;

  beforeAll(async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    engine = await pgliteEngine(join(work, 'data'));
  });
  afterAll(async () => {
    await engine?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps /api/health and /api/targets answering while it validates and commits, and shows the commit progressing', async () => {
    const path = join(work, 'purchases.csv');
    await writePurchasesCsv(path, ROWS, SHAPE);
    const server = await ServerProcess.start(engine);
    const api = await Api.signIn(server.url);
    const probed = ['/api/health', '/api/targets?region=320000'];
    try {
      const validatingStarted = performance.now();
      const res = await api.upload(path);
      expect(res.status).toBe(202);
      const id: number = res.body.id;
      const validated = api.waitFor(id, (v) => v.status === 'validated', 600_000);
      const duringValidation = await probeWhile(api, probed, validated);
      const validationMs = performance.now() - validatingStarted;

      // how much the database grows while it commits (the disk check before a commit assumes bytesPerRow)
      const databaseDir = join(engine.dataDir, 'pglite');
      const sizeBefore = bytesUnder(databaseDir);
      let sizePeak = sizeBefore;
      const sampler = setInterval(() => {
        try {
          sizePeak = Math.max(sizePeak, bytesUnder(databaseDir));
        } catch {
          // a file went away while it was listed
        }
      }, 250);
      const committingStarted = performance.now();
      expect((await api.post(`/api/uploads/${id}/commit`, { acknowledgeWarnings: true })).status).toBe(202);
      const seen: UploadView['progress'][] = [];
      const committed = api.waitFor(
        id,
        (v) => {
          if (v.status === 'committing' && v.progress) seen.push(v.progress);
          return v.status === 'committed';
        },
        600_000,
      );
      const duringCommit = await probeWhile(api, probed, committed);
      const commitMs = performance.now() - committingStarted;
      clearInterval(sampler);
      const sizeAfter = bytesUnder(databaseDir);

      // every probe answered, several times, before the work ended
      for (const probe of [...duringValidation, ...duringCommit]) expect(probe.ms.length, probe.path).toBeGreaterThan(2);
      // the commit's progress rose while it ran
      const done = seen.map((p) => p!.done);
      expect(done.some((d) => d > 0 && d < ROWS)).toBe(true);
      expect([...done].sort((a, b) => a - b)).toEqual(done);

      const report = {
        rows: ROWS,
        validationSec: Math.round(validationMs / 100) / 10,
        commitSec: Math.round(commitMs / 100) / 10,
        databaseGrowth: { peakBytesPerRow: Math.round((sizePeak - sizeBefore) / ROWS), finalBytesPerRow: Math.round((sizeAfter - sizeBefore) / ROWS) },
        duringValidation: duringValidation.map(summary),
        duringCommit: duringCommit.map(summary),
      };
      console.log(`faults: ${JSON.stringify(report)}`);
      mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
      writeFileSync(join(ROOT, 'test-artifacts/faults-long-writes.json'), `${JSON.stringify(report, null, 2)}\n`);
    } finally {
      server.kill('SIGTERM');
      await server.exited;
    }
    expect((await stateOf(engine)).count).toBe(ROWS);
  });
});
