import { createRoute } from '@hono/zod-openapi';
import { TargetList, TargetQuery } from '@vbp/contracts/api';
import { listTargets } from '@vbp/core/queries/targets';
import { createRouter, errorResponses, jsonContent } from '../router';

const list = createRoute({
  method: 'get',
  path: '/targets',
  tags: ['targets'],
  summary: 'Targets with progress, projection and status / 目标进度',
  description:
    'For a province: its own targets and the national ones every province reports against. Status: `met` when coverage reaches the count; `behind` once the due date has passed; otherwise `on_track` when the 24-month trend reaches the count by the due date, `at_risk` when it reaches 90% of it or coverage is on the expected path, else `behind`.',
  request: { query: TargetQuery },
  responses: { 200: jsonContent(TargetList, 'Targets with their source document and clause'), ...errorResponses },
});

export const targetRoutes = createRouter().openapi(list, async (c) => c.json({ items: await listTargets(c.get('db'), c.req.valid('query')) }, 200));
