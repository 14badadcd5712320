import { ContractPeriods, ContractPeriodsQuery } from '@vbp/contracts/contract-periods';
import { assertMay } from '@vbp/core/auth/actor';
import { listContractPeriods } from '@vbp/core/queries/contract-periods';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead } from '../read-cache';

const list = secureRoute('read:coverage', {
  method: 'get',
  path: '/contracts',
  tags: ['contracts'],
  summary: 'Contract periods of the batches implemented in a region, with renewal status / 合同协议期',
  description:
    'Every batch implemented in the region on or before the date: implementation start → contract end there (estimated dates flagged, unknown ends null), days left, state (`ending_soon` within `windowDays`: the region’s largest contract alert day, its setting or the default 180, as `windowSource` says) and the renewal batch (接续采购) if one is implemented in the region. `region=100000`: national batches, each folded over the provinces implementing it (earliest start, earliest known end).',
  request: { query: ContractPeriodsQuery },
  responses: { 200: jsonContent(ContractPeriods, 'Contract periods, by start date'), ...errorResponses },
});

export const contractRoutes = createRouter().openapi(list, async (c) => {
  const query = c.req.valid('query');
  assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
  return cachedRead(c, { path: '/contracts', request: query, areas: ['reference', 'settings'], region: query.region, compute: (db) => listContractPeriods(db, query) });
});
