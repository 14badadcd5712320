import { Coverage, CoverageQuery, CoverageSeries, CoverageSeriesQuery } from '@vbp/contracts/api';
import { getCoverage, getCoverageSeries } from '@vbp/core/queries/coverage';
import { assertMay } from '@vbp/core/auth/actor';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead } from '../read-cache';

const coverage = secureRoute('read:coverage', {
  method: 'get',
  path: '/coverage',
  tags: ['coverage'],
  summary: 'VBP coverage of a region at a date / 集采品种覆盖',
  description:
    'Distinct varieties (or categories) in every batch implemented in the region on or before the date: national batches, alliance batches of member provinces, the province’s own batches. A renewal adds no new variety; a failed tender covers nothing. `region=100000` is the whole country (national batches only).',
  request: { query: CoverageQuery },
  responses: { 200: jsonContent(Coverage, 'Cumulative and in-force counts, by level'), ...errorResponses },
});

const series = secureRoute('read:coverage', {
  method: 'get',
  path: '/coverage/series',
  tags: ['coverage'],
  summary: 'Coverage by month / 按月覆盖',
  request: { query: CoverageSeriesQuery },
  responses: { 200: jsonContent(CoverageSeries, 'Month-end points; the last point is `to` itself'), ...errorResponses },
});

export const coverageRoutes = createRouter()
  .openapi(coverage, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
    return cachedRead(c, { path: '/coverage', request: query, areas: ['reference'], region: query.region, compute: (db) => getCoverage(db, query) });
  })
  .openapi(series, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
    return cachedRead(c, { path: '/coverage/series', request: query, areas: ['reference'], region: query.region, compute: (db) => getCoverageSeries(db, query) });
  });
