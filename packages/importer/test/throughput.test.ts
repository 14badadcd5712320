/**
 * Throughput and memory on generated files: a 1,000,000-row purchases CSV and a 100,000-row XLSX. The
 * figures are printed, not asserted (machines are shared); what is asserted is that every row comes out.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUpload } from '../src/parse';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const GENERATOR = join(import.meta.dirname, 'generate-purchases.mjs');

/** The files are written by a child process, so the garbage of building them is not this process's. */
function generate(format: 'csv' | 'xlsx', rows: number): string {
  const path = join(tmp.dir, `purchases.${format}`);
  execFileSync(process.execPath, [GENERATOR, format, path, String(rows)]);
  return path;
}

interface Measured {
  rows: number;
  errors: number;
  /** Names holding U+FFFD (a character broken across two chunks). */
  damaged: number;
  seconds: number;
  /** CPU time of this process (main thread and GC helpers), less sensitive to other load on the machine. */
  cpuSeconds: number;
  peakHeapMB: number;
  peakRssMB: number;
}

function report(label: string, m: Measured, bytes: number): string {
  const mb = bytes / 2 ** 20;
  const rate = (n: number) => Math.round(n).toLocaleString('en');
  return `${label}: ${rate(m.rows)} rows, ${mb.toFixed(1)} MiB in ${m.seconds.toFixed(2)} s wall = ${rate(m.rows / m.seconds)} rows/s (${(mb / m.seconds).toFixed(2)} MiB/s); ${m.cpuSeconds.toFixed(2)} s CPU = ${rate(m.rows / m.cpuSeconds)} rows per CPU-second; peak heap growth ${m.peakHeapMB} MiB, peak RSS ${m.peakRssMB} MiB`;
}

async function measure(path: string, fileName: string): Promise<Measured> {
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = 0;
  let peakRss = 0;
  let rows = 0;
  let errors = 0;
  let damaged = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for await (const event of parseUpload({ path, fileName }, 'purchases')) {
    if (event.type !== 'batch') continue;
    rows += event.rows.length;
    errors += event.errors.length;
    for (const row of event.rows) if (row.values.institutionName?.includes('\uFFFD')) damaged++;
    const memory = process.memoryUsage();
    peakHeap = Math.max(peakHeap, memory.heapUsed - baseHeap);
    peakRss = Math.max(peakRss, memory.rss);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rows, errors, damaged, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakHeapMB: Math.round(peakHeap / 2 ** 20), peakRssMB: Math.round(peakRss / 2 ** 20) };
}

describe('throughput', () => {
  it('parses a 1,000,000-row purchases CSV with bounded memory', async () => {
    const path = generate('csv', 1_000_000);
    const m = await measure(path, 'purchases.csv');
    console.log(report('purchases CSV', m, statSync(path).size));
    expect(m).toMatchObject({ rows: 1_000_000, errors: 0, damaged: 0 });
  }, 180_000);

  it('parses a 100,000-row purchases XLSX', async () => {
    const path = generate('xlsx', 100_000);
    const m = await measure(path, 'purchases.xlsx');
    console.log(report('purchases XLSX', m, statSync(path).size));
    expect(m).toMatchObject({ rows: 100_000, errors: 0, damaged: 0 });
  }, 180_000);
});
