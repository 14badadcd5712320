import { createRoute, z } from '@hono/zod-openapi';
import { BatchDetail, BatchList, BatchListQuery } from '@vbp/contracts/api';
import { getBatch, listBatches } from '@vbp/core/queries/batches';
import { createRouter, errorResponses, jsonContent } from '../router';

const list = createRoute({
  method: 'get',
  path: '/batches',
  tags: ['batches'],
  summary: 'Procurement batches, filtered and paged / 集采批次列表',
  request: { query: BatchListQuery },
  responses: { 200: jsonContent(BatchList, 'A page of batches, newest first'), 400: errorResponses[400], 500: errorResponses[500] },
});

const detail = createRoute({
  method: 'get',
  path: '/batches/{code}',
  tags: ['batches'],
  summary: 'One batch: varieties, products, cuts, implementations, renewal chain / 批次详情',
  request: { params: z.object({ code: z.string().min(1).max(64).meta({ example: 'D3' }) }) },
  responses: { 200: jsonContent(BatchDetail, 'The batch'), ...errorResponses },
});

export const batchRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listBatches(c.get('db'), c.req.valid('query')), 200))
  .openapi(detail, async (c) => c.json(await getBatch(c.get('db'), c.req.valid('param').code), 200));
