/**
 * The products synthetic purchases are made of, read from and added to the catalogue:
 * - a batch implemented in the region that has real selected products keeps them (and their prices);
 * - a batch with synthetic selected products already (another region's synthetic load, or an earlier one)
 *   reuses them, since a national batch's results are the same in every province;
 * - any other batch gets 1–4 synthetic selected products per selected variety, company `合成企业NN（合成）`,
 *   reference price around the variety's, cut drawn around the batch's published average cut (else 50%),
 *   clipped to [5%, 97%];
 * - every variety gets 1–2 synthetic non-selected products (never in selected_products), reused when a
 *   variety already has some; their price paid is 90–140% of the variety's reference price.
 */
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '@vbp/db';
import { products, selectedProducts } from '@vbp/db/schema';
import type { IsoDate } from '@vbp/contracts/dates';
import {
  clip,
  contractYears,
  PRESENTATIONS,
  presentationOf,
  scheduleVariety,
  varietyTraits,
  type BatchSpan,
  type ImplementedBatch,
  type Presentation,
  type PricedProduct,
  type VarietyPlan,
} from './model';
import { hash3, hash4, Random, unit } from './random';
import { formatE4, parseE4 } from './rows';

/** Stay well under the drivers' 65,534 bind parameters per statement. */
const MAX_PARAMETERS = 30_000;

interface BatchRow extends ImplementedBatch {
  code: string;
  publishedAvgCut: number | null;
}

interface VarietyRow {
  batchId: number;
  varietyId: number;
  productType: 'drug' | 'consumable';
  dosageFormGroup: string | null;
}

interface SelectedRow {
  batchId: number;
  productId: number;
  varietyId: number;
  selectedPrice: string;
  isSynthetic: boolean;
}

interface SyntheticProductRow {
  id: number;
  varietyId: number;
  company: string;
  unit: string | null;
  selected: boolean;
}

export interface ProductsResult {
  varieties: VarietyPlan[];
  batches: number;
  createdProducts: number;
  createdSelected: number;
}

const COMPANY = /^合成企业(\d+)（合成）$/;

function company(n: number): string {
  return `合成企业${String(n).padStart(2, '0')}（合成）`;
}

/**
 * Reads what the region has implemented, adds the synthetic products it lacks, and returns the
 * month-by-month plan of every variety bought in the region.
 */
export async function prepareProducts(
  db: Db,
  regionCode: string,
  seed: number,
  window: { months: IsoDate[]; start: IsoDate; end: IsoDate },
): Promise<ProductsResult> {
  const batchRows = (
    await selectRows<{ batchId: number; code: string; startOn: string; contractEndOn: string | null; contractYears: string | null; publishedAvgCut: string | null }>(
      db,
      sql`select i.batch_id as "batchId", b.code, i.start_on::text as "startOn", i.contract_end_on::text as "contractEndOn",
                 b.contract_years::text as "contractYears", b.published_avg_cut::text as "publishedAvgCut"
          from implementations i join batches b on b.id = i.batch_id
          where i.region_code = ${regionCode}
          order by i.start_on, i.batch_id`,
    )
  ).map(
    (r): BatchRow => ({
      batchId: Number(r.batchId),
      code: r.code,
      startOn: r.startOn,
      contractEndOn: r.contractEndOn,
      contractYears: r.contractYears === null ? null : Number(r.contractYears),
      publishedAvgCut: r.publishedAvgCut === null ? null : Number(r.publishedAvgCut),
    }),
  );
  const batchIds = batchRows.map((b) => b.batchId);
  if (batchIds.length === 0) return { varieties: [], batches: 0, createdProducts: 0, createdSelected: 0 };

  const varietyRows = (
    await selectRows<VarietyRow>(
      db,
      sql`select bv.batch_id as "batchId", v.id as "varietyId", v.product_type as "productType", v.dosage_form_group as "dosageFormGroup"
          from batch_varieties bv join varieties v on v.id = bv.variety_id
          where bv.outcome = 'selected' and bv.batch_id in ${idList(batchIds)}
          order by v.id, bv.batch_id`,
    )
  ).map((r) => ({ ...r, batchId: Number(r.batchId), varietyId: Number(r.varietyId) }));
  const varietyIds = [...new Set(varietyRows.map((r) => r.varietyId))];
  if (varietyIds.length === 0) return { varieties: [], batches: batchRows.length, createdProducts: 0, createdSelected: 0 };

  const selectedRows = (
    await selectRows<SelectedRow>(
      db,
      sql`select sp.batch_id as "batchId", sp.product_id as "productId", p.variety_id as "varietyId",
                 sp.selected_price::text as "selectedPrice", sp.is_synthetic as "isSynthetic"
          from selected_products sp join products p on p.id = sp.product_id
          where sp.batch_id in ${idList(batchIds)}
          order by sp.batch_id, p.variety_id, sp.product_id`,
    )
  ).map((r) => ({ ...r, batchId: Number(r.batchId), productId: Number(r.productId), varietyId: Number(r.varietyId) }));
  const syntheticProducts = (
    await selectRows<SyntheticProductRow>(
      db,
      sql`select p.id, p.variety_id as "varietyId", p.company, p.unit,
                 exists (select 1 from selected_products sp where sp.product_id = p.id) as selected
          from products p
          where p.is_synthetic and p.variety_id in ${idList(varietyIds)}
          order by p.variety_id, p.id`,
    )
  ).map((r) => ({ ...r, id: Number(r.id), varietyId: Number(r.varietyId) }));

  const realBatches = new Set(selectedRows.filter((r) => !r.isSynthetic).map((r) => r.batchId));
  const batchesWithSynthetic = new Set(selectedRows.filter((r) => r.isSynthetic).map((r) => r.batchId));
  const nextCompany = new Map<number, number>();
  for (const p of syntheticProducts) {
    const n = Number(COMPANY.exec(p.company)?.[1] ?? 0);
    nextCompany.set(p.varietyId, Math.max(nextCompany.get(p.varietyId) ?? 1, n + 1));
  }
  const takeCompany = (varietyId: number) => {
    const n = nextCompany.get(varietyId) ?? 1;
    nextCompany.set(varietyId, n + 1);
    return company(n);
  };

  // --- decide what to create, variety by variety (ascending id) ---
  type NewProduct = {
    varietyId: number;
    company: string;
    spec: string;
    packaging: string;
    unit: string;
    selectedIn?: { batchId: number; referencePrice: string; selectedPrice: string };
  };
  const toCreate: NewProduct[] = [];
  const varietyInfo = new Map<number, { productType: 'drug' | 'consumable'; presentation: Presentation; unit: string; referencePrice: number }>();
  const batchById = new Map(batchRows.map((b) => [b.batchId, b]));
  for (const varietyId of varietyIds) {
    const rows = varietyRows.filter((r) => r.varietyId === varietyId);
    const first = rows[0]!;
    const presentation = presentationOf(first.productType, first.dosageFormGroup);
    const profile = PRESENTATIONS[presentation];
    const traits = varietyTraits(seed, varietyId, presentation);
    const existingUnit = syntheticProducts.find((p) => p.varietyId === varietyId && p.unit)?.unit;
    const unitName = existingUnit ?? profile.unit;
    varietyInfo.set(varietyId, { productType: first.productType, presentation, unit: unitName, referencePrice: traits.referencePrice });

    const spec = (rng: Random) => ({ spec: rng.pick(profile.specs), packaging: rng.pick(profile.packaging), unit: unitName });
    if (!syntheticProducts.some((p) => p.varietyId === varietyId && !p.selected)) {
      const rng = new Random(hash3(seed, 0x905, varietyId));
      const count = rng.chance(0.6) ? 1 : 2;
      for (let i = 0; i < count; i++) toCreate.push({ varietyId, company: takeCompany(varietyId), ...spec(rng) });
    }
    for (const row of rows) {
      if (realBatches.has(row.batchId) || batchesWithSynthetic.has(row.batchId)) continue;
      const batch = batchById.get(row.batchId)!;
      const rng = new Random(hash4(seed, 0x5e1, row.batchId, varietyId));
      const count = 1 + rng.weighted([0.25, 0.35, 0.25, 0.15]);
      const meanCut = clip(batch.publishedAvgCut ?? 0.5, 0.05, 0.97);
      // narrower near the clip bounds, so clipping does not pull the mean away from the published cut
      const spread = Math.min(0.12, (0.97 - meanCut) / 2, (meanCut - 0.05) / 2);
      for (let i = 0; i < count; i++) {
        const referenceE4 = Math.max(1, Math.round(traits.referencePrice * rng.between(0.85, 1.15) * 10_000));
        const cut = clip(meanCut + spread * rng.normal(), 0.05, 0.97);
        const selectedE4 = Math.max(1, Math.round(referenceE4 * (1 - cut)));
        toCreate.push({
          varietyId,
          company: takeCompany(varietyId),
          ...spec(rng),
          selectedIn: { batchId: row.batchId, referencePrice: formatE4(referenceE4), selectedPrice: formatE4(selectedE4) },
        });
      }
    }
  }

  // --- write them ---
  const createdIds: number[] = [];
  const productColumns = 7;
  for (let i = 0; i < toCreate.length; i += Math.floor(MAX_PARAMETERS / productColumns)) {
    const slice = toCreate.slice(i, i + Math.floor(MAX_PARAMETERS / productColumns));
    const inserted = await db
      .insert(products)
      .values(slice.map((p) => ({ varietyId: p.varietyId, company: p.company, spec: p.spec, packaging: p.packaging, unit: p.unit, isSynthetic: true })))
      .returning({ id: products.id });
    createdIds.push(...inserted.map((r) => r.id));
  }
  const newSelected = toCreate.flatMap((p, i) =>
    p.selectedIn
      ? [
          {
            batchId: p.selectedIn.batchId,
            productId: createdIds[i]!,
            referencePrice: p.selectedIn.referencePrice,
            selectedPrice: p.selectedIn.selectedPrice,
            priceUnit: p.unit,
            isSynthetic: true,
          },
        ]
      : [],
  );
  for (let i = 0; i < newSelected.length; i += Math.floor(MAX_PARAMETERS / 6)) {
    await db.insert(selectedProducts).values(newSelected.slice(i, i + Math.floor(MAX_PARAMETERS / 6)));
  }

  // --- the catalogue as purchases see it ---
  const selectedByBatchVariety = new Map<string, PricedProduct[]>();
  const addSelected = (batchId: number, varietyId: number, product: PricedProduct) => {
    const key = `${batchId}:${varietyId}`;
    const list = selectedByBatchVariety.get(key) ?? [];
    list.push(product);
    selectedByBatchVariety.set(key, list);
  };
  for (const r of selectedRows) {
    if (realBatches.has(r.batchId) && r.isSynthetic) continue;
    addSelected(r.batchId, r.varietyId, { productId: r.productId, priceE4: Math.max(1, parseE4(r.selectedPrice)) });
  }
  toCreate.forEach((p, i) => {
    if (p.selectedIn) addSelected(p.selectedIn.batchId, p.varietyId, { productId: createdIds[i]!, priceE4: parseE4(p.selectedIn.selectedPrice) });
  });
  const nonSelectedIds = new Map<number, number[]>();
  for (const p of syntheticProducts) if (!p.selected) nonSelectedIds.set(p.varietyId, [...(nonSelectedIds.get(p.varietyId) ?? []), p.id]);
  toCreate.forEach((p, i) => {
    if (!p.selectedIn) nonSelectedIds.set(p.varietyId, [...(nonSelectedIds.get(p.varietyId) ?? []), createdIds[i]!]);
  });

  const varieties: VarietyPlan[] = [];
  for (const varietyId of varietyIds) {
    const info = varietyInfo.get(varietyId)!;
    const traits = varietyTraits(seed, varietyId, info.presentation);
    const batchesOfVariety = varietyRows
      .filter((r) => r.varietyId === varietyId)
      .map((r) => batchById.get(r.batchId)!)
      .sort((a, b) => (a.startOn < b.startOn ? -1 : a.startOn > b.startOn ? 1 : a.batchId - b.batchId));
    const spans: BatchSpan[] = batchesOfVariety.map((batch, i) => {
      const next = batchesOfVariety[i + 1];
      return {
        batchId: batch.batchId,
        startOn: batch.startOn,
        selected: selectedByBatchVariety.get(`${batch.batchId}:${varietyId}`) ?? [],
        years: contractYears(batch, window.start, window.end, next ? next.startOn : null),
      };
    });
    const nonSelected = (nonSelectedIds.get(varietyId) ?? []).map((productId) => ({
      productId,
      priceE4: Math.max(1, Math.round(info.referencePrice * 10_000 * (0.9 + 0.5 * unit(hash3(seed, 0x906, productId))))),
    }));
    varieties.push({
      varietyId,
      productType: info.productType,
      unit: info.unit,
      baseDemand: traits.baseDemand,
      minDemand: PRESENTATIONS[info.presentation].minDemand,
      popularity: traits.popularity,
      spans,
      nonSelected,
      ...scheduleVariety(spans, window.months),
    });
  }
  return {
    varieties,
    batches: batchRows.length,
    createdProducts: toCreate.length,
    createdSelected: newSelected.length,
  };
}

function idList(ids: readonly number[]): SQL {
  return sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}
