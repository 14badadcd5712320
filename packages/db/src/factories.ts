/**
 * Test factories: each creates one row with sensible defaults and unique natural keys, and returns it.
 * Tests build exactly the data they assert on, so they depend on no seed data, fixed id or order.
 */
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import {
  batchVarieties,
  batches,
  categories,
  implementations,
  products,
  regions,
  selectedProducts,
  sourceDocuments,
  targets,
  varieties,
} from './schema/index';

let sequence = 0;
const next = () => ++sequence;

type Insert<T extends { $inferInsert: unknown }> = Partial<T['$inferInsert']>;

export async function createRegion(db: Db, overrides: Insert<typeof regions> = {}) {
  const code = overrides.code ?? String(700000 + next() * 100).slice(0, 6);
  const existing = await db.select().from(regions).where(eq(regions.code, code));
  if (existing[0]) return existing[0];
  const [row] = await db
    .insert(regions)
    .values({ code, nameZh: `测试省${code}`, shortNameZh: `测${code}`, nameEn: `Test ${code}`, kind: 'province', sortOrder: 50, ...overrides })
    .returning();
  return row!;
}

/** The nation row (100000), created once per database. */
export function createNation(db: Db) {
  return createRegion(db, { code: '100000', nameZh: '全国', shortNameZh: '全国', nameEn: 'China', kind: 'nation', sortOrder: 0 });
}

export async function createCategory(db: Db, overrides: Insert<typeof categories> = {}) {
  const n = next();
  const [row] = await db.insert(categories).values({ productType: 'consumable', code: `CAT${n}`, nameZh: `类别${n}`, ...overrides }).returning();
  return row!;
}

export async function createVariety(db: Db, overrides: Insert<typeof varieties> = {}) {
  const n = next();
  const [row] = await db
    .insert(varieties)
    .values({ productType: 'drug', key: `测试药${n}|口服常释剂型`, nameZh: `测试药${n}`, dosageFormGroup: '口服常释剂型', ...overrides })
    .returning();
  return row!;
}

export async function createBatch(db: Db, overrides: Insert<typeof batches> = {}) {
  const n = next();
  const [row] = await db
    .insert(batches)
    .values({ code: `T${n}`, level: 'national', productType: 'drug', nameZh: `测试批次${n}`, organizer: '测试', ...overrides })
    .returning();
  return row!;
}

/** Links varieties to a batch (outcome `selected` unless given). */
export async function addVarieties(db: Db, batchId: number, varietyIds: readonly number[], outcome: 'selected' | 'failed' = 'selected') {
  if (varietyIds.length === 0) return;
  await db.insert(batchVarieties).values(varietyIds.map((varietyId) => ({ batchId, varietyId, outcome })));
}

/** A batch with `count` new varieties of its product type, in one call. */
export async function createBatchWithVarieties(db: Db, count: number, overrides: Insert<typeof batches> = {}, variety: Insert<typeof varieties> = {}) {
  const batch = await createBatch(db, overrides);
  const created = [];
  for (let i = 0; i < count; i++) created.push(await createVariety(db, { productType: batch.productType, ...variety }));
  await addVarieties(db, batch.id, created.map((v) => v.id));
  return { batch, varieties: created };
}

export async function createImplementation(db: Db, values: Insert<typeof implementations> & { batchId: number; regionCode: string; startOn: string }) {
  const [row] = await db.insert(implementations).values(values).returning();
  return row!;
}

export async function createSelectedProduct(
  db: Db,
  values: { batchId: number; varietyId: number; referencePrice: string | null; selectedPrice: string } & Insert<typeof products>,
) {
  const n = next();
  const { batchId, referencePrice, selectedPrice, ...product } = values;
  const [p] = await db.insert(products).values({ company: `测试企业${n}`, spec: `${n}mg`, ...product }).returning();
  const [sp] = await db
    .insert(selectedProducts)
    .values({ batchId, productId: p!.id, referencePrice, selectedPrice, isSynthetic: product.isSynthetic ?? false })
    .returning();
  return { product: p!, selected: sp! };
}

export async function createDocument(db: Db, overrides: Insert<typeof sourceDocuments> = {}) {
  const n = next();
  const [row] = await db.insert(sourceDocuments).values({ code: `DOC${n}`, titleZh: `测试文件${n}`, issuer: '测试机关', ...overrides }).returning();
  return row!;
}

export async function createTarget(db: Db, values: Insert<typeof targets> & { regionCode: string; count: number; dueOn: string; setOn: string }) {
  const n = next();
  const [row] = await db.insert(targets).values({ code: `TGT${n}`, productType: 'drug', unit: 'variety', ...values }).returning();
  return row!;
}
