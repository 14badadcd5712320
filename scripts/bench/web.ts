/**
 * The first view's JavaScript: the entry script and the chunks index.html preloads, gzip-compressed,
 * against the budget (issue 5: under 300 KB).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_BUDGET_KB = 300;

export interface WebResult {
  initialJsGzipKb: number;
  budgetKb: number;
  files: { file: string; gzipKb: number }[];
}

export function measureInitialJs(dist = resolve(import.meta.dirname, '../../apps/web/dist')): WebResult | null {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return null;
  const html = readFileSync(index, 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  const files = [...new Set(refs)].map((ref) => {
    const size = gzipSync(readFileSync(join(dist, ref.replace(/^\//, '')))).length;
    return { file: ref, gzipKb: Math.round((size / 1024) * 10) / 10 };
  });
  const total = files.reduce((sum, f) => sum + f.gzipKb, 0);
  return { initialJsGzipKb: Math.round(total * 10) / 10, budgetKb: INITIAL_JS_BUDGET_KB, files };
}
