/**
 * The first view's JavaScript: the entry script and the chunks index.html preloads, gzip-compressed,
 * against the budget (issue 5: under 300 KB). Measured after every `vite build` (the plugin below prints
 * it and fails the build over budget) and reported by `pnpm bench`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const INITIAL_JS_BUDGET_KB = 300;

export interface WebResult {
  initialJsGzipKb: number;
  initialJsGzipBytes: number;
  budgetKb: number;
  files: { file: string; gzipKb: number }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function measureInitialJs(dist = resolve(import.meta.dirname, '../dist')): WebResult | null {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return null;
  const html = readFileSync(index, 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  const files = [...new Set(refs)].map((ref) => {
    const size = gzipSync(readFileSync(join(dist, ref.replace(/^\//, '')))).length;
    return { file: ref, gzipBytes: size, gzipKb: round1(size / 1024) };
  });
  const bytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  return { initialJsGzipKb: round1(bytes / 1024), initialJsGzipBytes: bytes, budgetKb: INITIAL_JS_BUDGET_KB, files: files.map(({ gzipBytes: _b, ...f }) => f) };
}

/** Prints the initial JavaScript after the build is written, and fails the build when it is over budget. */
export function initialJsBudget(budgetKb = INITIAL_JS_BUDGET_KB): Plugin {
  let outDir = '';
  return {
    name: 'vbp:initial-js-budget',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const result = measureInitialJs(outDir);
      if (!result) return;
      const line = `initial JavaScript: ${result.initialJsGzipKb} KB gzip (budget ${budgetKb} KB, ${result.files.length} files)`;
      if (result.initialJsGzipKb > budgetKb) {
        throw new Error(`${line}: over budget. Load the new code lazily (React.lazy) or move it out of the first view.`);
      }
      console.log(line);
    },
  };
}
