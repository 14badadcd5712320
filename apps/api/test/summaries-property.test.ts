/**
 * Property: whatever clerks upload, commit and revert, the incrementally maintained execution summaries
 * equal a rebuild from the raw tables. Random sequences of purchases files (new and changed rows, zero
 * quantities), agreed-volume files, batch-result files (which products a batch selects, one without a
 * reference price) and reverts go through the real HTTP app; after each step the summaries are compared
 * with a rebuild, row for row. On PGlite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addVarieties, createBatch, createImplementation, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { createInstitution, createProduct } from '@vbp/db/execution-factories';
import { selectRows } from '@vbp/db';
import { TEST_ENGINES } from '@vbp/db/testing';
import { openTestApp, type TestApp } from './helpers';
import { summariesEqualRebuild } from './summary-helpers';

const REGION = '320000';
const INSTITUTIONS = ['PQ01', 'PQ02', 'PQ03'];
const MONTHS = Array.from({ length: 24 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

interface World {
  batches: { code: string; varieties: { name: string; products: string[] }[] }[];
  /** Every product code, by variety name. */
  products: { code: string; variety: string }[];
}

type Step =
  | { kind: 'purchases'; rows: { institution: number; product: number; month: number; quantity: number }[] }
  | { kind: 'agreed-volumes'; rows: { institution: number; batch: number; variety: number; year: number; quantity: number }[] }
  | { kind: 'batch-results'; batch: number; winners: { product: number; price: number; reference: number | null }[] }
  | { kind: 'revert'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('purchases' as const),
      rows: fc.uniqueArray(
        fc.record({ institution: fc.nat(2), product: fc.nat(5), month: fc.nat(23), quantity: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 })) }),
        { minLength: 1, maxLength: 12, selector: (r) => `${r.institution}:${r.product}:${r.month}` },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('agreed-volumes' as const),
      rows: fc.uniqueArray(
        fc.record({ institution: fc.nat(2), batch: fc.nat(1), variety: fc.nat(1), year: fc.integer({ min: 1, max: 2 }), quantity: fc.integer({ min: 1, max: 2000 }) }),
        { minLength: 1, maxLength: 6, selector: (r) => `${r.institution}:${r.batch}:${r.variety}:${r.year}` },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batch-results' as const),
      batch: fc.nat(1),
      winners: fc.uniqueArray(
        fc.record({ product: fc.nat(3), price: fc.integer({ min: 1, max: 40 }), reference: fc.option(fc.integer({ min: 41, max: 90 }), { freq: 3 }) }),
        { minLength: 1, maxLength: 3, selector: (w) => w.product },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('revert' as const), pick: fc.nat(50) }) },
);

describe.each(TEST_ENGINES)('summaries under random uploads on %s', (engine) => {
  let t: TestApp;
  let dir: string;
  const world: World = { batches: [], products: [] };
  const committed: number[] = [];
  /** What the sequences did, so the test shows it exercised every kind of write. */
  const done = { purchases: 0, 'agreed-volumes': 0, 'batch-results': 0, reverts: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vbp-summaries-property-'));
    t = await openTestApp(engine, { uploads: { dir } });
    const db = t.database.db;
    await createRegion(db, { code: REGION, nameZh: '江苏省', shortNameZh: '江苏', nameEn: 'Jiangsu' });
    for (const code of INSTITUTIONS) await createInstitution(db, { regionCode: REGION, code, name: `性质测试医院${code}` });
    // two batches of two varieties each; per variety two products the batch selects and one nobody does
    for (const [b, code] of [`PQA-${engine}`, `PQB-${engine}`].entries()) {
      const batch = await createBatch(db, { code });
      await createImplementation(db, { batchId: batch.id, regionCode: REGION, startOn: b === 0 ? '2023-01-01' : '2023-04-15', contractEndOn: '2025-12-31' });
      const varieties: World['batches'][number]['varieties'] = [];
      for (const v of [0, 1]) {
        const name = `性质品种${b}${v}${engine}`;
        const variety = await createVariety(db, { key: `${name}|口服常释剂型`, nameZh: name, dosageFormGroup: '口服常释剂型' });
        await addVarieties(db, batch.id, [variety.id]);
        const products: string[] = [];
        for (const p of [0, 1]) {
          const nhsa = `PQ${b}${v}${p}${engine}`;
          // one selection cannot be valued: it has no reference price
          await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: p === 1 && v === 1 ? null : '50', selectedPrice: '20', nhsaCode: nhsa });
          products.push(nhsa);
        }
        const never = `PQ${b}${v}N${engine}`;
        await createProduct(db, { varietyId: variety.id, nhsaCode: never });
        products.push(never);
        for (const code of products) world.products.push({ code, variety: name });
        varieties.push({ name, products });
      }
      world.batches.push({ code, varieties });
    }
  });
  afterAll(async () => {
    await t?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Uploads a CSV and commits it when it validates; returns the upload id when committed. */
  async function uploadAndCommit(kind: string, csv: string, fields: Record<string, string> = {}): Promise<number | null> {
    const form = new FormData();
    form.append('kind', kind);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([csv]), `${kind}.csv`);
    const res = await t.sendForm('/api/uploads', form);
    if (res.body.status !== 'validated') return null;
    const commit = await t.send('POST', `/api/uploads/${res.body.id}/commit`, { acknowledgeWarnings: true });
    expect(commit.body.status, JSON.stringify(commit.body)).toBe('committed');
    done[kind as keyof typeof done]++;
    return res.body.id as number;
  }

  async function run(s: Step): Promise<void> {
    if (s.kind === 'purchases') {
      // products of every batch: a variety's products are the batch's selections and one never selected
      const products = world.batches.flatMap((b) => b.varieties.flatMap((v) => v.products));
      const csv = ['医疗机构编码,采购月份,医保编码,采购数量', ...s.rows.map((r) => `${INSTITUTIONS[r.institution]},${MONTHS[r.month]},${products[r.product]},${r.quantity}`)].join('\n');
      const id = await uploadAndCommit('purchases', csv, { region: REGION });
      if (id !== null) committed.push(id);
    } else if (s.kind === 'agreed-volumes') {
      const csv = [
        '医疗机构编码,医疗机构名称,批次编号,通用名,协议年度,约定采购量',
        ...s.rows.map((r) => {
          const batch = world.batches[r.batch]!;
          return `${INSTITUTIONS[r.institution]},,${batch.code},${batch.varieties[r.variety]!.name},${r.year},${r.quantity}`;
        }),
      ].join('\n');
      const id = await uploadAndCommit('agreed-volumes', csv, { region: REGION });
      if (id !== null) committed.push(id);
    } else if (s.kind === 'batch-results') {
      const batch = world.batches[s.batch]!;
      const own = batch.varieties.flatMap((v) => v.products.map((code) => ({ code, variety: v.name })));
      const csv = [
        '通用名,剂型,规格,包装,生产企业,中选价格（元）,最高有效申报价,是否中选,医保编码',
        ...s.winners.map((w) => {
          const p = own[w.product % own.length]!;
          return `${p.variety},口服常释剂型,${p.code}mg,1盒,企业${p.code},${w.price},${w.reference ?? ''},是,${p.code}`;
        }),
      ].join('\n');
      const id = await uploadAndCommit('batch-results', csv, { batch: batch.code });
      if (id !== null) committed.push(id);
    } else if (committed.length) {
      // a revert refused because a later upload stands changes nothing, which is fine too
      const id = committed[committed.length - 1 - (s.pick % committed.length)]!;
      const res = await t.send('POST', `/api/uploads/${id}/revert`);
      if (res.status === 200) {
        committed.splice(committed.indexOf(id), 1);
        done.reverts++;
      }
    }
  }

  it('equal a rebuild after every step', async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps_) => {
        for (const s of steps_) {
          await run(s);
          steps++;
          const check = await summariesEqualRebuild(t.database.db);
          expect(check.differences, `after ${JSON.stringify(s)}`).toEqual([]);
        }
      }),
      { numRuns: 25, seed: 20261201 },
    );
    // the sequences did write every kind of data, reverted some, and left summaries to compare
    expect(steps).toBeGreaterThan(20);
    expect(Object.values(done).every((n) => n > 0), JSON.stringify(done)).toBe(true);
    const [held] = await selectRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from execution_months`);
    expect(held!.n).toBeGreaterThan(0);
  }, engine === 'citus' ? 300_000 : 60_000);
});
