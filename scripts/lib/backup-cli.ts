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

export { formatBytes } from '../../packages/importer/src/issues';

/** Runs a CLI's main: its exit code, or 1 with a refusal's message (no stack) or the unexpected error. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof BackupError ? err.message : err);
      process.exit(1);
    },
  );
}
