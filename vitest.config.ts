import { defineConfig } from 'vitest/config';

const E2E = 'apps/web/test/e2e/**/*.test.ts';
const FAULTS = 'apps/api/test/faults/**/*.test.ts';
const RELIABILITY = 'apps/api/test/reliability/**/*.test.ts';

export default defineConfig({
  test: {
    globalSetup: ['scripts/test/global-setup.ts'],
    // Machines have 2 cores; each worker holds a PGlite template in memory.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/test/**/*.test.{ts,tsx}', 'seeds/test/**/*.test.ts'],
          exclude: [E2E, FAULTS, RELIABILITY, '**/node_modules/**'],
          maxWorkers: 2,
        },
      },
      {
        // Each browser test file starts a server (with its demo data) and Chromium: two at once on two cores
        // starve each other into timeouts, so they run one file at a time, after the rest.
        extends: true,
        test: { name: 'browser', include: [E2E], fileParallelism: false },
      },
      {
        // Servers killed, databases crashed, disks filled (`pnpm test:faults` alone): each file starts its own
        // servers and databases and moves large files, so one file at a time, after the rest.
        extends: true,
        test: { name: 'faults', include: [FAULTS], fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000 },
      },
      {
        // Outages, load, safe defaults, HTTP hardening and backups as an operator meets them (`pnpm
        // test:reliability` alone): real servers as child processes, one file at a time; each prints what it
        // measured (requests served and failed, p99 per endpoint, rows compared after a restore). After all
        // the rest and alone (groupOrder 1): 64 clients and a 200,000-row commit beside the browser tests
        // starved both into timeouts on two cores.
        extends: true,
        test: { name: 'reliability', include: [RELIABILITY], fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
