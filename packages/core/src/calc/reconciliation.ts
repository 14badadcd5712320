/**
 * Reconciliation: a published figure (北京 556 drugs as of 2024-07-25) set beside what the data computes for
 * the same region, scope and date, with the difference and what explains it. Pure: the caller loads the
 * coverage facts, cut statistics and batch facts; this decides which computation a figure corresponds to,
 * whether the two agree, and why they may not.
 */
import type { CutStats, PublishedFigure } from '@vbp/contracts/api';
import type { IsoDate } from '@vbp/contracts/dates';
import type { BatchLevel, FigureComparator, ProductType, TargetUnit } from '@vbp/contracts/enums';
import type { ReconciliationExplanation, ReconciliationItem, ReconciliationStatus } from '@vbp/contracts/reconciliation';
import { computeCoverage, dateReached, type CoverageFact } from './coverage';
import { round6 } from './decimal';

/** Which computation a published figure corresponds to. */
export type FigureMeasure =
  | { kind: 'coverage'; productType: ProductType; unit: TargetUnit }
  | { kind: 'batch_count'; productType: ProductType; level: BatchLevel }
  | { kind: 'region_cut'; productType: ProductType }
  | { kind: 'batch_cut'; batchCode: string }
  | { kind: 'none' };

const COVERAGE_METRICS: Record<string, { productType: ProductType; unit: TargetUnit }> = {
  drug_varieties_cumulative: { productType: 'drug', unit: 'variety' },
  consumable_varieties_cumulative: { productType: 'consumable', unit: 'variety' },
  consumable_categories_cumulative: { productType: 'consumable', unit: 'category' },
};

const BATCH_METRICS: Record<string, { productType: ProductType; level: BatchLevel }> = {
  national_drug_batches: { productType: 'drug', level: 'national' },
  alliance_drug_batches: { productType: 'drug', level: 'alliance' },
  provincial_drug_batches: { productType: 'drug', level: 'provincial' },
  national_consumable_batches: { productType: 'consumable', level: 'national' },
  alliance_consumable_batches: { productType: 'consumable', level: 'alliance' },
  provincial_consumable_batches: { productType: 'consumable', level: 'provincial' },
};

/**
 * The measure behind a figure: cumulative coverage (varieties or categories), the number of batches of a
 * level implemented in the region, the region's plain mean cut over the batches implemented by then, or
 * one batch's cut. Anything else (DRG-linked procurement rounds, metrics the data does not hold) has none.
 */
export function figureMeasure(figure: Pick<PublishedFigure, 'metric' | 'productType' | 'batchCode'>): FigureMeasure {
  if (figure.batchCode !== null) return figure.metric === 'avg_cut' ? { kind: 'batch_cut', batchCode: figure.batchCode } : { kind: 'none' };
  const coverage = COVERAGE_METRICS[figure.metric];
  if (coverage) return { kind: 'coverage', ...coverage };
  const batches = BATCH_METRICS[figure.metric];
  if (batches) return { kind: 'batch_count', ...batches };
  if (figure.metric === 'avg_cut' && figure.productType !== null) return { kind: 'region_cut', productType: figure.productType };
  return { kind: 'none' };
}

/** Fractions stated to 0.1% agree within half of that; an "about" figure within 5% of its value (1 point for fractions). */
const FRACTION_TOLERANCE = 0.0005;
const APPROX_RELATIVE = 0.05;
const APPROX_FRACTION = 0.01;
/** Float noise in a difference of two fractions (0.51 − 0.5 = 0.010000000000000009). */
const EPSILON = 1e-9;

/**
 * Whether a computed value agrees with what the document states: `eq` exactly (fractions within 0.05
 * points, the rounding of a figure stated to 0.1%), `gt` strictly above, `gte` at or above, `approx`
 * within 5% (fractions within 1 point).
 */
export function compareFigure(comparator: FigureComparator, kind: 'count' | 'fraction', published: number, computed: number | null): ReconciliationStatus {
  if (computed === null) return 'not_computed';
  const diff = computed - published;
  let ok: boolean;
  switch (comparator) {
    case 'gt':
      ok = diff > 0;
      break;
    case 'gte':
      ok = diff >= 0;
      break;
    case 'approx':
      ok = Math.abs(diff) <= (kind === 'fraction' ? APPROX_FRACTION : APPROX_RELATIVE * Math.abs(published)) + EPSILON;
      break;
    case 'eq':
      ok = kind === 'fraction' ? Math.abs(diff) <= FRACTION_TOLERANCE + EPSILON : diff === 0;
      break;
  }
  return ok ? 'matches' : 'differs';
}

/** What the loader knows of a batch. */
export interface BatchFacts {
  code: string;
  announcedOn: IsoDate | null;
  /** Selected products loaded, and of them with a reference price (a cut can be measured). */
  productCount: number;
  pricedCount: number;
}

export interface ReconcileInput {
  figure: PublishedFigure;
  /** The date the figure is computed at (its own date, or the view's date when it has none). */
  asOf: IsoDate;
  /** The view's date: the `current` column. */
  viewDate: IsoDate;
  /** Coverage facts of the figure's region for the measure's product type (coverage, batch counts, cuts). */
  facts: readonly CoverageFact[] | null;
  batches: ReadonlyMap<string, BatchFacts>;
  /** The region's cuts at `asOf` and at `viewDate` (region_cut), or the batch's cuts (batch_cut). */
  cuts?: { atFigure: CutStats | null; now: CutStats | null };
}

const pct = (f: number) => `${(f * 100).toFixed(1)}%`;
/** A published percentage as stated: 0.50 → "50%", 0.727 → "72.7%". */
const statedPct = (f: number) => `${Number((f * 100).toFixed(2))}%`;

function list(codes: readonly string[]): string {
  return codes.join(', ');
}

function explanation(kind: ReconciliationExplanation['kind'], message: string, messageZh: string, batches: readonly string[] = []): ReconciliationExplanation {
  return { kind, message, messageZh, batches: [...batches] };
}

function unitKey(fact: CoverageFact, unit: TargetUnit): number | null {
  return unit === 'variety' ? fact.varietyId : fact.categoryId;
}

/**
 * Batches of the figure's product type tendered (announced) on or before `asOf` whose implementation in
 * the region starts after it, with the units each adds that were not covered yet at `asOf`.
 */
function implementedAfter(facts: readonly CoverageFact[], batches: ReadonlyMap<string, BatchFacts>, asOf: IsoDate, unit: TargetUnit, level?: BatchLevel) {
  const covered = new Set<number>();
  for (const f of facts) {
    const key = unitKey(f, unit);
    if (key !== null && f.outcome === 'selected' && f.startOn <= asOf) covered.add(key);
  }
  const later = new Map<string, { startOn: IsoDate; units: Set<number> }>();
  for (const f of facts) {
    const key = unitKey(f, unit);
    if (key === null || f.outcome !== 'selected' || f.startOn <= asOf) continue;
    if (level !== undefined && f.level !== level) continue;
    const announced = batches.get(f.batchCode)?.announcedOn ?? null;
    if (announced === null || announced > asOf) continue;
    const entry = later.get(f.batchCode) ?? { startOn: f.startOn, units: new Set<number>() };
    if (f.startOn < entry.startOn) entry.startOn = f.startOn;
    if (!covered.has(key)) entry.units.add(key);
    later.set(f.batchCode, entry);
  }
  return [...later.entries()]
    .map(([code, e]) => ({ code, startOn: e.startOn, added: e.units.size, announcedOn: batches.get(code)?.announcedOn ?? null }))
    .sort((a, b) => (a.startOn < b.startOn ? -1 : a.startOn > b.startOn ? 1 : a.code.localeCompare(b.code)));
}

function implementedAfterExplanation(rows: ReturnType<typeof implementedAfter>, asOf: IsoDate, counts: boolean): ReconciliationExplanation | null {
  if (rows.length === 0) return null;
  const en = rows.map((r) => `${r.code} (tendered ${r.announcedOn}, implemented ${r.startOn}${counts ? `, +${r.added}` : ''})`);
  const zh = rows.map((r) => `${r.code}（${r.announcedOn} 招标，${r.startOn} 执行${counts ? `，新增 ${r.added}` : ''}）`);
  return explanation(
    'implemented_after',
    `Tendered by ${asOf} but implemented in the region after it: ${en.join('; ')}. A document counting batches from their tender includes them; the data counts from implementation.`,
    `截至 ${asOf} 已招标、但在本地区于其后才执行：${zh.join('；')}。文件若自招标起计入则已包含；本系统自落地执行起计入。`,
    rows.map((r) => r.code),
  );
}

function estimatedExplanation(codes: readonly string[]): ReconciliationExplanation | null {
  if (codes.length === 0) return null;
  return explanation(
    'estimated_dates',
    `Counted from implementation dates estimated by a rule (no document gives them): ${list(codes)}. A different real date could move the count at this date.`,
    `以下批次的执行日期为按规则推定（无文件载明）：${list(codes)}。实际日期不同，则该日的计数可能变化。`,
    codes,
  );
}

function comparatorExplanation(figure: PublishedFigure, status: ReconciliationStatus, computedText: string, publishedText: string): ReconciliationExplanation | null {
  if (status === 'not_computed' || figure.comparator === 'eq') return null;
  const met = status === 'matches';
  const boundEn = { gt: 'more than', gte: 'at least', approx: 'about', eq: '' }[figure.comparator];
  const boundZh = { gt: '超过', gte: '不少于', approx: '约', eq: '' }[figure.comparator];
  return explanation(
    'comparator',
    `The document states a bound (${boundEn} ${publishedText}); the computed ${computedText} ${met ? 'meets' : 'does not meet'} it.`,
    `文件给出的是界限（${boundZh}${publishedText}）；计算值 ${computedText} ${met ? '符合' : '不符合'}。`,
  );
}

function coverageItem(input: ReconcileInput, measure: Extract<FigureMeasure, { kind: 'coverage' }>, published: number): Omit<ReconciliationItem, 'figure' | 'scope' | 'published'> {
  const { facts, asOf, viewDate, figure } = input;
  if (facts === null) return notComputed([]);
  const { unit } = measure;
  const at = computeCoverage(facts, asOf, unit);
  const now = computeCoverage(facts, viewDate, unit).cumulative;
  const computed = at.cumulative;
  const status = compareFigure(figure.comparator, 'count', published, computed);
  const explanations: (ReconciliationExplanation | null)[] = [];
  const unitEn = unit === 'variety' ? 'varieties' : 'categories';
  const unitZh = unit === 'variety' ? '个品种' : '类';

  if (status === 'differs') {
    explanations.push(implementedAfterExplanation(implementedAfter(facts, input.batches, asOf, unit), asOf, true));
    const reached = dateReached(facts, Math.ceil(published), unit);
    if (computed < published) {
      explanations.push(
        reached
          ? explanation('reached_on', `The data reaches ${published} ${unitEn} on ${reached}.`, `本系统数据于 ${reached} 达到 ${published}${unitZh}。`)
          : explanation('reached_on', `The data has not reached ${published} ${unitEn} (${now} at ${viewDate}).`, `本系统数据尚未达到 ${published}${unitZh}（${viewDate} 为 ${now}）。`),
      );
    } else if (reached) {
      explanations.push(explanation('reached_on', `The data already counted ${published} ${unitEn} on ${reached}.`, `本系统数据在 ${reached} 已达到 ${published}${unitZh}。`));
    }
  }
  if (at.placeholders > 0) {
    const codes = [...new Set(facts.filter((f) => f.isPlaceholder && f.startOn <= asOf && f.outcome === 'selected').map((f) => f.batchCode))].sort();
    explanations.push(
      explanation(
        'placeholders',
        `${at.placeholders} of the ${computed} counted ${unitEn} stand for lists not loaded (placeholders: the count follows the published batch sizes; uploading the results names them): ${list(codes)}.`,
        `计入的 ${computed}${unitZh}中有 ${at.placeholders} 个为占位（名单未载入，数量依公布的批次规模；上传中选结果后替换）：${list(codes)}。`,
        codes,
      ),
    );
  }
  explanations.push(estimatedExplanation(at.batches.filter((b) => b.estimated).map((b) => b.code)));
  explanations.push(comparatorExplanation(figure, status, String(computed), String(published)));
  return { computed, computedAsOf: asOf, current: now, difference: computed - published, status, explanations: explanations.filter((e) => e !== null) };
}

function batchCountItem(input: ReconcileInput, measure: Extract<FigureMeasure, { kind: 'batch_count' }>, published: number): Omit<ReconciliationItem, 'figure' | 'scope' | 'published'> {
  const { facts, asOf, viewDate, figure } = input;
  if (facts === null) return notComputed([]);
  const ofLevel = (date: IsoDate) => computeCoverage(facts, date, 'variety').batches.filter((b) => b.level === measure.level);
  const at = ofLevel(asOf);
  const computed = at.length;
  const status = compareFigure(figure.comparator, 'count', published, computed);
  const codes = at.map((b) => b.code);
  const explanations: (ReconciliationExplanation | null)[] = [
    explanation('counted_batches', `Counted: ${codes.length ? list(codes) : 'none'}.`, `计入：${codes.length ? list(codes) : '无'}。`, codes),
  ];
  if (status === 'differs') explanations.push(implementedAfterExplanation(implementedAfter(facts, input.batches, asOf, 'variety', measure.level), asOf, false));
  explanations.push(estimatedExplanation(at.filter((b) => b.estimated).map((b) => b.code)));
  explanations.push(comparatorExplanation(figure, status, String(computed), String(published)));
  return { computed, computedAsOf: asOf, current: ofLevel(viewDate).length, difference: computed - published, status, explanations: explanations.filter((e) => e !== null) };
}

function missingPricesExplanation(codes: readonly string[], total: number): ReconciliationExplanation | null {
  if (codes.length === 0) return null;
  return explanation(
    'missing_prices',
    `${codes.length} of ${total} batches counted at the date have no selected-product prices loaded (upload their results): ${list(codes)}.`,
    `该日计入的 ${total} 个批次中有 ${codes.length} 个尚未载入中选产品价格（需上传中选结果）：${list(codes)}。`,
    codes,
  );
}

function syntheticExplanation(stats: CutStats): ReconciliationExplanation | null {
  if (stats.syntheticProductCount === 0) return null;
  return explanation(
    'synthetic_prices',
    `${stats.syntheticProductCount} of the ${stats.productCount} products behind the computed cut carry synthetic (demo) prices.`,
    `计算降幅所用 ${stats.productCount} 个产品中有 ${stats.syntheticProductCount} 个为合成（演示）价格。`,
  );
}

function cutItem(input: ReconcileInput, published: number, batchCodes: readonly string[]): Omit<ReconciliationItem, 'figure' | 'scope' | 'published'> {
  const { figure, asOf } = input;
  const atFigure = input.cuts?.atFigure ?? null;
  const computed = atFigure?.plainMean ?? null;
  const status = compareFigure(figure.comparator, 'fraction', published, computed);
  const unpriced = batchCodes.filter((code) => (input.batches.get(code)?.pricedCount ?? 0) === 0);
  const explanations: (ReconciliationExplanation | null)[] = [missingPricesExplanation(unpriced, batchCodes.length)];
  if (atFigure) explanations.push(syntheticExplanation(atFigure));
  explanations.push(comparatorExplanation(figure, status, computed === null ? '—' : pct(computed), statedPct(published)));
  return {
    computed,
    computedAsOf: computed === null ? null : asOf,
    current: input.cuts?.now?.plainMean ?? null,
    difference: computed === null ? null : round6(computed - published),
    status,
    explanations: explanations.filter((e) => e !== null),
  };
}

function notComputed(explanations: ReconciliationExplanation[]): Omit<ReconciliationItem, 'figure' | 'scope' | 'published'> {
  return { computed: null, computedAsOf: null, current: null, difference: null, status: 'not_computed', explanations };
}

const NOT_MODELLED: Record<string, { en: string; zh: string }> = {
  linked_procurement_avg_cut: {
    en: "DRG-linked procurement rounds run by the hospitals' purchasing alliance are not among the batches the data holds, so there is nothing to compute this cut from.",
    zh: '医疗机构采购联盟开展的DRG带量联动采购不在本系统的批次之中，无从计算该降幅。',
  },
};

/** One published figure beside its computed counterpart, with the difference and its explanations. */
export function reconcileFigure(input: ReconcileInput): ReconciliationItem {
  const { figure } = input;
  const measure = figureMeasure(figure);
  const published = Number(figure.value);
  const isFraction = figure.unit === 'fraction' || measure.kind === 'region_cut' || measure.kind === 'batch_cut';
  const scope: ReconciliationItem['scope'] = {
    productType: figure.productType,
    unit: measure.kind === 'coverage' ? measure.unit : null,
    metricKind: isFraction ? 'fraction' : 'count',
  };
  let rest: Omit<ReconciliationItem, 'figure' | 'scope' | 'published'>;
  switch (measure.kind) {
    case 'coverage':
      rest = coverageItem(input, measure, published);
      break;
    case 'batch_count':
      rest = batchCountItem(input, measure, published);
      break;
    case 'region_cut': {
      const counted = input.facts ? computeCoverage(input.facts, input.asOf, 'variety').batches.map((b) => b.code) : [];
      rest = cutItem(input, published, counted);
      break;
    }
    case 'batch_cut':
      rest = cutItem(input, published, [measure.batchCode]);
      break;
    case 'none': {
      const text = NOT_MODELLED[figure.metric] ?? {
        en: `The data holds nothing to compute "${figure.metric}" from.`,
        zh: `本系统数据中没有可计算“${figure.metric}”的内容。`,
      };
      rest = notComputed([explanation('not_modelled', text.en, text.zh)]);
      break;
    }
  }
  return { figure, scope, published, ...rest };
}

/** The table's order: region by the regions' order, then drugs before consumables, counts before batch counts before cuts, latest first. */
const METRIC_ORDER = [
  'drug_varieties_cumulative',
  'consumable_varieties_cumulative',
  'consumable_categories_cumulative',
  'national_drug_batches',
  'alliance_drug_batches',
  'provincial_drug_batches',
  'national_consumable_batches',
  'alliance_consumable_batches',
  'provincial_consumable_batches',
  'avg_cut',
];

export function sortFigures<T extends Pick<PublishedFigure, 'regionCode' | 'productType' | 'metric' | 'batchCode' | 'asOf' | 'code'>>(
  figures: readonly T[],
  regionOrder: ReadonlyMap<string, number> = new Map(),
): T[] {
  const region = (f: T) => (f.regionCode === null ? Number.MAX_SAFE_INTEGER : (regionOrder.get(f.regionCode) ?? Number.MAX_SAFE_INTEGER - 1));
  const type = (f: T) => (f.productType === null ? 2 : f.productType === 'drug' ? 0 : 1);
  const rank = (f: T) => {
    const i = METRIC_ORDER.indexOf(f.metric);
    return (f.batchCode !== null ? 100 : 0) + (i === -1 ? 50 : i);
  };
  return [...figures].sort(
    (a, b) => region(a) - region(b) || type(a) - type(b) || rank(a) - rank(b) || (b.asOf ?? '').localeCompare(a.asOf ?? '') || a.code.localeCompare(b.code),
  );
}
