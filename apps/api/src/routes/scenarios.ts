import { z } from '@hono/zod-openapi';
import { CreateScenarioInput, ScenarioList, ScenarioProjection, ScenarioQuery, ScenarioView, UpdateScenarioInput } from '@vbp/contracts/scenarios';
import { CoercedId, DateInput } from '@vbp/contracts/inputs';
import { assertMay, isNational } from '@vbp/core/auth/actor';
import { getScenario, listScenarios, projectScenario } from '@vbp/core/queries/scenarios';
import { createScenario, deleteScenario, updateScenario } from '@vbp/core/scenarios';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';
import { cachedRead, EVERY_REGION, viewerOf } from '../read-cache';

const IdParam = z.object({ id: CoercedId });
const ProjectionQuery = z.object({ date: DateInput.optional().meta({ description: 'project as of this date (default today, CST)' }) });

const list = secureRoute('read:targets', {
  method: 'get',
  path: '/scenarios',
  tags: ['scenarios'],
  summary: "A province's scenarios / 规划列表",
  description: "The what-if plans (规划) of a province, by name, a page at a time. Without `region`, the user's own province (every province's for a national user). Scenarios never enter coverage or any published figure.",
  request: { query: ScenarioQuery },
  responses: { 200: jsonContent(ScenarioList, 'Scenarios with their planned batches'), ...errorResponses },
});

const get = secureRoute('read:targets', {
  method: 'get',
  path: '/scenarios/{id}',
  tags: ['scenarios'],
  summary: 'A scenario / 规划',
  request: { params: IdParam },
  responses: { 200: jsonContent(ScenarioView, 'The scenario with its planned batches'), ...errorResponses },
});

const projection = secureRoute('read:targets', {
  method: 'get',
  path: '/scenarios/{id}/projection',
  tags: ['scenarios'],
  summary: 'A scenario against the targets / 规划推演',
  description:
    "Per target of the scenario's province (its own and the national per-province ones): the baseline projected count at the due date and met date (the targets' 24-month trend) beside the scenario's (the baseline plus each planned batch's net new varieties from its implementation date). Planned names are matched against what the province covers today as uploads match names; the overlap is listed.",
  request: { params: IdParam, query: ProjectionQuery },
  responses: { 200: jsonContent(ScenarioProjection, 'The projection, with its assumptions'), ...errorResponses },
});

const create = secureRoute('write:scenario', {
  method: 'post',
  path: '/scenarios',
  tags: ['scenarios'],
  summary: 'Save a scenario / 新增规划',
  request: jsonBody(CreateScenarioInput),
  responses: { 201: jsonContent(ScenarioView, 'The scenario as saved'), ...errorResponses },
});

const update = secureRoute('write:scenario', {
  method: 'patch',
  path: '/scenarios/{id}',
  tags: ['scenarios'],
  summary: 'Change a scenario / 修改规划',
  description: 'Batches, when given, replace the whole list.',
  request: { params: IdParam, ...jsonBody(UpdateScenarioInput) },
  responses: { 200: jsonContent(ScenarioView, 'The scenario after the change'), ...errorResponses },
});

const remove = secureRoute('write:scenario', {
  method: 'delete',
  path: '/scenarios/{id}',
  tags: ['scenarios'],
  summary: 'Remove a scenario / 删除规划',
  request: { params: IdParam },
  responses: { 204: { description: 'Removed (audited with its values)' }, ...errorResponses },
});

/**
 * The region whose versions a scenario read by id depends on, before the scenario is loaded: a provincial
 * user reads only their own province's scenarios (any other answers 404, and stays so); a national user any.
 */
const scenarioRegion = (actor: ReturnType<typeof actorOf>) => (isNational(actor) ? EVERY_REGION : actor.regionCode);

export const scenarioRoutes = createRouter()
  .openapi(list, async (c) => {
    const actor = actorOf(c);
    const query = c.req.valid('query');
    const region = query.region ?? (isNational(actor) ? undefined : actor.regionCode);
    if (region !== undefined) assertMay(actor, 'read:scenario', { regionCode: region });
    return cachedRead(c, {
      path: '/scenarios',
      request: { ...query, region },
      areas: ['planning', 'reference'],
      region: region ?? EVERY_REGION,
      compute: (db) => listScenarios(db, { ...query, region }),
    });
  })
  .openapi(get, async (c) => {
    const actor = actorOf(c);
    const { id } = c.req.valid('param');
    return cachedRead(c, { path: '/scenarios/{id}', request: { id }, areas: ['planning'], region: scenarioRegion(actor), viewer: viewerOf(c), compute: (db) => getScenario(db, actor, id) });
  })
  .openapi(projection, async (c) => {
    const actor = actorOf(c);
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    return cachedRead(c, {
      path: '/scenarios/{id}/projection',
      request: { id, ...query },
      areas: ['planning', 'reference', 'targets'],
      region: scenarioRegion(actor),
      viewer: viewerOf(c),
      compute: (db) => projectScenario(db, actor, id, query),
    });
  })
  .openapi(create, async (c) => c.json(await createScenario(c.get('db'), actorOf(c), c.req.valid('json')), 201))
  .openapi(update, async (c) => c.json(await updateScenario(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(remove, async (c) => {
    await deleteScenario(c.get('db'), actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
