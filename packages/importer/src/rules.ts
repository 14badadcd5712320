/**
 * Per-kind rules applied after the cells of a row are parsed: which batch-results rows list a losing bid,
 * cross-column checks (errors), and plausibility warnings that do not block a row.
 *
 * Warnings (batch-results):
 * - PRICE_CUT_ABOVE_95: 1 − selected / ceiling > 0.95 (possible unit mix-up, or a real deep cut);
 * - SELECTED_ABOVE_CEILING: the selected price is above the ceiling price;
 * - PRICE_LOOKS_LIKE_PACK_PRICE: the spec or packaging names a pack count N ≥ 2 (28片, 10mg×28片, 7粒/盒)
 *   and the price is at least N × the median selected price of the other rows of the same variety
 *   (generic name + dosage form, needing at least one other row): the price was probably entered per
 *   pack in a per-unit table. Checked at the end of the file over the first 200,000 selected rows.
 * Purchases: NEGATIVE_VALUE for a negative quantity or amount (returns), a warning.
 */
import type { UploadIssue, UploadKind } from '@vbp/contracts/uploads';
import type { RawCell } from './cells';
import { cellIssue } from './issues';

export type CellValue = string | boolean | string[] | null;
export type Values = Record<string, CellValue>;

export interface RuleContext {
  rowNumber: number;
  /** The column's header as written, or its Chinese label when the file has no such column. */
  header(key: string): string;
  error(issue: UploadIssue): void;
  warn(issue: UploadIssue): void;
}

export interface KindRules {
  /** Extra text meaning "no value" per column (beyond the column spec's own markers). */
  extraEmptyMarkers?: Record<string, readonly string[]>;
  /** batch-results: whether the row lists a bid that did not win. */
  isNotSelected?(values: Values, markers: Record<string, string>, cells: readonly RawCell[]): { notSelected: boolean; failedTender: boolean };
  /** Rewrites values before a row is judged (a marker inside a value that is not part of it). */
  normalize?(values: Values): void;
  /**
   * batch-results: whether a kept row is a strength listed without a price of its own (checked after
   * `isNotSelected`); such a row needs only `requiredWithoutPrice` and is not checked further.
   */
  isWithoutPrice?(values: Values): boolean;
  requiredWithoutPrice?: readonly string[];
  /** Columns required beyond the spec's for rows that are kept (selected) … */
  requiredWhenKept?: readonly string[];
  /** … and the only columns required for rows that did not win. */
  requiredWhenNotSelected?: readonly string[];
  check?(values: Values, ctx: RuleContext): void;
  /** Warnings that need the whole file, given after the last row. */
  finish?(): UploadIssue[];
}

const NOT_SELECTED_WORDS = new Set(['流标', '未中选', '未中标', '落选', '不中选', '未入围', '未接受议价']);

/** A main strength (主规格) marked the 4+7 pilot's way, with a trailing asterisk: 20mg* (not 10mg*28片). */
const MAIN_STRENGTH = /\s*[*＊]$/u;

/** Takes a main-strength marker off the spec and records it as `mainStrength` (every row gets the key). */
function takeMainStrength(values: Values): void {
  const marked = typeof values.spec === 'string' && MAIN_STRENGTH.test(values.spec);
  if (marked) values.spec = (values.spec as string).replace(MAIN_STRENGTH, '') || null;
  values.mainStrength = marked;
}

/**
 * A strength with an agreed quantity and no price, no pack and no 是 in 是否中选: the 4+7 pilot's way of
 * listing a selected variety's other strengths (only the main strength was priced; the company may be on
 * another of the variety's rows, above or below). Whether the variety has a priced row is the kind's to check.
 */
function isWithoutPrice(values: Values): boolean {
  return values.selectedPrice === null && values.quantity !== null && values.spec !== null && values.packaging === null && values.selected !== true;
}

/** How far a published cut may differ from the one the prices give before it is worth a warning. */
const CUT_TOLERANCE = 0.01;

function num(value: CellValue | undefined): number {
  return typeof value === 'string' ? Number(value) : Number.NaN;
}

function valueIssue(row: number, column: string, value: string, code: string, en: string, zh: string): UploadIssue {
  return cellIssue(row, column, value, { code, en, zh });
}

/** The pack count a spec or packaging text names: 28片, 10mg*28片, 7粒/盒, 1支 → 28, 28, 7, 1. */
export function packCount(text: string | null): number | null {
  if (!text) return null;
  const counts = [...text.matchAll(/(\d+)\s*(?:片|粒|袋|支|瓶|丸|贴|枚|包|揿|喷|板|盒)/gu)].map((m) => Number(m[1]));
  return counts.length > 0 ? Math.max(...counts) : null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const PACK_CHECK_ROWS = 200_000;

function batchResultRules(): KindRules {
  const byVariety = new Map<string, { row: number; price: number; text: string; count: number | null }[]>();
  let tracked = 0;
  let header = '中选价格';
  return {
    extraEmptyMarkers: { selectedPrice: [...NOT_SELECTED_WORDS], company: [...NOT_SELECTED_WORDS], quantity: [...NOT_SELECTED_WORDS] },
    normalize(values) {
      takeMainStrength(values);
      values.withoutPrice = false;
    },
    isWithoutPrice,
    requiredWithoutPrice: ['genericName', 'spec'],
    isNotSelected(values, markers, cells) {
      const failedTender = Object.values(markers).includes('流标') || cells.some((c) => typeof c === 'string' && c.trim() === '流标');
      if (values.selected === false) return { notSelected: true, failedTender };
      if (values.selected === true || values.selectedPrice !== null) return { notSelected: false, failedTender: false };
      const marked = Object.values(markers).some((m) => NOT_SELECTED_WORDS.has(m)) || cells.some((c) => typeof c === 'string' && NOT_SELECTED_WORDS.has(c.trim()));
      return { notSelected: marked, failedTender };
    },
    requiredWhenKept: ['selectedPrice'],
    requiredWhenNotSelected: ['genericName'],
    check(values, ctx) {
      const selected = num(values.selectedPrice);
      const ceiling = num(values.referencePrice);
      header = ctx.header('selectedPrice');
      if (!(selected > 0)) {
        ctx.error(valueIssue(ctx.rowNumber, header, String(values.selectedPrice), 'PRICE_NOT_POSITIVE', 'must be greater than zero', '应大于零'));
        return;
      }
      const companyAverage = num(values.companyAveragePrice);
      if (companyAverage < 0) ctx.error(valueIssue(ctx.rowNumber, ctx.header('companyAveragePrice'), String(values.companyAveragePrice), 'PRICE_NOT_POSITIVE', 'must not be negative', '不能为负数'));
      const base = ceiling > 0 ? ceiling : companyAverage;
      const published = num(values.publishedCut);
      if (base > 0 && Number.isFinite(published) && Math.abs(1 - selected / base - published) > CUT_TOLERANCE) {
        const computed = ((1 - selected / base) * 100).toFixed(1);
        const baseZh = ceiling > 0 ? '最高有效申报价' : '企业近三年平均价';
        ctx.warn(
          valueIssue(ctx.rowNumber, ctx.header('publishedCut'), `${(published * 100).toFixed(1)}%`, 'PUBLISHED_CUT_DIFFERS',
            `differs from the cut the prices give (${computed}% from ${ceiling > 0 ? 'the ceiling price' : 'the company 3-year average price'})`,
            `与按价格计算的降幅（较${baseZh} ${computed}%）不一致`),
        );
      }
      if (ceiling < 0) ctx.error(valueIssue(ctx.rowNumber, ctx.header('referencePrice'), String(values.referencePrice), 'PRICE_NOT_POSITIVE', 'must not be negative', '不能为负数'));
      if (ceiling > 0 && selected > ceiling) {
        ctx.warn(valueIssue(ctx.rowNumber, header, String(values.selectedPrice), 'SELECTED_ABOVE_CEILING', `is above the ceiling price ${String(values.referencePrice)}`, `高于最高有效申报价 ${String(values.referencePrice)}`));
      } else if (ceiling > 0 && 1 - selected / ceiling > 0.95) {
        const cut = ((1 - selected / ceiling) * 100).toFixed(1);
        ctx.warn(valueIssue(ctx.rowNumber, header, String(values.selectedPrice), 'PRICE_CUT_ABOVE_95', `is a ${cut}% cut from the ceiling price ${String(values.referencePrice)}; check the unit`, `较最高有效申报价 ${String(values.referencePrice)} 降幅达 ${cut}%，请核对计价单位`));
      }
      if (tracked < PACK_CHECK_ROWS && typeof values.genericName === 'string') {
        tracked++;
        const key = `${values.genericName}\u0000${String(values.dosageForm ?? '')}`;
        const count = packCount(typeof values.packaging === 'string' ? values.packaging : null) ?? packCount(typeof values.spec === 'string' ? values.spec : null);
        const list = byVariety.get(key) ?? [];
        list.push({ row: ctx.rowNumber, price: selected, text: String(values.selectedPrice), count });
        byVariety.set(key, list);
      }
    },
    finish() {
      const issues: UploadIssue[] = [];
      for (const rows of byVariety.values()) {
        if (rows.length < 2) continue;
        for (const r of rows) {
          if (r.count === null || r.count < 2) continue;
          const others = median(rows.filter((o) => o !== r).map((o) => o.price));
          if (others > 0 && r.price >= r.count * others) {
            issues.push(valueIssue(r.row, header, r.text, 'PRICE_LOOKS_LIKE_PACK_PRICE', `is at least ${r.count} × the other prices of this variety: is it the price of a pack of ${r.count}?`, `是同品种其他价格的 ${r.count} 倍以上：是否填成了每盒（${r.count}）的价格？`));
          }
        }
      }
      return issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    },
  };
}

function implementationRules(): KindRules {
  return {
    check(values, ctx) {
      if (typeof values.contractEndOn === 'string' && typeof values.startOn === 'string' && values.contractEndOn < values.startOn) {
        ctx.error(valueIssue(ctx.rowNumber, ctx.header('contractEndOn'), values.contractEndOn, 'END_BEFORE_START', `is before the start date ${values.startOn}`, `早于执行日期 ${values.startOn}`));
      }
    },
  };
}

function agreedVolumeRules(): KindRules {
  return {
    check(values, ctx) {
      if (typeof values.quantity === 'string' && values.quantity.startsWith('-')) {
        ctx.error(valueIssue(ctx.rowNumber, ctx.header('quantity'), values.quantity, 'NEGATIVE_QUANTITY', 'must not be negative', '不能为负数'));
      }
      const year = num(values.contractYear);
      if (!((year >= 1 && year <= 10) || (year >= 2000 && year <= 2100))) {
        ctx.error(valueIssue(ctx.rowNumber, ctx.header('contractYear'), String(values.contractYear), 'CONTRACT_YEAR_OUT_OF_RANGE', 'is neither a contract year (1–10) nor a calendar year (2000–2100)', '既不是协议年度序号（1–10），也不是年份（2000–2100）'));
      }
    },
  };
}

function provinceVolumeRules(): KindRules {
  return {
    extraEmptyMarkers: { quantity: [...NOT_SELECTED_WORDS] },
    normalize: takeMainStrength,
    // a variety whose tender failed: 流标 (未中选 …) where its volume would be
    isNotSelected(values, markers, cells) {
      if (values.quantity !== null) return { notSelected: false, failedTender: false };
      const marked = NOT_SELECTED_WORDS.has(markers.quantity ?? '') || cells.some((c) => typeof c === 'string' && NOT_SELECTED_WORDS.has(c.trim()));
      return { notSelected: marked, failedTender: marked };
    },
    requiredWhenNotSelected: ['genericName'],
    check(values, ctx) {
      if (typeof values.quantity === 'string' && values.quantity.startsWith('-')) {
        ctx.error(valueIssue(ctx.rowNumber, ctx.header('quantity'), values.quantity, 'NEGATIVE_QUANTITY', 'must not be negative', '不能为负数'));
      }
      const year = num(values.contractYear);
      if (values.contractYear !== null && !(year >= 1 && year <= 10)) {
        ctx.error(valueIssue(ctx.rowNumber, ctx.header('contractYear'), String(values.contractYear), 'CONTRACT_YEAR_OUT_OF_RANGE', 'is not a contract year (1–10)', '不是协议年度序号（1–10）'));
      }
      if (Array.isArray(values.region) && values.region.length > 1 && !isXinjiangWithCorps(values.region)) {
        ctx.error(valueIssue(ctx.rowNumber, ctx.header('region'), values.region.join('、'), 'ONE_REGION_PER_ROW', 'names several provinces: write one province per row', '含多个省份：每行只写一个省份'));
      }
    },
  };
}

/** 新疆（含兵团）: Xinjiang and the Corps, whose volumes are published together. */
export function isXinjiangWithCorps(codes: readonly string[]): boolean {
  return codes.length === 2 && codes[0] === '650000' && codes[1] === '660000';
}

function purchaseRules(): KindRules {
  const negative = (values: Values, key: string, ctx: RuleContext) => {
    const v = values[key];
    if (typeof v === 'string' && v.charCodeAt(0) === 45 /* - */) {
      ctx.warn(valueIssue(ctx.rowNumber, ctx.header(key), v, 'NEGATIVE_VALUE', 'is negative (a return?)', '为负数（是否为退货？）'));
    }
  };
  return {
    check(values, ctx) {
      negative(values, 'quantity', ctx);
      negative(values, 'amount', ctx);
    },
  };
}

export function rulesFor(kind: UploadKind): KindRules {
  switch (kind) {
    case 'batch-results':
      return batchResultRules();
    case 'implementations':
      return implementationRules();
    case 'province-volumes':
      return provinceVolumeRules();
    case 'agreed-volumes':
      return agreedVolumeRules();
    case 'purchases':
      return purchaseRules();
  }
}

