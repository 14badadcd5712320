import { Reconciliation, ReconciliationQuery } from '@vbp/contracts/reconciliation';
import { may } from '@vbp/contracts/policy';
import { assertMay } from '@vbp/core/auth/actor';
import { getReconciliation } from '@vbp/core/queries/reconciliation';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead, EVERY_REGION, viewerOf } from '../read-cache';

const reconciliation = secureRoute('read:coverage', {
  method: 'get',
  path: '/reconciliation',
  tags: ['reconciliation'],
  summary: 'Published figures beside the computed ones / 核对',
  description:
    "Every figure the policy documents publish (for `region`, or without it for every region the user may read, 全国 included) beside what the data computes for the same region, scope and date, with the difference, the document and clause, and what explains a gap: placeholder varieties counted, estimated implementation dates, batches tendered before but implemented after the figure's date, batches without loaded prices, synthetic prices, bounds such as 超过50%. `current` is the same computation at `date` (default today). `targets` lists the regions' own targets, which are goals, not published results.",
  request: { query: ReconciliationQuery },
  responses: { 200: jsonContent(Reconciliation, 'Published and computed figures with their sources'), ...errorResponses },
});

export const reconciliationRoutes = createRouter().openapi(reconciliation, async (c) => {
  const actor = actorOf(c);
  const query = c.req.valid('query');
  if (query.region !== undefined) assertMay(actor, 'read:figures', { regionCode: query.region });
  // which figures are shown depends on who asks; a batch's cut is weighted by every province's agreed volumes
  return cachedRead(c, {
    path: '/reconciliation',
    request: query,
    areas: ['reference', 'targets', 'execution'],
    region: query.region ?? EVERY_REGION,
    everywhere: ['execution'],
    viewer: viewerOf(c),
    compute: (db) => getReconciliation(db, { ...query, readable: (code) => may(actor, 'read:figures', { regionCode: code }) }),
  });
});
