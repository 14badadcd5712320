import { z } from '@hono/zod-openapi';
import { CreateTargetInput, TargetList, TargetQuery, TargetView, UpdateTargetInput } from '@vbp/contracts/api';
import { CoercedId } from '@vbp/contracts/inputs';
import { assertMay, isNational } from '@vbp/core/auth/actor';
import { listTargets } from '@vbp/core/queries/targets';
import { createTarget, deleteTarget, updateTarget } from '@vbp/core/targets';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';
import { cachedRead, EVERY_REGION } from '../read-cache';

const IdParam = z.object({ id: CoercedId });

const list = secureRoute('read:targets', {
  method: 'get',
  path: '/targets',
  tags: ['targets'],
  summary: 'Targets with progress, projection and status / 目标进度',
  description:
    'For a province: its own targets and the national ones every province reports against. Status: `met` when coverage reaches the count; `behind` once the due date has passed; otherwise `on_track` when the 24-month trend reaches the count by the due date, `at_risk` when it reaches 90% of it or coverage is on the expected path, else `behind`. Without `region`, national users get every region; provincial users their own.',
  request: { query: TargetQuery },
  responses: { 200: jsonContent(TargetList, 'Targets with their source document and clause'), ...errorResponses },
});

const create = secureRoute('write:target', {
  method: 'post',
  path: '/targets',
  tags: ['targets'],
  summary: 'Set a target with its source / 新增目标',
  request: jsonBody(CreateTargetInput),
  responses: { 201: jsonContent(TargetView, 'The target, evaluated as of today'), ...errorResponses },
});

const update = secureRoute('write:target', {
  method: 'patch',
  path: '/targets/{id}',
  tags: ['targets'],
  summary: 'Change a target / 修改目标',
  request: { params: IdParam, ...jsonBody(UpdateTargetInput) },
  responses: { 200: jsonContent(TargetView, 'The target after the change'), ...errorResponses },
});

const remove = secureRoute('write:target', {
  method: 'delete',
  path: '/targets/{id}',
  tags: ['targets'],
  summary: 'Remove a target / 删除目标',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed (audited with its values)' }, ...errorResponses },
});

export const targetRoutes = createRouter()
  .openapi(list, async (c) => {
    const actor = actorOf(c);
    const query = c.req.valid('query');
    const region = query.region ?? (isNational(actor) ? undefined : actor.regionCode);
    if (region !== undefined) assertMay(actor, 'read:figures', { regionCode: region });
    return cachedRead(c, {
      path: '/targets',
      request: { ...query, region },
      areas: ['targets', 'reference'],
      region: region ?? EVERY_REGION,
      compute: async (db) => ({ items: await listTargets(db, { ...query, region }) }),
    });
  })
  .openapi(create, async (c) => c.json(await createTarget(c.get('db'), actorOf(c), c.req.valid('json')), 201))
  .openapi(update, async (c) => c.json(await updateTarget(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(remove, async (c) => {
    await deleteTarget(c.get('db'), actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
