import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialJsBudget } from './build/initial-js.ts';

const apiPort = process.env.API_PORT ?? '8787';

/**
 * Chunks: React + the router and TanStack Query are needed on first paint and change rarely, so they
 * get long-lived chunks of their own. recharts and its d3 / redux helpers are only reached through the
 * lazily loaded chart, so they form a separate chunk the first paint does not wait for. The contracts
 * (roles, permissions, schemas) and zod are needed from the first paint too (who may see what) and get
 * their own chunk. The admin pages and the target form are lazy chunks.
 */
const chartModules =
  /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(?:recharts|d3-[^\\/]+|victory-vendor|internmap|@reduxjs|redux|react-redux|reselect|immer|decimal\.js-light|eventemitter3|es-toolkit|tiny-invariant|use-sync-external-store|clsx)[\\/]/;
const reactModules =
  /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(?:react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/;
const queryModules = /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?@tanstack[\\/]/;
// The zod schemas of the contracts (what the forms validate with) and zod itself: one chunk, loaded with
// the forms. The zod-free contract modules (roles, enums, dates) stay with the code that imports them.
const contractModules =
  /(?:packages[\\/]contracts[\\/]src[\\/](?:api|auth)\.ts|node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?zod[\\/])/;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), initialJsBudget()],
  server: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Report gzip sizes so the initial payload is visible in every build log.
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Groups take their modules' dependencies along: React must be claimed first, or the
            // charts group would pull it in and the first paint would wait for recharts.
            { name: 'react', test: reactModules, priority: 30 },
            { name: 'query', test: queryModules, priority: 20 },
            // claimed before the zod schemas, whose group would otherwise take them along
            { name: 'vocabulary', test: /packages[\\/]contracts[\\/]src[\\/](?:roles|enums|dates)\.ts/, priority: 16 },
            { name: 'contracts', test: contractModules, priority: 15 },
            { name: 'charts', test: chartModules, priority: 10 },
          ],
        },
      },
    },
  },
});
