/**
 * What a write invalidates (decision 016): a write moves the versions of its area in its region only, so
 * other provinces' answers, and the same province's answers that do not read what changed, stay cached (the
 * read cache computes nothing again and the ETag stays); and after a purchases commit the answers a user opens
 * first are prepared before anyone asks. Through the real app, on both engines; the dates follow the real
 * clock (sessions are checked against the database's clock), the data placed around today.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, monthEnd, todayInChina } from '@vbp/contracts/dates';
import { OverviewQuery } from '@vbp/contracts/api';
import { ExecutionListQuery } from '@vbp/contracts/execution';
import { DATA_AREAS, touchData } from '@vbp/core/data-version';
import { listExecution } from '@vbp/core/queries/execution';
import { rebuildSummaries } from '@vbp/core/summaries/maintain';
import { addVarieties, createBatch, createImplementation, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { createAgreedVolume, createInstitution, createPurchases } from '@vbp/db/execution-factories';
import { TEST_ENGINES } from '@vbp/db/testing';
import { createLogger } from '../src/log';
import { ReadCache, readKey } from '../src/read-cache';
import { overviewRead } from '../src/routes/overview';
import { ReadWarmer } from '../src/warm-reads';
import { createTestUser, openTestApp, signIn, type Client, type TestApp } from './helpers';

const JS = '320000';
const BJ = '110000';

describe.each(TEST_ENGINES)('what a write invalidates, on %s', (engine) => {
  let t: TestApp;
  let jsOffice: Client;
  let jsClerk: Client;
  const today = todayInChina();
  // a contract year running today: six months behind it, purchases in the five months before this one
  const periodStart = addMonths(`${today.slice(0, 7)}-01`, -5);
  const periodEnd = addDays(addMonths(periodStart, 12), -1);
  const months = [0, 1, 2, 3, 4].map((m) => addMonths(periodStart, m));
  const endOfData = monthEnd(months[4]!);
  const ids = { jsHospital: 0, nationalBatch: '', jsBatch: '', nhsa: `RI${engine}` };

  beforeAll(async () => {
    t = await openTestApp(engine, { warm: true });
    const db = t.database.db;
    await createRegion(db, { code: JS, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    await createRegion(db, { code: BJ, nameZh: '北京市', shortNameZh: '北京', nameEn: 'Beijing' });
    const national = await createBatch(db, { code: `RI-N-${engine}`, level: 'national' });
    const provincial = await createBatch(db, { code: `RI-JS-${engine}`, level: 'provincial', regionCode: JS });
    ids.nationalBatch = national.code;
    ids.jsBatch = provincial.code;
    const variety = await createVariety(db);
    await addVarieties(db, national.id, [variety.id]);
    await addVarieties(db, provincial.id, [(await createVariety(db)).id]);
    const { product } = await createSelectedProduct(db, { batchId: national.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '4', nhsaCode: ids.nhsa });
    for (const region of [JS, BJ]) {
      await createImplementation(db, { batchId: national.id, regionCode: region, startOn: periodStart, contractEndOn: periodEnd });
      const hospital = await createInstitution(db, { regionCode: region, code: `RI${region}`, cityCode: `${region.slice(0, 2)}0100`, cityName: '省会' });
      if (region === JS) ids.jsHospital = hospital.id;
      await createAgreedVolume(db, { regionCode: region, institutionId: hospital.id, batchId: national.id, varietyId: variety.id, periodStart, periodEnd, quantity: '1200' });
      await createPurchases(db, { regionCode: region, institutionId: hospital.id, productId: product.id, months: Object.fromEntries(months.map((m) => [m, '50'])) });
    }
    await createImplementation(db, { batchId: provincial.id, regionCode: JS, startOn: periodStart });
    // the factories write raw rows: the summaries and the versions as the writers would leave them
    await rebuildSummaries(db);
    await touchData(db, DATA_AREAS, '100000');
    jsOffice = await signIn(t.app, await createTestUser(db, 'office', JS));
    jsClerk = await signIn(t.app, await createTestUser(db, 'clerk', JS));
  }, 120_000);
  afterAll(async () => {
    await t?.warmer?.stop();
    await t?.database.close();
  });

  const JS_EXECUTION = () => [
    `/api/execution/summary?region=${JS}`,
    `/api/execution?region=${JS}&by=variety`,
    `/api/execution/institutions/${ids.jsHospital}?region=${JS}`,
  ];
  const BJ_ANSWERS = [
    `/api/execution/summary?region=${BJ}`,
    `/api/execution?region=${BJ}`,
    `/api/overview?region=${BJ}`,
    `/api/follow-ups?region=${BJ}`,
    `/api/coverage?region=${BJ}&type=drug`,
    `/api/contracts?region=${BJ}`,
  ];

  /** Each answer's ETag, asked as the national administrator. */
  async function tags(paths: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const path of paths) {
      const res = await t.get(path);
      expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
      out[path] = res.headers.get('etag')!;
    }
    return out;
  }

  /** Asks again: the same tags, and nothing computed. */
  async function expectCached(before: Record<string, string>) {
    const misses = t.readCache.misses;
    expect(await tags(Object.keys(before))).toEqual(before);
    expect(t.readCache.misses - misses, 'answers computed again').toBe(0);
  }

  it('keys an answer by its validated request: the defaults written out are the same answer', async () => {
    const plain = await t.get(`/api/execution?region=${JS}`);
    const misses = t.readCache.misses;
    for (const path of [`/api/execution?region=${JS}&page=1&by=institution`, `/api/execution?sort=gap&pageSize=50&region=${JS}`, `/api/execution?region=${JS}&date=${today}`]) {
      const res = await t.get(path);
      expect(res.headers.get('etag'), path).toBe(plain.headers.get('etag'));
    }
    expect(t.readCache.misses).toBe(misses);
  });

  it('a follow-up note in 江苏 leaves 江苏’s execution answers and every other province’s answers cached', async () => {
    const jsFollowUps = `/api/follow-ups?region=${JS}`;
    const before = await tags([...JS_EXECUTION(), ...BJ_ANSWERS]);
    const listBefore = await tags([jsFollowUps]);
    const item = await jsOffice.send('POST', '/api/follow-ups', { regionCode: JS, institutionId: ids.jsHospital, reason: 'other', dueOn: addDays(today, 30) });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const noted = await jsOffice.send('PATCH', `/api/follow-ups/${item.body.id}?region=${JS}`, { note: '已约谈，下月复查' });
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    await expectCached(before);
    // the list itself is new, with the note
    const list = await t.get(jsFollowUps);
    expect(list.headers.get('etag')).not.toBe(listBefore[jsFollowUps]);
    expect(list.body.items).toEqual([expect.objectContaining({ id: item.body.id, note: '已约谈，下月复查' })]);
  });

  it('a settings change in 江苏 refreshes 江苏’s execution answers (the threshold is in them), not 北京’s', async () => {
    const before = await tags([...JS_EXECUTION(), ...BJ_ANSWERS]);
    const changed = await jsOffice.send('PUT', '/api/settings', { regionCode: JS, progressWarningThreshold: 0.9 });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const bj = Object.fromEntries(BJ_ANSWERS.map((p) => [p, before[p]!]));
    await expectCached(bj);
    for (const path of JS_EXECUTION()) {
      const res = await t.get(path);
      expect(res.headers.get('etag'), path).not.toBe(before[path]);
      expect(res.body).toMatchObject({ threshold: 0.9, thresholdSource: 'setting' });
    }
  });

  it('a correction of a national batch refreshes every province’s coverage; of 江苏’s own batch, only 江苏’s', async () => {
    const coverage = [JS, BJ].map((r) => `/api/coverage?region=${r}&type=drug`);
    const before = await tags([...coverage, ...BJ_ANSWERS]);
    expect((await t.send('PATCH', `/api/batches/${ids.nationalBatch}`, { nameZh: '国家集采（更正）' })).status).toBe(200);
    const after = await tags(coverage);
    for (const path of coverage) expect(after[path], path).not.toBe(before[path]);

    const bj = await tags(BJ_ANSWERS);
    expect((await jsOffice.send('PATCH', `/api/batches/${ids.jsBatch}`, { nameZh: '江苏省集采（更正）' })).status).toBe(200);
    await expectCached(bj);
    const js = await t.get(coverage[0]!);
    expect(js.headers.get('etag')).not.toBe(after[coverage[0]!]);
  });

  it('a purchases commit in 江苏 leaves 北京 warm, and 江苏’s execution answers are ready with the new figures before anyone asks', async () => {
    const summary = `/api/execution/summary?region=${JS}`;
    const atEnd = `/api/execution/summary?region=${JS}&date=${endOfData}`;
    const before = await tags(BJ_ANSWERS);
    const old = { today: (await t.get(summary)).body, end: (await t.get(atEnd)).body };
    expect(old.end.date).toBe(endOfData);

    // the latest month corrected upward: 50 → 170
    const csv = ['医疗机构编码,采购月份,医保编码,采购数量,采购金额', `RI${JS},${months[4]!.slice(0, 7)},${ids.nhsa},170,680`].join('\n');
    const data = new FormData();
    data.append('kind', 'purchases');
    data.append('file', new Blob([csv]), 'purchases.csv');
    const uploaded = await jsClerk.sendForm('/api/uploads', data);
    expect(uploaded.body.status, JSON.stringify(uploaded.body.errors)).toBe('validated');
    const committed = await jsClerk.send('POST', `/api/uploads/${uploaded.body.id}/commit`, { acknowledgeWarnings: true });
    expect(committed.body.status).toBe('committed');
    await t.warmer!.idle();

    const misses = t.readCache.misses;
    const hits = t.readCache.hits;
    const now = { today: await t.get(summary), end: await t.get(atEnd) };
    // answered from the cache: prepared before the requests arrived
    expect(t.readCache.misses - misses).toBe(0);
    expect(t.readCache.hits - hits).toBe(2);
    for (const [when, res] of Object.entries(now)) {
      expect(res.status).toBe(200);
      const was = old[when as 'today' | 'end'];
      expect(Number(res.body.totals.purchased), when).toBe(Number(was.totals.purchased) + 120);
    }
    // the lists and the overview too, at both dates, in the API's page and the dashboard's
    for (const date of [undefined, endOfData]) {
      const at = date ? `&date=${date}` : '';
      for (const by of ['institution', 'variety', 'city', 'batch']) {
        for (const size of ['', '&pageSize=20']) {
          const path = `/api/execution?region=${JS}&by=${by}${size}${at}`;
          const m = t.readCache.misses;
          const res = await t.get(path);
          expect(res.status).toBe(200);
          expect(t.readCache.misses - m, path).toBe(0);
          if (size) {
            // the dashboard's page is cut from the API's: exactly what computing it gives
            const fresh = await listExecution(t.database.db, ExecutionListQuery.parse({ region: JS, by, pageSize: 20, date: date ?? today }));
            expect(res.body, path).toEqual(JSON.parse(JSON.stringify(fresh)));
          }
        }
      }
      const m = t.readCache.misses;
      expect((await t.get(`/api/overview?region=${JS}${at}`)).status).toBe(200);
      expect(t.readCache.misses - m).toBe(0);
    }
    await expectCached(before);
  });

  it('at a start, prepares the answers of the provinces whose purchases reach latest', async () => {
    const cache = new ReadCache();
    const warmer = new ReadWarmer({ database: t.database, cache });
    expect(await warmer.requestRecent(1)).toHaveLength(1);
    await warmer.idle();
    const one = cache.prepared;
    expect(one).toBeGreaterThan(10);
    expect([...(await warmer.requestRecent(5))].sort()).toEqual([BJ, JS].sort());
    await warmer.idle();
    expect(cache.prepared).toBeGreaterThan(one + 10);
    // the overview at today, as a reader asks for it, is there for both
    for (const region of [BJ, JS]) expect(cache.has(await readKey(t.database.db, overviewRead(OverviewQuery.parse({ region }))))).toBe(true);
  });

  it('prepares one region at a time, says how long it took, and logs a failure instead of throwing it', async () => {
    const lines: string[] = [];
    const cache = new ReadCache();
    const warmer = new ReadWarmer({ database: t.database, cache, log: createLogger((line) => lines.push(line)) });
    warmer.request(JS);
    warmer.request('990000'); // no such region: its answers fail
    warmer.request(JS); // already waiting: not twice
    await warmer.idle();
    const said = lines.map((l) => JSON.parse(l) as { level: string; message: string; region: string; ms: number; answers: number });
    expect(said.map((l) => [l.level, l.message, l.region])).toEqual([
      ['info', 'read answers prepared', JS],
      ['warn', 'preparing read answers failed', '990000'],
    ]);
    expect(said[0]!.ms).toBeGreaterThanOrEqual(0);
    expect(said[0]!.answers).toBeGreaterThan(10);
    expect(cache.prepared).toBeGreaterThan(10);
    // stopped: nothing more starts
    await warmer.stop();
    warmer.request(JS);
    await warmer.idle();
    expect(lines).toHaveLength(2);
  });
});
