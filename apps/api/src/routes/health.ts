import { isDistributed, isUnreachable, migrationLevel, migrationsFolder, type MigrationLevel } from '@vbp/db';
import { Health } from '@vbp/contracts/api';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { VERSION } from '../version';

const health = secureRoute('public', {
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness, database engine, version and migration level / 服务状态',
  responses: {
    200: jsonContent(Health, 'The service and its database answer'),
    503: jsonContent(Health, 'The service answers but its database does not / 数据库无法连接'),
    500: errorResponses[500],
  },
});

export const healthRoutes = createRouter().openapi(health, async (c) => {
  const demo = c.get('demo');
  let distributed: boolean;
  let migrations: MigrationLevel;
  try {
    // the liveness query also says whether the server is a Citus coordinator
    distributed = await isDistributed(c.get('db'));
    // the request's database: during a long write on PGlite, the snapshot readers use (never the writer's)
    migrations = await migrationLevel(c.get('db'), migrationsFolder);
  } catch (err) {
    if (!isUnreachable(err)) throw err;
    c.header('retry-after', '5');
    return c.json({ ok: false, db: 'unreachable' as const, demo, version: VERSION, migrations: null }, 503);
  }
  return c.json({ ok: true, db: distributed ? ('citus' as const) : c.get('database').kind, demo, version: VERSION, migrations }, 200);
});
