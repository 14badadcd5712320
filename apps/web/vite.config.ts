import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { initialJsBudget } from './build/initial-js.ts';

const apiPort = process.env.API_PORT ?? '8787';
const apiOrigin = `http://127.0.0.1:${apiPort}`;

/**
 * The API answers only to its own names and origins (decision 014). /api goes to it under its own address
 * (changeOrigin), and a write from a page of this dev server (an Origin naming the Host Vite itself checked)
 * as from the API's own origin; a page of any other origin keeps its Origin and is refused, as in production.
 */
const apiProxy: ProxyOptions = {
  target: apiOrigin,
  changeOrigin: true,
  configure(proxy) {
    proxy.on('proxyReq', (proxyReq, req) => {
      const { origin, host } = req.headers;
      if (origin && host && (origin === `http://${host}` || origin === `https://${host}`)) proxyReq.setHeader('origin', apiOrigin);
    });
  },
};

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
  server: { proxy: { '/api': apiProxy } },
  preview: { proxy: { '/api': apiProxy } },
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
