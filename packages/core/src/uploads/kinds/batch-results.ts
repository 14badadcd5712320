/**
 * A batch's results table (中选结果表): its varieties and selected products with prices. A corrected file
 * for a batch replaces the previous version: the batch's variety links, strengths and selected products are
 * snapshotted and replaced in one transaction (placeholder varieties included). Bids that did not win are
 * kept apart (counted, not loaded); a variety with no winning bid is recorded as failed (流标). A strength
 * listed with its agreed quantity and no price (the 4+7 pilot priced only the main strength) is stored as a
 * strength of the variety that follows the main strength's price; its variety must have a priced row.
 */
import { and, eq, sql } from 'drizzle-orm';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { UploadIssue } from '@vbp/contracts/uploads';
import { selectRows, type Db, type Tx } from '@vbp/db';
import { batchStrengths, batchVarieties, batches, categories, products, selectedProducts, varieties } from '@vbp/db/schema';
import { Dec, toPlain } from '../../calc/decimal';
import { DomainError } from '../../errors';
import { recomputeSummaries } from '../../summaries/maintain';
import { referenceIssue, text } from '../issues';
import { restoreRows, snapshotRows } from '../snapshots';
import type { KindHandler, ParsedRow, UploadContext } from '../types';
import { genericMatchKey, varietyKey } from '../variety-match';

interface Bid {
  rowNumber: number;
  generic: string;
  form: string | null;
  category: string | null;
  spec: string;
  packaging: string;
  unit: string | null;
  company: string;
  selectedPrice: string;
  /** The ceiling price, or (the 4+7 pilot, which published none) the company's 3-year average price. */
  referencePrice: string | null;
  referenceBasis: 'ceiling' | 'company_average';
  mainStrength: boolean;
  nhsaCode: string | null;
  /** The agreed quantity the table lists for the strength (minimum units), where it has the column. */
  quantity: string | null;
}

/** A strength listed without a price of its own: it follows its variety's main strength. */
interface Strength {
  rowNumber: number;
  generic: string;
  form: string | null;
  category: string | null;
  spec: string;
  quantity: string;
  mainStrength: boolean;
}

interface BatchInfo {
  id: number;
  code: string;
  productType: 'drug' | 'consumable';
  level: string;
  regionCode: string | null;
}

async function loadBatch(db: Db, upload: UploadContext): Promise<BatchInfo> {
  if (upload.batchId === null) throw new DomainError('INVALID_INPUT', 'Choose the batch these results belong to (batch)', '请选择该中选结果所属的批次（batch）');
  const [batch] = await db
    .select({ id: batches.id, code: batches.code, productType: batches.productType, level: batches.level, regionCode: batches.regionCode })
    .from(batches)
    .where(eq(batches.id, upload.batchId));
  if (!batch) throw new DomainError('NOT_FOUND', `Batch ${upload.batchId} not found`, `批次不存在：${upload.batchId}`);
  // the upload's region came from this batch when it was received (and the policy was asked for it then)
  const region = batch.level === 'provincial' ? batch.regionCode : NATION_CODE;
  if (upload.regionCode !== region)
    throw new DomainError('CONFLICT', `Batch ${batch.code} is no longer of this upload's region (${upload.regionCode}): upload the file again`, `批次 ${batch.code} 已不属于本次上传的地区（${upload.regionCode}），请重新上传`, { batch: batch.code });
  return batch;
}

/** Bids in a row, or why not: a row that lists a losing bid is counted apart, not an error. */
function readBid(row: ParsedRow, upload: UploadContext): { bid?: Bid; strength?: Strength; notSelected?: boolean; error?: UploadIssue } {
  const v = row.values;
  const generic = text(v.genericName);
  const company = text(v.company);
  const spec = text(v.spec);
  if (!generic) return {};
  const quantity = text(v.quantity);
  if (v.withoutPrice === true && spec && quantity)
    return { strength: { rowNumber: row.rowNumber, generic, form: text(v.dosageForm), category: text(v.category), spec, quantity, mainStrength: v.mainStrength === true } };
  const price = text(v.selectedPrice);
  // a losing bid, or a failed tender (流标: no company, no spec, no price)
  if (v.selected === false || (v.selected !== true && price === null)) return { notSelected: true };
  if (!company || !spec) return {};
  if (price === null)
    return { error: referenceIssue(row.rowNumber, upload.header('selectedPrice'), '', 'MISSING_PRICE', 'is empty for a selected product', '为空：中选产品须有中选价格') };
  const ceiling = text(v.referencePrice);
  const companyAverage = ceiling === null ? text(v.companyAveragePrice) : null;
  return {
    bid: {
      rowNumber: row.rowNumber,
      generic,
      form: text(v.dosageForm),
      category: text(v.category),
      spec,
      packaging: text(v.packaging) ?? '',
      unit: text(v.unit),
      company,
      selectedPrice: price,
      referencePrice: ceiling ?? companyAverage,
      referenceBasis: companyAverage !== null ? 'company_average' : 'ceiling',
      mainStrength: v.mainStrength === true,
      nhsaCode: text(v.nhsaCode),
      quantity,
    },
  };
}

/**
 * Strengths without a price checked against the file's priced rows, once every row is read (the priced
 * row may come below): each needs a priced row of its variety and a spec of its own. A failed variety's
 * (流标) unpriced strength is not stored, with a warning.
 */
function checkStrengths(
  productType: BatchInfo['productType'],
  strengths: readonly Strength[],
  priced: ReadonlyMap<string, ReadonlySet<string>>,
  failed: ReadonlySet<string>,
  upload: UploadContext,
): { kept: Strength[]; errors: UploadIssue[]; warnings: UploadIssue[] } {
  const kept: Strength[] = [];
  const errors: UploadIssue[] = [];
  const warnings: UploadIssue[] = [];
  const seen = new Map<string, number>();
  for (const s of strengths) {
    const key = varietyKey(productType, s.generic, s.form);
    const specs = priced.get(key);
    if (!specs) {
      if (failed.has(key))
        warnings.push(referenceIssue(s.rowNumber, upload.header('spec'), s.spec, 'STRENGTH_OF_FAILED_VARIETY', `is a strength of ${s.generic}, whose tender failed (流标): it is not stored`, `是“${s.generic}”的规格，该品种流标：不予保存`));
      else
        errors.push(
          referenceIssue(s.rowNumber, upload.header('selectedPrice'), '', 'NO_PRICED_STRENGTH',
            `is empty, and no row of ${s.generic} has a price for this strength to follow: write the selected price (or mark the variety 流标)`,
            `为空，且“${s.generic}”没有任何一行有中选价格可供该规格参照：请填写中选价格（流标品种请标注“流标”）`),
        );
      continue;
    }
    const strengthKey = `${key}\u0001${s.spec}`;
    const earlier = seen.get(strengthKey);
    if (specs.has(s.spec) || earlier !== undefined) {
      errors.push(referenceIssue(s.rowNumber, upload.header('spec'), s.spec, 'DUPLICATE_STRENGTH', earlier !== undefined ? `repeats the strength on row ${earlier}` : `is also listed with a price for ${s.generic}`, earlier !== undefined ? `与第 ${earlier} 行的规格重复` : `在“${s.generic}”中已有带价格的同一规格`));
      continue;
    }
    seen.set(strengthKey, s.rowNumber);
    kept.push(s);
  }
  return { kept, errors, warnings };
}

/** Records a bid's strength among its variety's priced ones (for `checkStrengths`). */
function notePriced(priced: Map<string, Set<string>>, key: string, spec: string): void {
  const specs = priced.get(key) ?? new Set<string>();
  specs.add(spec);
  priced.set(key, specs);
}

/** The known varieties a bid can match: the batch's own first, then the catalogue by match key. */
async function varietyIndex(db: Db, batch: BatchInfo) {
  const rows = await db
    .select({ id: varieties.id, key: varieties.key, nameZh: varieties.nameZh, form: varieties.dosageFormGroup, isPlaceholder: varieties.isPlaceholder })
    .from(varieties)
    .where(and(eq(varieties.productType, batch.productType), eq(varieties.isPlaceholder, false)));
  const byKey = new Map<string, number>();
  for (const r of rows) {
    byKey.set(r.key, r.id);
    byKey.set(`${genericMatchKey(r.nameZh)}|${r.form ?? ''}`, r.id);
  }
  return (bid: Bid) => byKey.get(varietyKey(batch.productType, bid.generic, bid.form)) ?? byKey.get(`${genericMatchKey(bid.generic)}|${bid.form ?? ''}`);
}

export const batchResultsHandler: KindHandler = {
  tables: ['selected_products', 'products', 'batch_varieties', 'varieties', 'execution_months', 'execution_savings', 'execution_unvalued', 'execution_institution_months', 'execution_variety_months'],
  bytesPerRow: 2000,
  async validate(database, upload) {
    const db = database.db;
    const batch = await loadBatch(db, upload);
    const nhsaOwner = new Map((await db.select({ code: products.nhsaCode, id: products.id }).from(products)).filter((p) => p.code).map((p) => [p.code!, p.id]));
    const seenProducts = new Map<string, number>();
    const seenCodes = new Map<string, number>();
    const bids: Bid[] = [];
    const strengths: Strength[] = [];
    const priced = new Map<string, Set<string>>();
    const failed = new Set<string>();
    let notSelected = 0;
    return {
      async accept(rows) {
        const errors: UploadIssue[] = [];
        for (const row of rows) {
          const read = readBid(row, upload);
          if (read.notSelected) {
            notSelected++;
            const generic = text(row.values.genericName);
            if (generic) failed.add(varietyKey(batch.productType, generic, text(row.values.dosageForm)));
          }
          if (read.error) errors.push(read.error);
          if (read.strength) strengths.push(read.strength);
          const bid = read.bid;
          if (!bid) continue;
          notePriced(priced, varietyKey(batch.productType, bid.generic, bid.form), bid.spec);
          const key = [bid.generic, bid.form, bid.company, bid.spec, bid.packaging].join('\u0001');
          const earlier = seenProducts.get(key);
          if (earlier !== undefined) {
            errors.push(referenceIssue(row.rowNumber, upload.header('spec'), bid.spec, 'DUPLICATE_PRODUCT', `repeats the product on row ${earlier}`, `与第 ${earlier} 行的产品重复`));
            continue;
          }
          seenProducts.set(key, row.rowNumber);
          if (bid.nhsaCode) {
            const other = seenCodes.get(bid.nhsaCode);
            if (other !== undefined) {
              errors.push(referenceIssue(row.rowNumber, upload.header('nhsaCode'), bid.nhsaCode, 'DUPLICATE_CODE', `is also on row ${other}`, `与第 ${other} 行的医保编码重复`));
              continue;
            }
            seenCodes.set(bid.nhsaCode, row.rowNumber);
          }
          bids.push(bid);
        }
        return { errors, warnings: [] };
      },
      async summarize() {
        const current = await db
          .select({ company: products.company, spec: products.spec, packaging: products.packaging, selectedPrice: selectedProducts.selectedPrice, referencePrice: selectedProducts.referencePrice, referenceBasis: selectedProducts.referenceBasis, nameZh: varieties.nameZh })
          .from(selectedProducts)
          .innerJoin(products, eq(products.id, selectedProducts.productId))
          .innerJoin(varieties, eq(varieties.id, products.varietyId))
          .where(eq(selectedProducts.batchId, batch.id));
        const before = new Map(current.map((c) => [[genericMatchKey(c.nameZh), c.company, c.spec, c.packaging].join('\u0001'), c]));
        const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Number(a) === Number(b));
        let created = 0;
        let changed = 0;
        for (const bid of bids) {
          const old = before.get([genericMatchKey(bid.generic), bid.company, bid.spec, bid.packaging].join('\u0001'));
          if (!old) created++;
          else if (!same(old.selectedPrice, bid.selectedPrice) || !same(old.referencePrice, bid.referencePrice) || old.referenceBasis !== bid.referenceBasis) changed++;
        }
        const [placeholders] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(batchVarieties)
          .innerJoin(varieties, eq(varieties.id, batchVarieties.varietyId))
          .where(and(eq(batchVarieties.batchId, batch.id), eq(varieties.isPlaceholder, true)));
        const warnings: UploadIssue[] = [];
        for (const bid of bids) {
          const owner = bid.nhsaCode ? nhsaOwner.get(bid.nhsaCode) : undefined;
          if (owner !== undefined)
            warnings.push(referenceIssue(bid.rowNumber, upload.header('nhsaCode'), bid.nhsaCode, 'CODE_KNOWN', 'is already in the catalogue: the product there is reused', '已在产品目录中，将沿用已有产品'));
        }
        const checked = checkStrengths(batch.productType, strengths, priced, failed, upload);
        warnings.push(...checked.warnings);
        return {
          counts: { notSelected, new: created, changed, unchanged: bids.length - created - changed, withoutPrice: checked.kept.length, placeholdersReplaced: placeholders?.n ?? 0 },
          errors: checked.errors,
          warnings,
        };
      },
    };
  },

  async commit(tx, _database, upload, rows) {
    const batch = await loadBatch(tx, upload);
    const match = await varietyIndex(tx, batch);
    const categoryByName = new Map((await tx.select({ id: categories.id, nameZh: categories.nameZh }).from(categories)).map((c) => [c.nameZh, c.id]));

    // which products are selected changes what purchases of their varieties count as, everywhere
    const varietiesBefore = await selectedVarieties(tx, batch.id);
    // the file replaces the batch's list: keep what was there, then clear it
    await snapshotRows(tx, upload.id, 'selected_products', sql`t.batch_id = ${batch.id}`);
    await snapshotRows(tx, upload.id, 'batch_varieties', sql`t.batch_id = ${batch.id}`);
    await snapshotRows(tx, upload.id, 'batch_strengths', sql`t.batch_id = ${batch.id}`);
    await tx.delete(selectedProducts).where(eq(selectedProducts.batchId, batch.id));
    await tx.delete(batchStrengths).where(eq(batchStrengths.batchId, batch.id));
    await tx.delete(batchVarieties).where(eq(batchVarieties.batchId, batch.id));

    const varietyOf = new Map<string, number>();
    const withWinner = new Set<number>();
    const losing = new Set<number>();
    const strengths: Strength[] = [];
    const priced = new Map<string, Set<string>>();
    const failed = new Set<string>();
    /** Each strength's quantity as the priced rows state it: variety → spec → what the table lists. */
    const pricedStrengths = new Map<number, Map<string, { quantity: string | null; main: boolean }>>();
    let written = 0;
    for await (const chunk of rows()) {
      upload.job.checkpoint();
      for (const row of chunk) {
        const read = readBid(row, upload);
        const generic = text(row.values.genericName);
        if (read.strength) {
          strengths.push(read.strength);
          continue;
        }
        if (!read.bid) {
          // a variety only ever listed with losing bids is a failed tender
          if (read.notSelected && generic) {
            const id = await ensureVariety(tx, batch, { generic, form: text(row.values.dosageForm), category: text(row.values.category) }, upload.id, match, varietyOf, categoryByName);
            losing.add(id);
            failed.add(varietyKey(batch.productType, generic, text(row.values.dosageForm)));
          }
          continue;
        }
        const bid = read.bid;
        const varietyId = await ensureVariety(tx, batch, bid, upload.id, match, varietyOf, categoryByName);
        withWinner.add(varietyId);
        notePriced(priced, varietyKey(batch.productType, bid.generic, bid.form), bid.spec);
        const specs = pricedStrengths.get(varietyId) ?? new Map<string, { quantity: string | null; main: boolean }>();
        const listed = specs.get(bid.spec);
        // several companies' products of one strength: the strength's quantity is what their rows state together
        specs.set(bid.spec, { quantity: addQuantities(listed?.quantity ?? null, bid.quantity), main: (listed?.main ?? false) || bid.mainStrength });
        pricedStrengths.set(varietyId, specs);
        const productId = await ensureProduct(tx, varietyId, bid, upload.id);
        await tx.insert(selectedProducts).values({
          batchId: batch.id,
          productId,
          referencePrice: bid.referencePrice,
          referenceBasis: bid.referenceBasis,
          isMainStrength: bid.mainStrength,
          selectedPrice: bid.selectedPrice,
          priceUnit: bid.unit,
          uploadId: upload.id,
        });
        written++;
      }
    }
    const links: (typeof batchVarieties.$inferInsert)[] = [...withWinner].map((varietyId) => ({ batchId: batch.id, varietyId, outcome: 'selected', uploadId: upload.id }));
    for (const varietyId of losing) if (!withWinner.has(varietyId)) links.push({ batchId: batch.id, varietyId, outcome: 'failed', uploadId: upload.id });
    if (links.length) await tx.insert(batchVarieties).values(links);
    // the strengths: the priced ones whose rows state a quantity, and those that follow the main strength's price
    const strengthRows: (typeof batchStrengths.$inferInsert)[] = [];
    for (const [varietyId, specs] of pricedStrengths)
      for (const [spec, listed] of specs)
        if (listed.quantity !== null) strengthRows.push({ batchId: batch.id, varietyId, spec, quantity: listed.quantity, isMainStrength: listed.main, hasPrice: true, uploadId: upload.id });
    for (const s of checkStrengths(batch.productType, strengths, priced, failed, upload).kept) {
      const varietyId = varietyOf.get(varietyKey(batch.productType, s.generic, s.form))!;
      strengthRows.push({ batchId: batch.id, varietyId, spec: s.spec, quantity: s.quantity, isMainStrength: s.mainStrength, hasPrice: false, uploadId: upload.id });
    }
    if (strengthRows.length) await tx.insert(batchStrengths).values(strengthRows);
    await tx.update(batches).set({ varietiesArePlaceholders: false, updatedAt: sql`now()` }).where(eq(batches.id, batch.id));
    await recomputeSummaries(tx, { varieties: [...new Set([...varietiesBefore, ...(await selectedVarieties(tx, batch.id))])] });
    return written;
  },

  async revert(tx, upload) {
    const varietiesBefore = upload.batchId === null ? [] : await selectedVarieties(tx, upload.batchId);
    await restoreRows(tx, upload.id, 'selected_products');
    await restoreRows(tx, upload.id, 'batch_strengths');
    await restoreRows(tx, upload.id, 'batch_varieties');
    // what the upload created and nothing else uses any more (the uses in the provinces' tables as lists,
    // not correlated: on a Citus cluster they are read from every shard once, then the product rows deleted)
    const created = sql`select id from products where upload_id = ${upload.id}`;
    await tx.execute(sql`
      delete from products p where p.upload_id = ${upload.id}
        and not exists (select 1 from selected_products sp where sp.product_id = p.id)
        and p.id not in (select av.product_id from agreed_volumes av where av.product_id in (${created}))
        and p.id not in (select pu.product_id from purchases pu where pu.product_id in (${created}))`);
    await tx.execute(sql`
      delete from varieties v where v.upload_id = ${upload.id}
        and not exists (select 1 from batch_varieties bv where bv.variety_id = v.id)
        and not exists (select 1 from products p where p.variety_id = v.id)
        and not exists (select 1 from province_volumes pv where pv.variety_id = v.id)
        and not exists (select 1 from batch_strengths bs where bs.variety_id = v.id)`);
    if (upload.batchId !== null)
      await tx.execute(sql`
        update batches b set varieties_are_placeholders = exists (
          select 1 from batch_varieties bv join varieties v on v.id = bv.variety_id where bv.batch_id = b.id and v.is_placeholder)
        where b.id = ${upload.batchId}`);
    if (upload.batchId !== null)
      await recomputeSummaries(tx, { varieties: [...new Set([...varietiesBefore, ...(await selectedVarieties(tx, upload.batchId))])] });
  },
};

/** Two quantities stated for one strength, added exactly (decimal strings; null: not stated). */
function addQuantities(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return toPlain(new Dec(a).plus(b));
}

/** The varieties of the products a batch selects. */
async function selectedVarieties(tx: Tx, batchId: number): Promise<number[]> {
  const rows = await selectRows<{ id: number }>(tx, sql`select distinct p.variety_id as "id" from selected_products sp join products p on p.id = sp.product_id where sp.batch_id = ${batchId}`);
  return rows.map((r) => r.id);
}

async function ensureVariety(
  tx: Tx,
  batch: BatchInfo,
  bid: Pick<Bid, 'generic' | 'form' | 'category'>,
  uploadId: number,
  match: (bid: Bid) => number | undefined,
  cache: Map<string, number>,
  categoryByName: Map<string, number>,
): Promise<number> {
  const key = varietyKey(batch.productType, bid.generic, bid.form);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let id = match(bid as Bid);
  if (id === undefined) {
    const [row] = await tx
      .insert(varieties)
      .values({
        productType: batch.productType,
        key,
        nameZh: bid.generic,
        dosageFormGroup: bid.form,
        categoryId: bid.category ? (categoryByName.get(bid.category) ?? null) : null,
        source: `upload:${uploadId}`,
        uploadId,
      })
      .onConflictDoUpdate({ target: [varieties.productType, varieties.key], set: { nameZh: sql`${varieties.nameZh}` } })
      .returning({ id: varieties.id });
    id = row!.id;
  }
  cache.set(key, id);
  return id;
}

async function ensureProduct(tx: Tx, varietyId: number, bid: Bid, uploadId: number): Promise<number> {
  if (bid.nhsaCode) {
    const [known] = await tx.select({ id: products.id }).from(products).where(eq(products.nhsaCode, bid.nhsaCode));
    if (known) return known.id;
  }
  const [row] = await tx
    .insert(products)
    .values({ varietyId, company: bid.company, spec: bid.spec, packaging: bid.packaging, unit: bid.unit, nhsaCode: bid.nhsaCode, uploadId })
    .onConflictDoUpdate({
      target: [products.varietyId, products.company, products.spec, products.packaging],
      set: { unit: sql`coalesce(${products.unit}, excluded.unit)`, nhsaCode: sql`coalesce(${products.nhsaCode}, excluded.nhsa_code)` },
    })
    .returning({ id: products.id });
  return row!.id;
}
