/**
 * `pnpm restore FILE [--force]`: puts a backup made by `pnpm backup` back, into the database the environment
 * names as the server reads it: DATABASE_URL set → that PostgreSQL database (pg_restore in one transaction;
 * a database that has data is replaced only with --force); otherwise the embedded database under DATA_DIR
 * (default .data), with the server stopped; the database it replaces is kept beside it. See
 * packages/db/src/backup.ts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreDatabase } from '../packages/db/src/backup';
import { cliEnvironment, formatBytes, onInterrupt, runCli } from './lib/backup-cli';

const USAGE = `usage: pnpm restore FILE [--force]
  DATABASE_URL set: pg_restore into that database, in one transaction; --force replaces a database that has data / 设置 DATABASE_URL：以单一事务 pg_restore 到该数据库；已有数据时须加 --force
  otherwise: into the embedded database under DATA_DIR (default .data); stop the server first; the old one is kept as pglite.before-restore-<time> / 否则：恢复到 DATA_DIR（默认 .data）下的内置数据库；请先停止服务；原数据库保留为 pglite.before-restore-<时间>`;

const root = resolve(import.meta.dirname, '..');

function recentBackups(): string[] {
  const dir = join(root, 'backups');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^vbp-.*\.(tar\.gz|dump)$/u.test(name))
    .map((name) => ({ name, at: statSync(join(dir, name)).mtimeMs, size: statSync(join(dir, name)).size }))
    .sort((a, b) => b.at - a.at)
    .slice(0, 5)
    .map((b) => `  backups/${b.name}  (${formatBytes(b.size)})`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    const recent = recentBackups();
    console.error(USAGE + (recent.length ? `\n\n最近的备份 / recent backups:\n${recent.join('\n')}` : ''));
    return 2;
  }
  const env = cliEnvironment();
  onInterrupt();
  const result = await restoreDatabase({
    ...env,
    file: resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]!),
    force: values.force,
    onProgress: (line) => console.log(line),
  });
  const lines = [
    '恢复完成 / Restore done',
    `  文件 / file:          ${result.file}`,
    `  数据库 / database:    ${result.engine === 'pglite' ? `PGlite (${env.dataDir})` : 'PostgreSQL'}`,
    `  表 / tables:          ${result.tables}`,
    `  行 / rows:            ${result.rows.toLocaleString('en')}`,
    `  迁移 / migrations:    ${result.migrations} / ${result.codeMigrations}`,
  ];
  if (result.previous) lines.push(`  原数据库保留在 / the replaced database is kept at: ${result.previous}`);
  if (result.migrations < result.codeMigrations)
    lines.push(
      `  备份来自较旧版本：服务启动时会应用其余 ${result.codeMigrations - result.migrations} 个迁移 / the backup is from an older version: the server applies the other ${result.codeMigrations - result.migrations} migration(s) when it starts`,
    );
  console.log(lines.join('\n'));
  return 0;
}

runCli(main);
