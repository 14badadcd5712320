/**
 * `pnpm backup [FILE | DIR/]`: a backup of the application's database, read from the environment as the
 * server reads it: DATABASE_URL set → that PostgreSQL server (pg_dump, while the server runs); otherwise the
 * embedded database under DATA_DIR (default .data), with the server stopped. The file defaults to
 * backups/vbp-<engine>-<YYYYMMDD-HHmmss>.<tar.gz|dump> under the repository. See packages/db/src/backup.ts.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase } from '../packages/db/src/backup';
import { cliEnvironment, formatBytes, onInterrupt, runCli } from './lib/backup-cli';

const USAGE = `usage: pnpm backup [FILE | DIR/]
  DATABASE_URL set: pg_dump of that PostgreSQL server (it keeps serving) / 设置 DATABASE_URL：对该 PostgreSQL 服务器执行 pg_dump（服务可继续运行）
  otherwise: the embedded database under DATA_DIR (default .data); stop the server first / 否则：DATA_DIR（默认 .data）下的内置数据库；请先停止服务
  default file / 默认文件: backups/vbp-<engine>-<YYYYMMDD-HHmmss>.<tar.gz|dump>`;

const root = resolve(import.meta.dirname, '..');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const env = cliEnvironment();
  onInterrupt();
  const result = await backupDatabase({
    ...env,
    // a relative path is where the operator typed it (pnpm runs scripts in the repository's root)
    file: positionals[0] === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]) + (/[\\/]$/u.test(positionals[0]) ? '/' : ''),
    directory: join(root, 'backups'),
    onProgress: (line) => console.log(line),
  });
  console.log(
    [
      '备份完成 / Backup done',
      `  文件 / file:          ${result.file}`,
      `  大小 / size:          ${formatBytes(result.bytes)}`,
      `  数据库 / database:    ${result.engine === 'pglite' ? `PGlite (${env.dataDir})` : 'PostgreSQL'}`,
      `  表 / tables:          ${result.tables}`,
      `  行 / rows:            ${result.rows.toLocaleString('en')}`,
      `  迁移 / migrations:    ${result.migrations}`,
    ].join('\n'),
  );
  if (result.unloggedRows > 0)
    console.log(
      `注意：${result.unloggedRows.toLocaleString('en')} 行属于已校验未提交上传的暂存表，内置数据库备份不保留这些行；恢复后这些上传显示为"已中断"，可从其文件重新校验。\n` +
        `Note: ${result.unloggedRows.toLocaleString('en')} rows in the staging of uploads validated but not committed are not kept by an embedded backup; after a restore those uploads show as interrupted and are validated again from their file.`,
    );
  return 0;
}

runCli(main);
