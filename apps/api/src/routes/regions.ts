import { RegionList } from '@vbp/contracts/api';
import { listRegions } from '@vbp/core/queries/regions';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead, EVERY_REGION } from '../read-cache';

const list = secureRoute('read:reference', {
  method: 'get',
  path: '/regions',
  tags: ['regions'],
  summary: 'The nation, the 31 provinces and XPCC / 全国、31个省份及兵团',
  responses: { 200: jsonContent(RegionList, 'Regions in GB/T 2260 order'), 500: errorResponses[500] },
});

export const regionRoutes = createRouter().openapi(list, async (c) =>
  cachedRead(c, { path: '/regions', request: {}, areas: ['reference'], region: EVERY_REGION, compute: async (db) => ({ items: await listRegions(db) }) }),
);
