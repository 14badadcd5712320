/**
 * The role matrix: every operation of the OpenAPI document, for no session (401), each role as a national
 * and as a provincial user (allowed, or 403), and a provincial user against another province's data (403, or 404 where the request names one thing:
 * permissions.test.ts derives each answer from the policy).
 * A new route without a declared permission, or without a sample request here, fails this suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Permission, type Role } from '@vbp/contracts/roles';
import { createBatchWithVarieties, createImplementation, createRegion, createTarget } from '@vbp/db/factories';
import { uploads } from '@vbp/db/schema';
import { scenarioBatches, scenarios } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { anonymous, createTestUser, openTestApp, signIn, type Client, type TestApp, type TestUser } from './helpers';

const OWN = '320000';
const OTHER = '110000';

interface Sample {
  path: string;
  body?: unknown;
  /** A multipart form instead of JSON (uploads). */
  form?: () => FormData;
}

interface Fixture {
  ownBatch: string;
  otherBatch: string;
  nationalBatch: string;
  newTarget(region: string): Promise<number>;
  newUser(region?: string): Promise<number>;
  newUpload(region: string): Promise<number>;
  newScenario(region: string): Promise<number>;
}

function csvForm(fields: Record<string, string>): () => FormData {
  return () => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    data.append('file', new Blob(['医疗机构编码,采购月份,医保编码,采购数量\nH1,2024-01,X1,1']), 'p.csv');
    return data;
  };
}

/**
 * One sample request per operation: `own` touches the acting user's province (or national data), `other`
 * another province's, for the operations whose data belongs to a province.
 */
const SAMPLES: Record<string, (f: Fixture) => Promise<{ own: Sample; other?: Sample }>> = {
  'GET /api/health': async () => ({ own: { path: '/api/health' } }),
  'POST /api/auth/login': async () => ({ own: { path: '/api/auth/login', body: { username: 'nobody', password: 'wrong password' } } }),
  'POST /api/auth/logout': async () => ({ own: { path: '/api/auth/logout' } }),
  'GET /api/auth/me': async () => ({ own: { path: '/api/auth/me' } }),
  // an invalid new password: allowed callers get 400, so the matrix does not change anyone's password
  'POST /api/auth/password': async () => ({ own: { path: '/api/auth/password', body: { currentPassword: 'x', newPassword: 'short' } } }),
  'GET /api/regions': async () => ({ own: { path: '/api/regions' } }),
  'GET /api/documents': async () => ({ own: { path: '/api/documents' } }),
  'GET /api/batches': async () => ({ own: { path: `/api/batches?region=${OWN}` } }),
  'GET /api/batches/{code}': async (f) => ({ own: { path: `/api/batches/${f.nationalBatch}` }, other: { path: `/api/batches/${f.otherBatch}` } }),
  'GET /api/batches/{code}/volumes': async (f) => ({
    own: { path: `/api/batches/${f.nationalBatch}/volumes?region=${OWN}` },
    other: { path: `/api/batches/${f.nationalBatch}/volumes?region=${OTHER}` },
  }),
  'PATCH /api/batches/{code}': async (f) => ({
    own: { path: `/api/batches/${f.ownBatch}`, body: { note: 'matrix' } },
    other: { path: `/api/batches/${f.otherBatch}`, body: { note: 'matrix' } },
  }),
  'GET /api/coverage': async () => ({
    own: { path: `/api/coverage?region=${OWN}&type=drug&date=2024-06-30` },
    other: { path: `/api/coverage?region=${OTHER}&type=drug&date=2024-06-30` },
  }),
  'GET /api/coverage/series': async () => ({
    own: { path: `/api/coverage/series?region=${OWN}&type=drug&to=2024-06-30` },
    other: { path: `/api/coverage/series?region=${OTHER}&type=drug&to=2024-06-30` },
  }),
  'GET /api/targets': async () => ({ own: { path: `/api/targets?region=${OWN}` }, other: { path: `/api/targets?region=${OTHER}` } }),
  'POST /api/targets': async () => {
    const body = (regionCode: string) => ({ regionCode, productType: 'drug', unit: 'variety', count: 10, setOn: '2024-01-01', dueOn: '2025-12-31', clause: '一' });
    return { own: { path: '/api/targets', body: body(OWN) }, other: { path: '/api/targets', body: body(OTHER) } };
  },
  'PATCH /api/targets/{id}': async (f) => ({
    own: { path: `/api/targets/${await f.newTarget(OWN)}`, body: { count: 12 } },
    other: { path: `/api/targets/${await f.newTarget(OTHER)}`, body: { count: 12 } },
  }),
  'DELETE /api/targets/{id}': async (f) => ({
    own: { path: `/api/targets/${await f.newTarget(OWN)}` },
    other: { path: `/api/targets/${await f.newTarget(OTHER)}` },
  }),
  'GET /api/scenarios': async () => ({ own: { path: `/api/scenarios?region=${OWN}` }, other: { path: `/api/scenarios?region=${OTHER}` } }),
  'POST /api/scenarios': async () => {
    const body = (regionCode: string) => ({
      name: `规划${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
      regionCode,
      batches: [{ name: '省级', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varieties: ['阿托伐他汀'] }],
    });
    return { own: { path: '/api/scenarios', body: body(OWN) }, other: { path: '/api/scenarios', body: body(OTHER) } };
  },
  'GET /api/scenarios/{id}': async (f) => ({ own: { path: `/api/scenarios/${await f.newScenario(OWN)}` }, other: { path: `/api/scenarios/${await f.newScenario(OTHER)}` } }),
  'GET /api/scenarios/{id}/projection': async (f) => ({
    own: { path: `/api/scenarios/${await f.newScenario(OWN)}/projection?date=2024-06-30` },
    other: { path: `/api/scenarios/${await f.newScenario(OTHER)}/projection?date=2024-06-30` },
  }),
  'PATCH /api/scenarios/{id}': async (f) => ({
    own: { path: `/api/scenarios/${await f.newScenario(OWN)}`, body: { note: 'matrix' } },
    other: { path: `/api/scenarios/${await f.newScenario(OTHER)}`, body: { note: 'matrix' } },
  }),
  'DELETE /api/scenarios/{id}': async (f) => ({
    own: { path: `/api/scenarios/${await f.newScenario(OWN)}` },
    other: { path: `/api/scenarios/${await f.newScenario(OTHER)}` },
  }),
  'GET /api/overview': async () => ({
    own: { path: `/api/overview?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/overview?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/reconciliation': async () => ({
    own: { path: `/api/reconciliation?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/reconciliation?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/contracts': async () => ({
    own: { path: `/api/contracts?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/contracts?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/contracts/alerts': async () => ({
    own: { path: `/api/contracts/alerts?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/contracts/alerts?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/contracts/alerts/export.xlsx': async () => ({
    own: { path: `/api/contracts/alerts/export.xlsx?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/contracts/alerts/export.xlsx?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/settings': async () => ({ own: { path: `/api/settings?region=${OWN}` }, other: { path: `/api/settings?region=${OTHER}` } }),
  // the default threshold written as a setting: the matrix leaves the answers as they were
  'PUT /api/settings': async () => ({
    own: { path: '/api/settings', body: { regionCode: OWN, progressWarningThreshold: 0.8 } },
    other: { path: '/api/settings', body: { regionCode: OTHER, progressWarningThreshold: 0.8 } },
  }),
  'GET /api/execution': async () => ({
    own: { path: `/api/execution?region=${OWN}&date=2024-06-30&by=institution` },
    other: { path: `/api/execution?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/execution/summary': async () => ({
    own: { path: `/api/execution/summary?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/execution/summary?region=${OTHER}&date=2024-06-30` },
  }),
  // no institution in the fixture: allowed callers get 404 for their own region, 403 across provinces
  'GET /api/execution/institutions/{id}': async () => ({
    own: { path: `/api/execution/institutions/1?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/execution/institutions/1?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/execution/export.xlsx': async () => ({
    own: { path: `/api/execution/export.xlsx?region=${OWN}&date=2024-06-30` },
    other: { path: `/api/execution/export.xlsx?region=${OTHER}&date=2024-06-30` },
  }),
  'GET /api/follow-ups': async () => ({ own: { path: `/api/follow-ups?region=${OWN}` }, other: { path: `/api/follow-ups?region=${OTHER}` } }),
  'GET /api/follow-ups/counts': async () => ({ own: { path: `/api/follow-ups/counts?region=${OWN}` }, other: { path: `/api/follow-ups/counts?region=${OTHER}` } }),
  'GET /api/follow-ups/export.xlsx': async () => ({ own: { path: `/api/follow-ups/export.xlsx?region=${OWN}` }, other: { path: `/api/follow-ups/export.xlsx?region=${OTHER}` } }),
  // no institution in the fixture: allowed callers get 400 (unknown institution) in their region, 403 across provinces
  'POST /api/follow-ups': async () => {
    const body = (regionCode: string) => ({ regionCode, institutionId: 999999, reason: 'other', dueOn: '2024-12-31' });
    return { own: { path: '/api/follow-ups', body: body(OWN) }, other: { path: '/api/follow-ups', body: body(OTHER) } };
  },
  'PATCH /api/follow-ups/{id}': async () => ({
    own: { path: `/api/follow-ups/999999?region=${OWN}`, body: { status: 'closed' } },
    other: { path: `/api/follow-ups/999999?region=${OTHER}`, body: { status: 'closed' } },
  }),
  'GET /api/users': async () => ({ own: { path: '/api/users' } }),
  'POST /api/users': async () => {
    const body = (regionCode: string) => ({ username: `u${Date.now()}${Math.random().toString(36).slice(2, 8)}`, displayName: 'x', role: 'leader', regionCode, password: 'a long enough password' });
    return { own: { path: '/api/users', body: body(OWN) }, other: { path: '/api/users', body: body(OTHER) } };
  },
  'PATCH /api/users/{id}': async (f) => ({
    own: { path: `/api/users/${await f.newUser()}`, body: { displayName: 'renamed' } },
    other: { path: `/api/users/${await f.newUser(OTHER)}`, body: { displayName: 'renamed' } },
  }),
  'POST /api/users/{id}/reset-password': async (f) => ({
    own: { path: `/api/users/${await f.newUser()}/reset-password`, body: { newPassword: 'another long password' } },
    other: { path: `/api/users/${await f.newUser(OTHER)}/reset-password`, body: { newPassword: 'another long password' } },
  }),
  'GET /api/audit': async () => ({ own: { path: '/api/audit' } }),
  'POST /api/uploads': async () => ({
    own: { path: '/api/uploads', form: csvForm({ kind: 'purchases', region: OWN }) },
    other: { path: '/api/uploads', form: csvForm({ kind: 'purchases', region: OTHER }) },
  }),
  'GET /api/uploads': async () => ({ own: { path: '/api/uploads' } }),
  'GET /api/uploads/{id}': async (f) => ({ own: { path: `/api/uploads/${await f.newUpload(OWN)}` }, other: { path: `/api/uploads/${await f.newUpload(OTHER)}` } }),
  'POST /api/uploads/{id}/reprocess': async (f) => ({
    own: { path: `/api/uploads/${await f.newUpload(OWN)}/reprocess`, body: {} },
    other: { path: `/api/uploads/${await f.newUpload(OTHER)}/reprocess`, body: {} },
  }),
  'POST /api/uploads/{id}/commit': async (f) => ({
    own: { path: `/api/uploads/${await f.newUpload(OWN)}/commit`, body: { acknowledgeWarnings: true } },
    other: { path: `/api/uploads/${await f.newUpload(OTHER)}/commit`, body: { acknowledgeWarnings: true } },
  }),
  'POST /api/uploads/{id}/revert': async (f) => ({
    own: { path: `/api/uploads/${await f.newUpload(OWN)}/revert` },
    other: { path: `/api/uploads/${await f.newUpload(OTHER)}/revert` },
  }),
  'GET /api/templates/{file}': async () => ({ own: { path: '/api/templates/purchases.xlsx' } }),
  'GET /api/upload-mappings': async () => ({ own: { path: '/api/upload-mappings?kind=purchases' } }),
  'POST /api/upload-mappings': async (f) => ({
    own: { path: '/api/upload-mappings', body: { uploadId: await f.newUpload(OWN), name: 'm' } },
    other: { path: '/api/upload-mappings', body: { uploadId: await f.newUpload(OTHER), name: 'm' } },
  }),
  'GET /api/audit/export.csv': async () => ({ own: { path: '/api/audit/export.csv' } }),
};

interface Operation {
  key: string;
  method: string;
  permission: Permission | 'authenticated' | 'public' | undefined;
}

function allowed(role: Role, permission: Operation['permission']): boolean {
  if (permission === 'public' || permission === 'authenticated') return true;
  return permission !== undefined && can(role, permission);
}

async function call(client: Client, method: string, sample: Sample) {
  if (sample.form) return client.sendForm(sample.path, sample.form());
  return method === 'GET' ? client.get(sample.path) : client.send(method, sample.path, sample.body);
}

describe.each(TEST_ENGINES)('role matrix on %s', (engine) => {
  let t: TestApp;
  let operations: Operation[];
  let fixture: Fixture;
  const people = new Map<string, TestUser>();

  beforeAll(async () => {
    t = await openTestApp(engine);
    const db = t.database.db;
    await createRegion(db, { code: OWN, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: OTHER, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const own = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: OWN });
    const other = await createBatchWithVarieties(db, 2, { level: 'provincial', regionCode: OTHER });
    const national = await createBatchWithVarieties(db, 2, { level: 'national' });
    await createImplementation(db, { batchId: own.batch.id, regionCode: OWN, startOn: '2023-01-01' });
    await createImplementation(db, { batchId: other.batch.id, regionCode: OTHER, startOn: '2023-01-01' });
    fixture = {
      ownBatch: own.batch.code,
      otherBatch: other.batch.code,
      nationalBatch: national.batch.code,
      newTarget: async (regionCode) => (await createTarget(db, { regionCode, count: 5, setOn: '2024-01-01', dueOn: '2025-12-31' })).id,
      newUser: async (region = OWN) => (await createTestUser(db, 'leader', region)).id,
      // an upload that failed validation: every action on it is refused by state, never by a crash
      newUpload: async (regionCode) =>
        (await db.insert(uploads).values({ kind: 'purchases', regionCode, status: 'invalid', fileName: 'x.csv', createdBy: 'matrix' }).returning({ id: uploads.id }))[0]!.id,
      newScenario: async (regionCode) => {
        const [row] = await db.insert(scenarios).values({ regionCode, name: `规划${Date.now()}${Math.random().toString(36).slice(2, 8)}`, createdBy: 'matrix' }).returning({ id: scenarios.id });
        await db.insert(scenarioBatches).values({ scenarioId: row!.id, position: 0, name: '省级', level: 'provincial', productType: 'drug', implementationDate: '2026-01-01', varietyCount: 5 });
        return row!.id;
      },
    };
    for (const role of ROLES) {
      people.set(`${role}@national`, await createTestUser(db, role, '100000'));
      people.set(`${role}@provincial`, await createTestUser(db, role, OWN));
    }
    const doc = (await t.get('/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-permission'?: Operation['permission'] }>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), permission: op['x-permission'] })),
    );
  });
  afterAll(() => t?.database.close());

  it('finds the operations, each with a declared permission and a sample request', () => {
    expect(operations.length).toBeGreaterThanOrEqual(Object.keys(SAMPLES).length);
    for (const op of operations) {
      expect(op.permission, `${op.key} declares no x-permission`).toBeDefined();
      expect(SAMPLES[op.key], `${op.key} has no sample request in security.test.ts`).toBeDefined();
    }
  });

  it('answers 401 to every non-public operation without a session', async () => {
    const nobody = anonymous(t.app);
    for (const op of operations) {
      if (op.permission === 'public') continue;
      const sample = await SAMPLES[op.key]!(fixture);
      const res = await call(nobody, op.method, sample.own);
      expect([op.key, res.status, res.body?.error?.code]).toEqual([op.key, 401, 'UNAUTHENTICATED']);
    }
  });

  for (const role of ROLES) {
    for (const scope of ['national', 'provincial'] as const) {
      it(`lets a ${scope} ${role} do exactly what the role may, within its region`, async () => {
        const person = people.get(`${role}@${scope}`)!;
        const client = await signIn(t.app, person);
        for (const op of operations) {
          if (op.permission === 'public') continue;
          // sign-out ends the session: give it one of its own
          const actor = op.key === 'POST /api/auth/logout' ? await signIn(t.app, person) : client;
          const sample = await SAMPLES[op.key]!(fixture);
          const res = await call(actor, op.method, sample.own);
          if (allowed(role, op.permission)) {
            expect([op.key, res.status], JSON.stringify(res.body)).not.toEqual([op.key, 403]);
            expect([op.key, res.status]).not.toEqual([op.key, 401]);
            expect(res.status, `${op.key}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
          } else {
            expect([op.key, res.status, res.body?.error?.code]).toEqual([op.key, 403, 'FORBIDDEN']);
          }
          if (sample.other && allowed(role, op.permission)) {
            const across = await call(actor, op.method, sample.other);
            // another province's data: refused (403), or answered as missing (404) where the request names one thing
            if (scope === 'provincial') expect([403, 404], `${op.key} across provinces: ${across.status}`).toContain(across.status);
            else expect([op.key, 'other province', across.status]).not.toEqual([op.key, 'other province', 403]);
          }
        }
      });
    }
  }
});
