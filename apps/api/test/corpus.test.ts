/**
 * Files written by real spreadsheet software, through the real upload path, on every engine (issue 12).
 * test/corpus/make_corpus.py writes the corpus with openpyxl and LibreOffice (soffice --headless) into a
 * temporary directory, once, and prints a manifest of what each file was generated with; every file is then
 * uploaded, its counts checked against the manifest, committed, read back, and reverted. Where soffice or
 * openpyxl is missing the file is skipped with one line saying so (CI installs both: .ci/run); CORPUS_PYTHON and
 * CORPUS_SOFFICE name other ones.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '@vbp/db';
import { addVarieties, createBatch, createRegion, createSelectedProduct, createVariety } from '@vbp/db/factories';
import { institutions } from '@vbp/db/schema';
import { TEST_ENGINES } from '@vbp/db/testing';
import { openTestApp, type Client, type Response, type TestApp } from './helpers';

const GENERATOR = join(import.meta.dirname, 'corpus/make_corpus.py');

interface Expect {
  valid: number;
  invalid: number;
  notSelected?: number;
  warnings: number;
  sheet?: string;
  /** batch-results */
  products?: number;
  varieties?: string[];
  failedVarieties?: string[];
  companies?: string[];
  prices?: string[];
  specs?: string[];
  /** batch-results: strengths listed without a price of their own (the 4+7 pilot) … */
  withoutPrice?: number;
  /** … and every strength the batch then lists with its quantity (minimum units) */
  strengths?: { variety: string; spec: string; quantity: string; isMainStrength: boolean; hasPrice: boolean }[];
  /** implementations */
  implementations?: { batch: string; region: string; startOn: string; contractEndOn: string | null }[];
  /** province-volumes: each province's total in minimum units, to the unit */
  totals?: Record<string, string>;
  /** purchases */
  quantity?: string;
  amount?: string;
  quantityByMonth?: Record<string, string>;
}

interface Case {
  id: string;
  file: string;
  kind: string;
  fields: Record<string, string>;
  fieldsAfterFile?: boolean;
  producer: string;
  features: string[];
  expect: Expect & { refused?: string };
}

interface Manifest {
  regions: { code: string; nameZh: string; shortNameZh: string }[];
  batches: { batchResults: string[]; implementations: string[] };
  provinceVolumes: { batch: string; varieties: { nameZh: string; form: string; selected: boolean }[] };
  purchases: { region: string; institutions: { code: string; name: string }[]; products: { nhsaCode: string }[] };
  cases: Case[];
}

/**
 * A Python with openpyxl: CORPUS_PYTHON, or python3, or Debian's /usr/bin/python3 (which python3-openpyxl serves;
 * the python3 on PATH may be another one).
 */
function findPython(): string | null {
  const candidates = process.env.CORPUS_PYTHON ? [process.env.CORPUS_PYTHON] : ['python3', '/usr/bin/python3'];
  return candidates.find((candidate) => spawnSync(candidate, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0) ?? null;
}

/** LibreOffice: CORPUS_SOFFICE, or soffice on PATH. */
function findSoffice(): string | null {
  const found = process.env.CORPUS_SOFFICE ?? spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
  try {
    if (found) accessSync(found, constants.X_OK);
    return found || null;
  } catch {
    return null;
  }
}

const python = findPython();
const soffice = findSoffice();
const missing = [soffice ? null : 'soffice not found (apt-get install libreoffice-calc-nogui)', python ? null : 'no Python with openpyxl (apt-get install python3-openpyxl)'].filter((m) => m !== null);
if (missing.length > 0) console.warn(`corpus.test.ts skipped: ${missing.join('; ')}`);

/** The uploads of the corpus, by manifest id (a test below checks that the manifest has no other). */
const BATCH_RESULT_FILES = ['batch-results-openpyxl.xlsx', 'batch-results-libreoffice.xlsx', 'batch-results-inline-rich-text.xlsx', 'batch-results-utf8.csv', 'batch-results-gb18030.csv', 'pilot-4plus7.xlsx', 'pilot-4plus7.csv'];
const IMPLEMENTATION_FILES = ['implementations-1900.xlsx', 'implementations-1904.xlsx', 'implementations-iso-dates.xlsx', 'implementations-1904.csv', 'implementations-1900.xlsx (fields after the file)'];
const PURCHASE_FILES = ['purchases.xlsx', 'purchases-utf8.csv', 'purchases-utf8-bom.csv', 'purchases-gb18030.csv'];
const PROVINCE_VOLUME_FILES = ['province-volumes.xlsx', 'province-volumes.csv'];
const REFUSED_FILES = ['implementations-1900.xls'];

let corpusDir = '';
let manifest: Manifest;

function caseOf(id: string): Case {
  const found = manifest.cases.find((c) => c.id === id);
  if (!found) throw new Error(`the corpus manifest has no case ${id}`);
  return found;
}

function form(c: Case): FormData {
  const data = new FormData();
  const fields = { kind: c.kind, ...c.fields };
  const file = () => data.append('file', new Blob([readFileSync(join(corpusDir, c.file))]), c.file);
  if (c.fieldsAfterFile) file();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  if (!c.fieldsAfterFile) file();
  return data;
}

/** What an upload report says, for failure messages. */
function report(body: any): string {
  return JSON.stringify({ status: body?.status, counts: body?.counts, errors: body?.errors?.slice(0, 5), warnings: body?.warnings?.slice(0, 5), mapping: body?.mapping, error: body?.error });
}

/** The upload once it is no longer being read or committed (large files answer 202 and go on in the background). */
async function settle(client: Client, res: Response): Promise<any> {
  let body = res.body;
  for (const started = Date.now(); body?.status === 'processing' || body?.status === 'committing'; ) {
    if (Date.now() - started > 60_000) throw new Error(`upload ${body.id} still ${body.status} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    body = (await client.get(`/api/uploads/${body.id}`)).body;
  }
  return body;
}

/**
 * Uploads a case's file and checks what validation counted against the manifest; commits it, runs `check`
 * on what was written and reverts it (also when `check` fails, so the next file starts from the same state).
 */
async function roundTrip(t: TestApp, c: Case, check: () => Promise<void>): Promise<void> {
  const sent = await t.admin.sendForm('/api/uploads', form(c));
  expect([201, 202], report(sent.body)).toContain(sent.status);
  const view = await settle(t.admin, sent);
  expect(view.status, report(view)).toBe('validated');
  const counts: Record<string, number> = { valid: c.expect.valid, invalid: c.expect.invalid };
  if (c.expect.notSelected !== undefined) counts.notSelected = c.expect.notSelected;
  if (c.expect.withoutPrice !== undefined) counts.withoutPrice = c.expect.withoutPrice;
  // soft: a file that counts wrong is still committed and read back, so one run shows everything that differs
  expect.soft(view.counts, report(view)).toMatchObject(counts);
  expect.soft(view.warnings.length, report(view)).toBe(c.expect.warnings);
  if (c.expect.sheet) expect.soft(view.sheet).toBe(c.expect.sheet);

  const committed = await settle(t.admin, await t.admin.send('POST', `/api/uploads/${view.id}/commit`, { acknowledgeWarnings: c.expect.warnings > 0 }));
  expect(committed.status, report(committed)).toBe('committed');
  try {
    await check();
  } finally {
    const reverted = await t.admin.send('POST', `/api/uploads/${view.id}/revert`);
    expect(reverted.body.status, report(reverted.body)).toBe('reverted');
  }
}

const byNumber = (a: string, b: string) => Number(a) - Number(b);

describe.skipIf(missing.length > 0)('files written by openpyxl and LibreOffice', () => {
  beforeAll(() => {
    corpusDir = mkdtempSync(join(tmpdir(), 'vbp-corpus-'));
    const out = execFileSync(python!, [GENERATOR, corpusDir, '--soffice', soffice!], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 170_000 });
    manifest = JSON.parse(out) as Manifest;
  }, 180_000);
  afterAll(() => {
    if (corpusDir) rmSync(corpusDir, { recursive: true, force: true });
  });

  it('uploads every file of the manifest', () => {
    expect(manifest.cases.map((c) => c.id).sort()).toEqual([...BATCH_RESULT_FILES, ...IMPLEMENTATION_FILES, ...PURCHASE_FILES, ...PROVINCE_VOLUME_FILES, ...REFUSED_FILES].sort());
  });

  describe.each(TEST_ENGINES)('on %s', (engine) => {
    let t: TestApp;
    let uploadDir: string;
    let institutionIds: number[] = [];
    beforeAll(async () => {
      uploadDir = mkdtempSync(join(tmpdir(), 'vbp-corpus-uploads-'));
      t = await openTestApp(engine, { uploads: { dir: uploadDir, maxBytes: 8 * 1024 * 1024 } });
      const db = t.database.db;
      for (const region of manifest.regions) await createRegion(db, { ...region, nameEn: region.code });
      for (const code of [...manifest.batches.batchResults, ...manifest.batches.implementations]) await createBatch(db, { code });
      const { purchases } = manifest;
      const inserted = await db.insert(institutions).values(purchases.institutions.map((i) => ({ regionCode: purchases.region, code: i.code, name: i.name }))).returning({ id: institutions.id });
      institutionIds = inserted.map((r) => r.id);
      const volumes = await createBatch(db, { code: manifest.provinceVolumes.batch });
      for (const [i, v] of manifest.provinceVolumes.varieties.entries()) {
        const variety = await createVariety(db, { nameZh: v.nameZh, dosageFormGroup: v.form, key: `corpus-volumes-${i}` });
        await addVarieties(db, volumes.id, [variety.id], v.selected ? 'selected' : 'failed');
      }
      const variety = await createVariety(db);
      const batch = await createBatch(db);
      for (const p of purchases.products) await createSelectedProduct(db, { batchId: batch.id, varietyId: variety.id, referencePrice: '10', selectedPrice: '1', nhsaCode: p.nhsaCode });
    });
    afterAll(async () => {
      await t?.database.close();
      rmSync(uploadDir, { recursive: true, force: true });
    });

    it.each(BATCH_RESULT_FILES)('batch results: %s', async (id) => {
      const c = caseOf(id);
      const e = c.expect;
      const code = c.fields.batch!;
      await roundTrip(t, c, async () => {
        const batch = (await t.admin.get(`/api/batches/${code}`)).body;
        const products = batch.products as { varietyNameZh: string; company: string; spec: string; selectedPrice: string }[];
        const varieties = batch.varieties as { nameZh: string; outcome: string }[];
        expect.soft(batch.productCount, 'products').toBe(e.products);
        expect.soft(varieties.filter((v) => v.outcome === 'selected').map((v) => v.nameZh).sort(), 'selected varieties').toEqual([...e.varieties!].sort());
        expect.soft(varieties.filter((v) => v.outcome === 'failed').map((v) => v.nameZh).sort(), 'failed varieties').toEqual([...(e.failedVarieties ?? [])].sort());
        expect.soft([...new Set(products.map((p) => p.company))].sort(), 'companies').toEqual(e.companies);
        expect.soft(products.map((p) => p.selectedPrice).sort(byNumber).map(Number), 'selected prices').toEqual(e.prices!.map(Number));
        if (e.specs) expect.soft(products.map((p) => p.spec).sort(), 'specs').toEqual(e.specs);
        if (e.strengths) {
          const strengths = batch.strengths as { varietyNameZh: string; spec: string; quantity: string | null; isMainStrength: boolean; hasPrice: boolean }[];
          const read = strengths.map((s) => ({ variety: s.varietyNameZh, spec: s.spec, quantity: s.quantity === null ? null : String(Number(s.quantity)), isMainStrength: s.isMainStrength, hasPrice: s.hasPrice }));
          expect.soft(read.sort((a, b) => `${a.variety}|${a.spec}`.localeCompare(`${b.variety}|${b.spec}`)), 'strengths').toEqual(
            [...e.strengths].sort((a, b) => `${a.variety}|${a.spec}`.localeCompare(`${b.variety}|${b.spec}`)),
          );
        }
      });
      const after = (await t.admin.get(`/api/batches/${code}`)).body;
      expect([after.productCount, after.varieties, after.strengths]).toEqual([0, [], []]);
    });

    it.each(IMPLEMENTATION_FILES)('implementations: %s', async (id) => {
      const c = caseOf(id);
      const codes = manifest.batches.implementations;
      const written = () =>
        selectRows<{ batch: string; region: string; startOn: string; contractEndOn: string | null }>(
          t.database.db,
          sql`select b.code as batch, i.region_code as region, i.start_on::text as "startOn", i.contract_end_on::text as "contractEndOn"
              from implementations i join batches b on b.id = i.batch_id where b.code in (${sql.join(codes.map((code) => sql`${code}`), sql`, `)}) order by 1, 2`,
        );
      await roundTrip(t, c, async () => {
        expect(await written()).toEqual(c.expect.implementations);
      });
      expect(await written()).toEqual([]);
    });

    it.each(PURCHASE_FILES)('purchases: %s', async (id) => {
      const c = caseOf(id);
      const totals = () =>
        selectRows<{ month: string; rows: number; quantity: string; amount: string }>(
          t.database.db,
          sql`select month::text as month, count(*)::int as rows, sum(quantity)::text as quantity, sum(amount)::text as amount from purchases
              where region_code = ${manifest.purchases.region} and institution_id in (${sql.join(institutionIds.map((id) => sql`${id}`), sql`, `)}) group by month order by month`,
        );
      await roundTrip(t, c, async () => {
        const months = await totals();
        expect.soft(months.reduce((n, m) => n + m.rows, 0), 'rows').toBe(c.expect.valid);
        expect.soft(Object.fromEntries(months.map((m) => [m.month, Number(m.quantity)])), 'quantity by month').toEqual(Object.fromEntries(Object.entries(c.expect.quantityByMonth!).map(([m, q]) => [m, Number(q)])));
        expect.soft(months.reduce((sum, m) => sum + Number(m.quantity), 0), 'quantity').toBe(Number(c.expect.quantity));
        // amounts in cents: the CSVs write them as LibreOffice shows them (1,234.50)
        expect.soft(months.reduce((cents, m) => cents + Math.round(Number(m.amount) * 100), 0), 'amount').toBe(Math.round(Number(c.expect.amount) * 100));
      });
      expect(await totals()).toEqual([]);
    });

    it.each(PROVINCE_VOLUME_FILES)('province volumes: %s, each province’s total to the unit', async (id) => {
      const c = caseOf(id);
      const code = manifest.provinceVolumes.batch;
      const nation = async () => (await t.admin.get(`/api/batches/${code}/volumes?region=100000`)).body as { total: string; regions: { region: string; total: string }[] };
      await roundTrip(t, c, async () => {
        for (const [region, total] of Object.entries(c.expect.totals!)) {
          expect.soft((await t.admin.get(`/api/batches/${code}/volumes?region=${region}`)).body.total, region).toBe(total);
        }
        expect.soft(Object.fromEntries((await nation()).regions.map((r) => [r.region, r.total])), 'every province').toEqual(c.expect.totals);
      });
      expect((await nation()).regions).toEqual([]);
    });

    it.each(REFUSED_FILES)('refused: %s, with a message that says to save it as .xlsx', async (id) => {
      const c = caseOf(id);
      const view = await settle(t.admin, await t.admin.sendForm('/api/uploads', form(c)));
      expect(view.status, report(view)).toBe('invalid');
      expect(view.errors[0]).toMatchObject({ code: c.expect.refused });
      expect(view.errors[0].message).toContain('save the file as .xlsx');
      expect(view.errors[0].messageZh).toContain('另存为 .xlsx');
    });
  });
});
