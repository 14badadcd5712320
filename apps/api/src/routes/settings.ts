import { RegionSettingsQuery, RegionSettingsView, UpdateRegionSettingsInput } from '@vbp/contracts/settings';
import { assertMay } from '@vbp/core/auth/actor';
import { getRegionSettings, updateRegionSettings } from '@vbp/core/settings';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';
import { cachedRead } from '../read-cache';

const read = secureRoute('read:execution', {
  method: 'get',
  path: '/settings',
  tags: ['settings'],
  summary: "A province's warning threshold and contract alert days / 预警设置",
  description: 'The defaults (threshold 0.8; alert days 180, 90, 60, 30, 7) when the province has set none (`isDefault`).',
  request: { query: RegionSettingsQuery },
  responses: { 200: jsonContent(RegionSettingsView, 'The settings in force'), ...errorResponses },
});

const update = secureRoute('write:settings', {
  method: 'put',
  path: '/settings',
  tags: ['settings'],
  summary: "Change a province's warning threshold or alert days / 修改预警设置",
  description:
    "The province's office or an administrator (national users for any region). What is not given keeps its value; audited with before and after. Every warning computed afterwards without a threshold of its own uses the new one.",
  request: jsonBody(UpdateRegionSettingsInput),
  responses: { 200: jsonContent(RegionSettingsView, 'The settings after the change'), ...errorResponses },
});

export const settingsRoutes = createRouter()
  .openapi(read, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
    return cachedRead(c, { path: '/settings', request: query, areas: ['settings', 'reference'], region: query.region, compute: (db) => getRegionSettings(db, query.region) });
  })
  .openapi(update, async (c) => {
    const { regionCode, ...changes } = c.req.valid('json');
    return c.json(await updateRegionSettings(c.get('db'), actorOf(c), regionCode, changes), 200);
  });
