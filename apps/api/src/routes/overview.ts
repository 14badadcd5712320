import type { z } from '@hono/zod-openapi';
import { Overview, OverviewQuery } from '@vbp/contracts/api';
import { todayInChina } from '@vbp/contracts/dates';
import { getOverview } from '@vbp/core/queries/overview';
import { assertMay } from '@vbp/core/auth/actor';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead, type ReadSpec } from '../read-cache';

const overview = secureRoute('read:coverage', {
  method: 'get',
  path: '/overview',
  tags: ['overview'],
  summary: 'Everything the overview page shows for one region / 总览',
  request: { query: OverviewQuery },
  responses: { 200: jsonContent(Overview, 'Coverage, targets, cuts, published figures, contracts ending soon'), ...errorResponses },
});

/**
 * GET /api/overview as the cache knows it (also prepared after a commit: warm-reads.ts): coverage and cuts
 * (the catalogue), targets, agreed volumes (they weight the cuts) and the contract window (the settings).
 */
export function overviewRead(query: z.infer<typeof OverviewQuery>): ReadSpec<Overview> {
  const request = { ...query, date: query.date ?? todayInChina() };
  return { path: '/overview', request, areas: ['reference', 'targets', 'execution', 'settings'], region: query.region, compute: (db) => getOverview(db, request) };
}

export const overviewRoutes = createRouter().openapi(overview, async (c) => {
  const query = c.req.valid('query');
  assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
  return cachedRead(c, overviewRead(query));
});
