/**
 * `pnpm start`: builds the web app when its sources are newer than the last build, then serves the
 * API and the web app from one process (see apps/api/src/server.ts for the settings it reads).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const web = join(root, 'apps/web');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, name) => (name === 'node_modules' || name === 'dist' ? max : Math.max(max, newestMtime(join(path, name)))), 0);
}

const built = join(web, 'dist/index.html');
const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(root, 'packages/contracts/src')];
if (process.env.SKIP_WEB_BUILD !== '1' && (!existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs)) {
  console.log(JSON.stringify({ level: 'info', message: 'building the web app (apps/web) …' }));
  const vite = join(web, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

await import('../apps/api/src/index');
