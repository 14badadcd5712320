/**
 * The rows of the big tables, derived from the plan and the seed alone and produced one at a time, so any
 * size streams through COPY with bounded memory. Each institution × variety pair has its own random
 * stream (keyed by a hash of seed, institution and variety) and month-level values are hashes too, so
 * rows do not depend on generation order and `countPurchaseRows` knows the total before any row is made.
 *
 * Per pair: whether the institution buys the variety at all (by level, the variety's popularity and the
 * density option); its annual demand (by institution size); the agreed share of demand (55–80%); a yearly
 * drift; the non-selected share (5–30%, bought every month or in about half the months); which one or two
 * selected products of each batch it buys. Monthly selected quantity = agreed / 12 × the institution's
 * behaviour (on track, lagging or over-buying) × season × noise; amounts = quantity × price, to the fen.
 */
import type { CopyRow } from '@vbp/db';
import { BUY_CHANCE, type PlannedInstitution, type PricedProduct, type SyntheticPlan, type VarietyPlan } from './model';
import { hash3, hash4, Random, unit } from './random';

export const AGREED_VOLUME_COLUMNS = [
  'region_code',
  'institution_id',
  'batch_id',
  'variety_id',
  'product_id',
  'contract_year',
  'period_start',
  'period_end',
  'quantity',
  'unit',
  'upload_id',
  'is_synthetic',
] as const;

export const PURCHASE_COLUMNS = [
  'region_code',
  'institution_id',
  'product_id',
  'month',
  'quantity',
  'amount',
  'upload_id',
  'is_synthetic',
] as const;

/** Monthly buying relative to the year's average: low around the Spring Festival, high in December. */
const SEASON = [1.02, 0.82, 1.04, 1.0, 0.98, 1.0, 1.01, 0.99, 1.0, 1.02, 1.03, 1.09];

interface PairDraw {
  seed: number;
  demand: number;
  share: number;
  growth: number;
  nonSelectedShare: number;
  /** Chance that a month has non-selected purchases (1 or 0.5); quantities are scaled to keep the share. */
  nonSelectedMonthly: number;
  nonSelected: PricedProduct | undefined;
}

function drawPair(plan: SyntheticPlan, institution: PlannedInstitution, variety: VarietyPlan): PairDraw | undefined {
  const seed = hash4(plan.seed, 0x9a1, institution.ordinal, variety.varietyId);
  const rng = new Random(seed);
  const chance = Math.min(0.98, BUY_CHANCE[variety.productType][institution.level] * variety.popularity * plan.density);
  if (!rng.chance(chance)) return undefined;
  const demand = Math.max(variety.minDemand, variety.baseDemand * institution.size * rng.logNormal(1, 0.35));
  const share = rng.between(0.55, 0.8);
  const growth = rng.between(-0.03, 0.08);
  const nonSelectedShare = rng.between(0.05, 0.3);
  const nonSelectedMonthly = rng.chance(0.4) ? 1 : 0.5;
  const pickNonSelected = rng.next();
  const nonSelected = variety.nonSelected[Math.floor(pickNonSelected * variety.nonSelected.length)];
  return { seed, demand, share, growth, nonSelectedShare, nonSelectedMonthly, nonSelected };
}

/** The one or two selected products of a batch that a pair buys, with the first one's share of quantity. */
function chooseSelected(pair: PairDraw, batchId: number, selected: readonly PricedProduct[]): PricedProduct[] {
  const n = selected.length;
  if (n === 0) return [];
  const first = Math.floor(unit(hash4(pair.seed, batchId, 0x5e1, 1)) * n);
  const out = [selected[first]!];
  if (n >= 2 && unit(hash4(pair.seed, batchId, 0x5e1, 2)) < 0.12) {
    const offset = 1 + Math.floor(unit(hash4(pair.seed, batchId, 0x5e1, 3)) * (n - 1));
    out.push(selected[(first + offset) % n]!);
  }
  return out;
}

function annualAgreed(pair: PairDraw, year: number): number {
  return pair.demand * pair.share * (1 + pair.growth) ** (year - 1);
}

function nonSelectedInMonth(pair: PairDraw, k: number): boolean {
  return pair.nonSelectedMonthly >= 1 || unit(hash3(pair.seed, k, 0x2)) < pair.nonSelectedMonthly;
}

/** Agreed volumes: institution × batch × variety × contract year, for the pairs that buy. */
export function* agreedVolumeRows(plan: SyntheticPlan, institutionIds: readonly number[], uploadId: number): Generator<CopyRow> {
  for (const institution of plan.institutions) {
    const institutionId = institutionIds[institution.ordinal]!;
    for (const variety of plan.varieties) {
      const pair = drawPair(plan, institution, variety);
      if (!pair) continue;
      for (const span of variety.spans) {
        if (span.selected.length === 0) continue;
        for (const year of span.years) {
          const quantity = Math.max(1, Math.round(annualAgreed(pair, year.year) * year.fraction));
          yield [
            plan.regionCode,
            institutionId,
            span.batchId,
            variety.varietyId,
            null,
            year.year,
            year.start,
            year.end,
            String(quantity),
            variety.unit,
            uploadId,
            true,
          ];
        }
      }
    }
  }
}

interface MonthQuantity {
  k: number;
  quantity: number;
  priceE4: number;
}

/** Purchases of one pair, by product (ascending id) then month. */
function pairPurchases(plan: SyntheticPlan, institution: PlannedInstitution, variety: VarietyPlan, pair: PairDraw): Map<number, MonthQuantity[]> {
  const byProduct = new Map<number, MonthQuantity[]>();
  const add = (product: PricedProduct, k: number, quantity: number) => {
    let list = byProduct.get(product.productId);
    if (!list) byProduct.set(product.productId, (list = []));
    list.push({ k, quantity, priceE4: product.priceE4 });
  };
  const chosen = variety.spans.map((span) => chooseSelected(pair, span.batchId, span.selected));
  for (let k = 0; k < plan.months.length; k++) {
    const s = variety.monthSpan[k]!;
    if (s < 0) continue;
    const products = chosen[s]!;
    if (products.length === 0) continue;
    const month = plan.months[k]!;
    const season = SEASON[Number(month.slice(5, 7)) - 1]!;
    const noise = 0.88 + 0.24 * unit(hash3(pair.seed, k, 0x1));
    const target = (annualAgreed(pair, variety.monthYear[k]!) / 12) * institution.behaviourFactor * season * noise * variety.monthFraction[k]!;
    let selected = Math.max(products.length, Math.round(target));
    if (products.length === 2) {
      const first = Math.max(1, Math.round(selected * 0.7));
      add(products[0]!, k, first);
      add(products[1]!, k, selected - first);
    } else {
      add(products[0]!, k, selected);
    }
    if (pair.nonSelected && nonSelectedInMonth(pair, k)) {
      const s2 = pair.nonSelectedShare;
      const jitter = 0.85 + 0.3 * unit(hash3(pair.seed, k, 0x3));
      selected = Math.max(1, selected);
      add(pair.nonSelected, k, Math.max(1, Math.round(((selected * s2) / (1 - s2) / pair.nonSelectedMonthly) * jitter)));
    }
  }
  return new Map([...byProduct.entries()].sort((a, b) => a[0] - b[0]));
}

/** Monthly purchases per institution × product, in primary-key order within each institution. */
export function* purchaseRows(plan: SyntheticPlan, institutionIds: readonly number[], uploadId: number): Generator<CopyRow> {
  for (const institution of plan.institutions) {
    const institutionId = institutionIds[institution.ordinal]!;
    for (const variety of plan.varieties) {
      const pair = drawPair(plan, institution, variety);
      if (!pair) continue;
      for (const [productId, months] of pairPurchases(plan, institution, variety, pair)) {
        for (const { k, quantity, priceE4 } of months) {
          yield [plan.regionCode, institutionId, productId, plan.months[k]!, String(quantity), formatFen(quantity, priceE4), uploadId, true];
        }
      }
    }
  }
}

/** How many rows `purchaseRows` and `agreedVolumeRows` will produce, without making them. */
export function countRows(plan: SyntheticPlan): { purchases: number; agreedVolumes: number } {
  let purchases = 0;
  let agreedVolumes = 0;
  for (const institution of plan.institutions) {
    for (const variety of plan.varieties) {
      const pair = drawPair(plan, institution, variety);
      if (!pair) continue;
      const chosen = variety.spans.map((span) => chooseSelected(pair, span.batchId, span.selected));
      variety.spans.forEach((span) => {
        if (span.selected.length > 0) agreedVolumes += span.years.length;
      });
      for (let k = 0; k < plan.months.length; k++) {
        const s = variety.monthSpan[k]!;
        if (s < 0 || chosen[s]!.length === 0) continue;
        purchases += chosen[s]!.length;
        if (pair.nonSelected && nonSelectedInMonth(pair, k)) purchases++;
      }
    }
  }
  return { purchases, agreedVolumes };
}

/** quantity × price (price in 1/10,000 元) as 元 with two decimals, rounded half up; exact in integers. */
export function formatFen(quantity: number, priceE4: number): string {
  const fen = Math.floor((quantity * priceE4 + 50) / 100);
  const yuan = Math.floor(fen / 100);
  const rest = fen - yuan * 100;
  return `${yuan}.${rest < 10 ? '0' : ''}${rest}`;
}

/** A price in 1/10,000 元 as a numeric(14,4) string. */
export function formatE4(priceE4: number): string {
  const whole = Math.floor(priceE4 / 10_000);
  const rest = String(priceE4 - whole * 10_000).padStart(4, '0');
  return `${whole}.${rest}`;
}

export function parseE4(decimal: string): number {
  return Math.round(Number(decimal) * 10_000);
}
