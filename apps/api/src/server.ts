import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createDatabase, refreshStatistics, type Database } from '@vbp/db';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureInitialUsers } from '@vbp/core/auth/bootstrap';
import { failInterruptedUploads } from '@vbp/core/uploads/pipeline';
import { loadReferenceData } from '@vbp/seeds/reference/load';
import { createApp } from './app';
import { readConfig, type Config } from './config';
import { ensureDemoData } from './demo';

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

export type LogSink = (line: string) => void;

export interface RunningServer {
  config: Config;
  database: Database;
  server: ServerType;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, applies migrations, loads the reference seed (and demo data), and serves. */
export async function startServer(env: NodeJS.ProcessEnv = process.env, sink: LogSink = console.log): Promise<RunningServer> {
  const log = (message: string, fields: Record<string, unknown> = {}) =>
    sink(JSON.stringify({ level: 'info', at: new Date().toISOString(), message, ...fields }));
  const config = readConfig(env, { webRoot: existsSync(DEFAULT_WEB_ROOT) ? DEFAULT_WEB_ROOT : undefined });
  const database = await createDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  log('database opened', { db: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined });
  await database.migrate();
  const seed = await loadReferenceData(database.db);
  log(seed.loaded ? 'reference data loaded' : 'reference data up to date', seed.loaded ? { counts: seed.counts } : {});
  if (config.demo) await ensureDemoData(database, log);
  const accounts = await ensureInitialUsers(database.db, { adminPassword: config.adminPassword, demo: config.demo });
  if (accounts.createdDemoUsers.length) log('demo accounts created', { users: accounts.createdDemoUsers });
  if (accounts.generatedAdminPassword) {
    // Said once, to the operator's terminal, never to the structured log.
    process.stderr.write(
      `\n  首个管理员账号 admin 的初始密码（仅显示这一次，首次登录后须修改）\n  First administrator "admin", initial password (shown once; must be changed at first sign-in):\n\n      ${accounts.generatedAdminPassword}\n\n`,
    );
  }

  // PGlite never analyzes on its own (no autovacuum): data written before statistics were kept after
  // every bulk write would otherwise be planned as if the tables were empty. About a second on the demo data.
  if (database.kind === 'pglite') await refreshStatistics(database.db);
  const interrupted = await failInterruptedUploads(database.db);
  if (interrupted) log('uploads interrupted by the last stop were marked', { count: interrupted });

  const app = createApp({
    database,
    webRoot: config.webRoot,
    demo: config.demo,
    request: { trustProxy: config.trustProxy, secureCookies: config.secureCookies },
    uploads: {
      dir: config.dataDir.startsWith('memory://') ? join(tmpdir(), 'vbp-uploads') : join(resolve(config.dataDir), 'uploads'),
      maxBytes: config.maxUploadBytes,
    },
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log('listening', { url, web: config.webRoot ? 'served' : 'not built', demo: config.demo });

  let stopping: Promise<void> | undefined;
  return {
    config,
    database,
    server,
    url,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await database.close();
      })();
      return stopping;
    },
  };
}
