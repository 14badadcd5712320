import { z } from '@hono/zod-openapi';
import { BatchDetail, BatchList, BatchListQuery, BatchSummary, ProvinceVolumes, ProvinceVolumesQuery, UpdateBatchInput } from '@vbp/contracts/api';
import { singleLineText } from '@vbp/contracts/inputs';
import { isNational } from '@vbp/core/auth/actor';
import { updateBatch } from '@vbp/core/batches';
import { getBatch, listBatches } from '@vbp/core/queries/batches';
import { assertMay } from '@vbp/core/auth/actor';
import { getProvinceVolumes } from '@vbp/core/queries/province-volumes';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';
import { cachedRead, EVERY_REGION, viewerOf } from '../read-cache';

const CodeParam = z.object({ code: singleLineText({ max: 64 }).meta({ example: 'D3' }) });

const list = secureRoute('read:reference', {
  method: 'get',
  path: '/batches',
  tags: ['batches'],
  summary: 'Procurement batches, filtered and paged / 集采批次列表',
  request: { query: BatchListQuery },
  responses: { 200: jsonContent(BatchList, 'A page of batches, newest first'), 400: errorResponses[400], 500: errorResponses[500] },
});

const detail = secureRoute('read:reference', {
  method: 'get',
  path: '/batches/{code}',
  tags: ['batches'],
  summary: 'One batch: varieties, products, cuts, implementations, renewal chain / 批次详情',
  request: { params: CodeParam },
  responses: { 200: jsonContent(BatchDetail, 'The batch'), ...errorResponses },
});

const volumes = secureRoute('read:execution', {
  method: 'get',
  path: '/batches/{code}/volumes',
  tags: ['batches'],
  summary: 'A province’s agreed volumes of a batch, with the allocation check / 各省约定采购量',
  description:
    'The first-year (or `contractYear`) agreed volume of the province per variety and strength, as loaded from the joint procurement office’s table (upload kind `province-volumes`), in minimum units; beside each variety the sum of the institutions’ agreed volumes. Region 100000 sums every province (national users).',
  request: { params: CodeParam, query: ProvinceVolumesQuery },
  responses: { 200: jsonContent(ProvinceVolumes, 'The volumes'), ...errorResponses },
});

const update = secureRoute('update:batch', {
  method: 'patch',
  path: '/batches/{code}',
  tags: ['batches'],
  summary: 'Correct a batch’s metadata / 修改批次信息',
  description: 'Provincial offices may change their own province’s batches; national users any batch. Audited with before/after.',
  request: { params: CodeParam, ...jsonBody(UpdateBatchInput) },
  responses: { 200: jsonContent(BatchSummary, 'The batch after the change'), ...errorResponses },
});

/** What a provincial user may see: national batches and their own province's (national users: all). */
const visibleTo = (actor: ReturnType<typeof actorOf>) => (isNational(actor) ? undefined : actor.regionCode);

export const batchRoutes = createRouter()
  // the list and a batch show implementations of every region (and a batch the agreed volumes of every
  // province, which weight its cuts); what a provincial user may see depends on who asks
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    return cachedRead(c, {
      path: '/batches',
      request: query,
      areas: ['reference'],
      region: EVERY_REGION,
      viewer: viewerOf(c),
      compute: (db) => listBatches(db, query, visibleTo(actorOf(c))),
    });
  })
  .openapi(detail, async (c) => {
    const { code } = c.req.valid('param');
    return cachedRead(c, {
      path: '/batches/{code}',
      request: { code },
      areas: ['reference', 'execution'],
      region: EVERY_REGION,
      viewer: viewerOf(c),
      compute: (db) => getBatch(db, code, visibleTo(actorOf(c))),
    });
  })
  .openapi(volumes, async (c) => {
    const query = c.req.valid('query');
    const { code } = c.req.valid('param');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    return cachedRead(c, {
      path: '/batches/{code}/volumes',
      request: { code, ...query },
      areas: ['reference', 'execution'],
      region: query.region,
      compute: (db) => getProvinceVolumes(db, code, query),
    });
  })
  .openapi(update, async (c) => c.json(await updateBatch(c.get('db'), actorOf(c), c.req.valid('param').code, c.req.valid('json')), 200));
