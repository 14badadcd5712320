import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/test/**/*.test.{ts,tsx}', 'seeds/test/**/*.test.ts'],
    globalSetup: ['scripts/test/global-setup.ts'],
    // Machines have 2 cores; each worker holds a PGlite template in memory.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
