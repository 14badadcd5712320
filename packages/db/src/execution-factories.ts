/**
 * Test factories for execution data: institutions, agreed volumes and monthly purchases. Like factories.ts,
 * each creates rows with sensible defaults and unique natural keys and returns them.
 */
import type { Db } from './client';
import { agreedVolumes, institutions, products, purchases } from './schema/index';

let sequence = 0;
const next = () => ++sequence;

type Insert<T extends { $inferInsert: unknown }> = Partial<T['$inferInsert']>;

export async function createInstitution(db: Db, values: Insert<typeof institutions> & { regionCode: string }) {
  const n = next();
  const [row] = await db
    .insert(institutions)
    .values({ code: `H${values.regionCode}${String(n).padStart(5, '0')}`, name: `测试医院${n}`, level: '三级', ...values })
    .returning();
  return row!;
}

export async function createAgreedVolume(
  db: Db,
  values: Insert<typeof agreedVolumes> & {
    regionCode: string;
    institutionId: number;
    batchId: number;
    varietyId: number;
    periodStart: string;
    periodEnd: string;
    quantity: string;
  },
) {
  const [row] = await db.insert(agreedVolumes).values({ contractYear: 1, ...values }).returning();
  return row!;
}

/** Monthly purchases of one institution and product: `months` maps the first day of a month to its quantity. */
export async function createPurchases(
  db: Db,
  values: { regionCode: string; institutionId: number; productId: number; months: Record<string, string>; isSynthetic?: boolean },
) {
  const rows = Object.entries(values.months).map(([month, quantity]) => ({
    regionCode: values.regionCode,
    institutionId: values.institutionId,
    productId: values.productId,
    month,
    quantity,
    isSynthetic: values.isSynthetic ?? false,
  }));
  if (rows.length > 0) await db.insert(purchases).values(rows);
  return rows;
}

/** A product no batch selected (非中选): in the catalogue, bought, never in selected_products. */
export async function createProduct(db: Db, values: Insert<typeof products> & { varietyId: number }) {
  const n = next();
  const [row] = await db.insert(products).values({ company: `非中选企业${n}`, spec: `${n}mg`, ...values }).returning();
  return row!;
}
