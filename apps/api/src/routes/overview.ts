import { Overview, OverviewQuery } from '@vbp/contracts/api';
import { getOverview } from '@vbp/core/queries/overview';
import { assertMay } from '@vbp/core/auth/actor';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead } from '../read-cache';

const overview = secureRoute('read:coverage', {
  method: 'get',
  path: '/overview',
  tags: ['overview'],
  summary: 'Everything the overview page shows for one region / 总览',
  request: { query: OverviewQuery },
  responses: { 200: jsonContent(Overview, 'Coverage, targets, cuts, published figures, contracts ending soon'), ...errorResponses },
});

export const overviewRoutes = createRouter().openapi(overview, async (c) => {
  const query = c.req.valid('query');
  assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
  return cachedRead(c, () => getOverview(c.get('db'), query));
});
