/**
 * The permission test, generated from the policy: every write operation of the OpenAPI document (by its
 * `x-action`) × every role, as a national and as a provincial (江苏) user × data of 江苏, of 北京 and national
 * data, and for uploads each status. The answer expected is derived from `decide` (@vbp/contracts/policy),
 * never restated here:
 * - `role` → 403 FORBIDDEN;
 * - `hidden` → 404 NOT_FOUND where the request names one thing (an id or a code), exactly as for a thing that
 *   does not exist; 403 where it names a region (creating in another province);
 * - `scope` → 403 FORBIDDEN;
 * - `allowed` → anything but 401, 403, 404 and 5xx (a state may still refuse: 409, 400).
 * A refused request leaves its data exactly as it was. What this file holds per operation is only how to make
 * a resource of each region and how to ask for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { NATION_CODE } from '@vbp/contracts/enums';
import { decide, isAction, type Action, type PolicyResource } from '@vbp/contracts/policy';
import { ROLES, type Role } from '@vbp/contracts/roles';
import { UPLOAD_STATUSES, type UploadStatus } from '@vbp/contracts/uploads';
import type { Db } from '@vbp/db';
import { createInstitution } from '@vbp/db/execution-factories';
import { createBatchWithVarieties, createRegion, createTarget } from '@vbp/db/factories';
import { batches, followUps, regionSettings, scenarios, targets, uploads, users } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

const OWN = '320000';
const OTHER = '110000';
const SCOPES = { own: OWN, other: OTHER, national: NATION_CODE } as const;
type Scope = keyof typeof SCOPES;

interface Case {
  path: string;
  body?: unknown;
  form?: () => FormData;
  /** The data acted on, as the policy sees it. */
  resource: PolicyResource;
  /** The request names one existing thing (an id or a code): out of sight it answers 404, as a missing one. */
  names: boolean;
  /** The row(s) a refused request must leave as they were. */
  state: () => Promise<unknown>;
}

interface Fixture {
  db: Db;
  batch: Record<Scope, { code: string; regionCode: string | null; level: 'provincial' | 'national' }>;
  institution: Record<'own' | 'other', number>;
}

const row = async (query: Promise<unknown[]>) => (await query)[0] ?? null;

function csvForm(fields: Record<string, string>): () => FormData {
  return () => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    data.append('file', new Blob(['医疗机构编码,采购月份,医保编码,采购数量\nH1,2024-01,X1,1']), 'p.csv');
    return data;
  };
}

async function newUpload(f: Fixture, scope: Scope, status: UploadStatus): Promise<number> {
  const [created] = await f.db
    .insert(uploads)
    .values({
      // the case the tester found: a national clerk's province-volumes file (every province's rows)
      kind: scope === 'national' ? 'province-volumes' : 'purchases',
      regionCode: SCOPES[scope],
      batchId: null,
      status,
      fileName: 'x.csv',
      createdBy: 'permissions',
      report: { detected: { sheet: null, mapping: { 医疗机构编码: 'institutionCode' } } },
      ...(status === 'committed' ? { committedAt: new Date(), committedBy: 'permissions' } : {}),
    })
    .returning({ id: uploads.id });
  return created!.id;
}

const uploadState = (f: Fixture, id: number) => row(f.db.select().from(uploads).where(eq(uploads.id, id)));

/** Requests per write operation and region (`status` for the operations on an upload). */
const CASES: Record<string, (f: Fixture, scope: Scope, status: UploadStatus) => Promise<Case | null>> = {
  'PATCH /api/batches/{code}': async (f, scope) => {
    const b = f.batch[scope];
    return {
      path: `/api/batches/${b.code}`,
      body: { note: 'permissions' },
      resource: { regionCode: b.regionCode, batchLevel: b.level },
      names: true,
      state: () => row(f.db.select({ note: batches.note }).from(batches).where(eq(batches.code, b.code))),
    };
  },
  'POST /api/targets': async (f, scope) => ({
    path: '/api/targets',
    body: { regionCode: SCOPES[scope], productType: 'drug', unit: 'variety', count: 10, setOn: '2024-01-01', dueOn: '2025-12-31', clause: '一' },
    resource: { regionCode: SCOPES[scope] },
    names: false,
    state: () => f.db.select({ id: targets.id }).from(targets).where(eq(targets.regionCode, SCOPES[scope])),
  }),
  'PATCH /api/targets/{id}': async (f, scope) => targetCase(f, scope, { count: 12 }),
  'DELETE /api/targets/{id}': async (f, scope) => targetCase(f, scope),
  'POST /api/scenarios': async (f, scope) => ({
    path: '/api/scenarios',
    body: { name: `规划${Math.random().toString(36).slice(2, 10)}`, regionCode: SCOPES[scope], batches: [{ name: '省级', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 5 }] },
    resource: { regionCode: SCOPES[scope] },
    names: false,
    state: () => f.db.select({ id: scenarios.id }).from(scenarios).where(eq(scenarios.regionCode, SCOPES[scope])),
  }),
  'PATCH /api/scenarios/{id}': async (f, scope) => scenarioCase(f, scope, { note: 'permissions' }),
  'DELETE /api/scenarios/{id}': async (f, scope) => scenarioCase(f, scope),
  'PUT /api/settings': async (f, scope) => ({
    path: '/api/settings',
    body: { regionCode: SCOPES[scope], progressWarningThreshold: 0.75 },
    resource: { regionCode: SCOPES[scope] },
    names: false,
    state: () => row(f.db.select().from(regionSettings).where(eq(regionSettings.regionCode, SCOPES[scope]))),
  }),
  'POST /api/follow-ups': async (f, scope) => {
    if (scope === 'national') return null; // a follow-up belongs to a hospital, in a province
    return {
      path: '/api/follow-ups',
      body: { regionCode: SCOPES[scope], institutionId: f.institution[scope], reason: 'other', dueOn: '2024-12-31' },
      resource: { regionCode: SCOPES[scope] },
      names: false,
      state: () => f.db.select({ id: followUps.id }).from(followUps).where(eq(followUps.regionCode, SCOPES[scope])),
    };
  },
  'PATCH /api/follow-ups/{id}': async (f, scope) => {
    if (scope === 'national') return null;
    const regionCode = SCOPES[scope];
    const [item] = await f.db
      .insert(followUps)
      .values({ regionCode, institutionId: f.institution[scope], reason: 'other', dueOn: '2024-12-31', createdBy: 'permissions', updatedBy: 'permissions' })
      .returning({ id: followUps.id });
    return {
      path: `/api/follow-ups/${item!.id}?region=${regionCode}`,
      body: { status: 'closed' },
      resource: { regionCode },
      names: true,
      state: () => row(f.db.select().from(followUps).where(eq(followUps.id, item!.id))),
    };
  },
  'POST /api/users': async (f, scope) => ({
    path: '/api/users',
    body: { username: `p${Math.random().toString(36).slice(2, 12)}`, displayName: 'x', role: 'leader', regionCode: SCOPES[scope], password: 'a long enough password' },
    resource: { regionCode: SCOPES[scope] },
    names: false,
    state: () => f.db.select({ id: users.id }).from(users).where(eq(users.regionCode, SCOPES[scope])),
  }),
  'PATCH /api/users/{id}': async (f, scope) => userCase(f, scope, '', { displayName: 'renamed' }),
  'POST /api/users/{id}/reset-password': async (f, scope) => userCase(f, scope, '/reset-password', { newPassword: 'another long password' }),
  'POST /api/uploads': async (f, scope) => ({
    path: '/api/uploads',
    form: scope === 'national' ? csvForm({ kind: 'batch-results', batch: f.batch.national.code }) : csvForm({ kind: 'purchases', region: SCOPES[scope] }),
    resource: { regionCode: SCOPES[scope] },
    names: false,
    state: () => f.db.select({ id: uploads.id }).from(uploads).where(eq(uploads.regionCode, SCOPES[scope])),
  }),
  'POST /api/uploads/{id}/reprocess': async (f, scope, status) => uploadCase(f, scope, status, 'reprocess', {}),
  'POST /api/uploads/{id}/commit': async (f, scope, status) => uploadCase(f, scope, status, 'commit', { acknowledgeWarnings: true }),
  'POST /api/uploads/{id}/revert': async (f, scope, status) => uploadCase(f, scope, status, 'revert'),
  'POST /api/upload-mappings': async (f, scope, status) => {
    const id = await newUpload(f, scope, status);
    return {
      path: '/api/upload-mappings',
      body: { uploadId: id, name: 'permissions' },
      resource: { regionCode: SCOPES[scope] },
      names: true,
      state: () => uploadState(f, id),
    };
  },
};

/** The operations on an upload are tried on an upload in each status. */
const PER_STATUS = new Set(['POST /api/uploads/{id}/reprocess', 'POST /api/uploads/{id}/commit', 'POST /api/uploads/{id}/revert', 'POST /api/upload-mappings']);

async function targetCase(f: Fixture, scope: Scope, body?: unknown): Promise<Case> {
  const target = await createTarget(f.db, { regionCode: SCOPES[scope], count: 5, setOn: '2024-01-01', dueOn: '2025-12-31' });
  return { path: `/api/targets/${target.id}`, body, resource: { regionCode: SCOPES[scope] }, names: true, state: () => row(f.db.select().from(targets).where(eq(targets.id, target.id))) };
}

async function scenarioCase(f: Fixture, scope: Scope, body?: unknown): Promise<Case | null> {
  if (scope === 'national') return null; // a scenario is planned for a province
  const [s] = await f.db.insert(scenarios).values({ regionCode: SCOPES[scope], name: `规划${Math.random().toString(36).slice(2, 10)}`, createdBy: 'permissions' }).returning({ id: scenarios.id });
  return { path: `/api/scenarios/${s!.id}`, body, resource: { regionCode: SCOPES[scope] }, names: true, state: () => row(f.db.select().from(scenarios).where(eq(scenarios.id, s!.id))) };
}

async function userCase(f: Fixture, scope: Scope, suffix: string, body: unknown): Promise<Case> {
  const user = await createTestUser(f.db, 'leader', SCOPES[scope]);
  return { path: `/api/users/${user.id}${suffix}`, body, resource: { regionCode: SCOPES[scope] }, names: true, state: () => row(f.db.select().from(users).where(eq(users.id, user.id))) };
}

async function uploadCase(f: Fixture, scope: Scope, status: UploadStatus, verb: string, body?: unknown): Promise<Case> {
  const id = await newUpload(f, scope, status);
  return { path: `/api/uploads/${id}/${verb}`, body, resource: { regionCode: SCOPES[scope] }, names: true, state: () => uploadState(f, id) };
}

interface Operation {
  key: string;
  method: string;
  action: Action;
}

function expectedAnswer(role: Role, regionCode: string, action: Action, c: Case): { status: number; code: string } | 'allowed' {
  const decision = decide({ role, regionCode }, action, c.resource);
  if (decision === 'allowed') return 'allowed';
  if (decision === 'hidden' && c.names) return { status: 404, code: 'NOT_FOUND' };
  return { status: 403, code: 'FORBIDDEN' };
}

async function send(client: Client, method: string, c: Case) {
  return c.form ? client.sendForm(c.path, c.form()) : client.send(method, c.path, c.body);
}

describe.each(TEST_ENGINES)('permissions from the policy on %s', (engine) => {
  let t: TestApp;
  let fixture: Fixture;
  let operations: Operation[];
  const clients = new Map<string, { client: Client; role: Role; regionCode: string }>();

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    await createRegion(db, { code: OWN, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: OTHER, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const own = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: OWN });
    const other = await createBatchWithVarieties(db, 1, { level: 'provincial', regionCode: OTHER });
    const national = await createBatchWithVarieties(db, 1, { level: 'national' });
    fixture = {
      db,
      batch: {
        own: { code: own.batch.code, regionCode: OWN, level: 'provincial' },
        other: { code: other.batch.code, regionCode: OTHER, level: 'provincial' },
        national: { code: national.batch.code, regionCode: null, level: 'national' },
      },
      institution: {
        own: (await createInstitution(db, { regionCode: OWN, cityCode: '320100', cityName: '南京市' })).id,
        other: (await createInstitution(db, { regionCode: OTHER, cityCode: '110100', cityName: '北京市' })).id,
      },
    };
    for (const role of ROLES)
      for (const regionCode of [NATION_CODE, OWN]) clients.set(`${role}@${regionCode}`, { client: await signIn(t.app, await createTestUser(db, role, regionCode)), role, regionCode });
    const doc = (await t.get('/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-permission'?: string; 'x-action'?: string }>> };
    operations = [];
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods)) {
        if (method === 'get' || op['x-permission'] === 'public' || op['x-permission'] === 'authenticated') continue;
        const key = `${method.toUpperCase()} ${path}`;
        expect(op['x-action'], `${key} writes but declares no x-action (a policy action)`).toBeDefined();
        expect(isAction(op['x-action']!), `${key}: ${op['x-action']} is not in the policy`).toBe(true);
        operations.push({ key, method: method.toUpperCase(), action: op['x-action'] as Action });
      }
  });
  afterAll(() => t?.database.close());

  it('finds every write operation, each with a policy action and a way to make its resource', () => {
    for (const op of operations) expect(CASES[op.key], `${op.key} has no case in permissions.test.ts`).toBeDefined();
    expect(operations.map((op) => op.key).sort()).toEqual(Object.keys(CASES).sort());
  });

  it('answers every write × role × region × upload status as the policy decides, and a refusal changes nothing', async () => {
    const tally = { sent: 0, allowed: 0, forbidden: 0, hidden: 0 };
    for (const op of operations) {
      for (const scope of Object.keys(SCOPES) as Scope[]) {
        for (const status of PER_STATUS.has(op.key) ? UPLOAD_STATUSES : (['invalid'] as const)) {
          for (const { client, role, regionCode } of clients.values()) {
            const c = await CASES[op.key]!(fixture, scope, status);
            if (!c) continue;
            const before = await c.state();
            const res = await send(client, op.method, c);
            tally.sent++;
            const expected = expectedAnswer(role, regionCode, op.action, c);
            const label = `${op.key} as ${role}@${regionCode} on ${scope} data${PER_STATUS.has(op.key) ? ` (${status})` : ''}`;
            if (expected === 'allowed') {
              tally.allowed++;
              expect([401, 403, 404], `${label}: ${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
              expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
            } else {
              tally[expected.status === 404 ? 'hidden' : 'forbidden']++;
              expect([label, res.status, res.body?.error?.code]).toEqual([label, expected.status, expected.code]);
              expect(await c.state(), `${label} changed its data`).toEqual(before);
            }
          }
        }
      }
    }
    console.log(`permissions on ${engine}: ${tally.sent} requests over ${operations.length} write operations: ${tally.allowed} allowed, ${tally.forbidden} refused (403), ${tally.hidden} answered as missing (404)`);
  }, 600_000);

  it('keeps a provincial clerk off a national upload: reprocess and commit answer as for a missing upload, revert is not the role’s, and it stays as it was', async () => {
    const clerk = clients.get(`clerk@${OWN}`)!.client;
    const id = await newUpload(fixture, 'national', 'validated');
    const before = await uploadState(fixture, id);
    const missing = await clerk.send('POST', '/api/uploads/2147483000/commit', { acknowledgeWarnings: true });
    for (const verb of ['reprocess', 'commit']) {
      const res = await clerk.send('POST', `/api/uploads/${id}/${verb}`, { acknowledgeWarnings: true });
      expect([verb, res.status, res.body.error.code]).toEqual([verb, 404, 'NOT_FOUND']);
      expect(res.body.error.message.replace(String(id), 'N')).toBe(missing.body.error.message.replace('2147483000', 'N'));
    }
    const revert = await clerk.send('POST', `/api/uploads/${id}/revert`);
    expect([revert.status, revert.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await clerk.send('DELETE', `/api/uploads/${id}`)).status).toBe(404);
    expect((await clerk.get(`/api/uploads/${id}`)).status).toBe(404);
    expect(await uploadState(fixture, id)).toEqual(before);
  });
});
