import { sql } from 'drizzle-orm';
import { Health } from '@vbp/contracts/api';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';

const health = secureRoute('public', {
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness and database engine / 服务状态',
  responses: { 200: jsonContent(Health, 'The service and its database answer'), 500: errorResponses[500] },
});

export const healthRoutes = createRouter().openapi(health, async (c) => {
  await c.get('db').execute(sql`select 1`);
  return c.json({ ok: true as const, db: c.get('database').kind, demo: c.get('demo') }, 200);
});
