/** What `pnpm backup` and `pnpm restore` share: the database named by the environment, as the server reads it. */
import { BackupError } from '../../packages/db/src/backup';

export function cliEnvironment(): { url: string | undefined; dataDir: string } {
  const url = process.env.DATABASE_URL || undefined;
  if (url !== undefined && !/^postgres(ql)?:\/\//u.test(url))
    throw new BackupError(`DATABASE_URL must be a postgres:// URL: ${url.replace(/:[^:@/]*@/u, ':***@')}`, `DATABASE_URL 应为 postgres:// 地址：${url.replace(/:[^:@/]*@/u, ':***@')}`);
  return { url, dataDir: process.env.DATA_DIR || '.data' };
}

/** Ctrl-C ends the process through `exit`, so DATA_DIR's lock is let go (a half-written backup stays `.partial`). */
export function onInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
