import { createRoute } from '@hono/zod-openapi';
import { Overview, OverviewQuery } from '@vbp/contracts/api';
import { getOverview } from '@vbp/core/queries/overview';
import { createRouter, errorResponses, jsonContent } from '../router';

const overview = createRoute({
  method: 'get',
  path: '/overview',
  tags: ['overview'],
  summary: 'Everything the overview page shows for one region / 总览',
  request: { query: OverviewQuery },
  responses: { 200: jsonContent(Overview, 'Coverage, targets, cuts, published figures, contracts ending soon'), ...errorResponses },
});

export const overviewRoutes = createRouter().openapi(overview, async (c) => c.json(await getOverview(c.get('db'), c.req.valid('query')), 200));
