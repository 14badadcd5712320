/**
 * The shape of the synthetic data, decided before any row is written: who buys (institutions with a
 * level, a size and a behaviour), what they buy (per variety: its unit, demand, the batches in force
 * month by month with their contract years and selected products, and the non-selected products), and
 * the window of months. Rows are then derived from this plan and the seed alone (see rows.ts).
 *
 * Rules chosen here (DOMAIN.md leaves them to us):
 * - Contract year k of a batch in the region runs from `start_on` + 12(k−1) months for 12 months; the
 *   contract ends at `contract_end_on` when set, else after the batch's `contract_years`, else it is open
 *   (years are generated through the window). A year is cut short by the contract's end or by a later
 *   batch of the same variety starting, and its agreed volume is prorated by days.
 * - In a month, a variety is bought under the latest batch (of those implemented in the region) whose
 *   start month is on or before it; before the first one there are no purchases of that variety.
 *   After a contract ends without a renewal, buying goes on under the last batch (as prices are extended).
 */
import { addDays, addMonths, daysBetween, type IsoDate } from '@vbp/contracts/dates';
import { apportion, chineseOrdinal, citiesOf } from './geography';
import { hash2, hash3, Random } from './random';

export type InstitutionLevel = '三级' | '二级' | '一级' | '基层';
export const INSTITUTION_LEVELS: readonly InstitutionLevel[] = ['三级', '二级', '一级', '基层'];

/** A realistic provincial mix of public buyers: few tertiary hospitals, many primary-care facilities. */
const LEVEL_SHARES: Record<InstitutionLevel, number> = { 三级: 0.08, 二级: 0.25, 一级: 0.2, 基层: 0.47 };
/** Relative annual demand of a typical institution of each level (三级 = 1). */
const LEVEL_SIZE: Record<InstitutionLevel, number> = { 三级: 1, 二级: 0.3, 一级: 0.08, 基层: 0.04 };
/**
 * The chance an institution buys a given variety at all, before the variety's popularity and the
 * density option: consumables are implanted in hospitals, hardly in primary care.
 */
export const BUY_CHANCE: Record<'drug' | 'consumable', Record<InstitutionLevel, number>> = {
  drug: { 三级: 0.4, 二级: 0.18, 一级: 0.07, 基层: 0.035 },
  consumable: { 三级: 0.5, 二级: 0.2, 一级: 0.02, 基层: 0 },
};

export type Behaviour = 'on_track' | 'lagging' | 'over';
/** Selected quantity per month as a multiple of agreed / 12. */
const BEHAVIOUR_FACTOR: Record<Behaviour, readonly [number, number]> = {
  on_track: [0.92, 1.12],
  lagging: [0.45, 0.72],
  over: [1.3, 1.7],
};

export interface PlannedInstitution {
  ordinal: number;
  code: string;
  name: string;
  cityCode: string;
  cityName: string;
  level: InstitutionLevel;
  /** Relative size (三级 ≈ 1). */
  size: number;
  behaviour: Behaviour;
  behaviourFactor: number;
}

export interface PricedProduct {
  productId: number;
  /** The price paid per unit, in 1/10,000 元 (selected price for selected products). */
  priceE4: number;
}

export interface ContractYear {
  year: number;
  start: IsoDate;
  end: IsoDate;
  /** Share of a full year (1 unless cut short), by days. */
  fraction: number;
}

export interface BatchSpan {
  batchId: number;
  startOn: IsoDate;
  /** Selected products of this batch for the variety. */
  selected: PricedProduct[];
  /** Contract years that overlap the window (these get agreed volumes). */
  years: ContractYear[];
}

export interface VarietyPlan {
  varietyId: number;
  productType: 'drug' | 'consumable';
  unit: string;
  /** Annual demand of a typical tertiary hospital, in `unit`. */
  baseDemand: number;
  minDemand: number;
  popularity: number;
  spans: BatchSpan[];
  nonSelected: PricedProduct[];
  /** Per window month: index into `spans`, or −1 before the first batch started. */
  monthSpan: Int16Array;
  /** Per window month: the contract year number of the span's batch (1-based, may pass the contract's end). */
  monthYear: Int16Array;
  /** Per window month: share of the month in force (less than 1 in the first month of a mid-month start). */
  monthFraction: Float64Array;
}

export interface SyntheticPlan {
  regionCode: string;
  seed: number;
  months: IsoDate[];
  windowStart: IsoDate;
  windowEnd: IsoDate;
  density: number;
  institutions: PlannedInstitution[];
  varieties: VarietyPlan[];
}

export function syntheticWindow(until: IsoDate, months: number): { months: IsoDate[]; start: IsoDate; end: IsoDate } {
  const last = `${until.slice(0, 7)}-01`;
  const list = Array.from({ length: months }, (_, i) => addMonths(last, i - months + 1));
  return { months: list, start: list[0] ?? last, end: addDays(addMonths(last, 1), -1) };
}

/** Institutions spread over the region's cities with a fixed level mix, named and coded as synthetic. */
export function planInstitutions(regionCode: string, count: number, seed: number): PlannedInstitution[] {
  const rng = new Random(hash2(seed, 0x1157));
  const cities = citiesOf(regionCode);
  const perCity = apportion(count, cities.map((c) => c.weight));
  const levelCounts = apportion(count, INSTITUTION_LEVELS.map((l) => LEVEL_SHARES[l]));
  // the apportionment gives every level one first when there are enough; that is what we want here too
  const levels = rng.shuffle(INSTITUTION_LEVELS.flatMap((level, i) => Array<InstitutionLevel>(levelCounts[i] ?? 0).fill(level)));

  const out: PlannedInstitution[] = [];
  let next = 0;
  cities.forEach((city, c) => {
    const mine = levels.slice(next, next + (perCity[c] ?? 0));
    next += mine.length;
    mine.sort((a, b) => INSTITUTION_LEVELS.indexOf(a) - INSTITUTION_LEVELS.indexOf(b));
    const counters = new Map<string, number>();
    for (const level of mine) {
      const kind = institutionKind(level, rng);
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      const behaviourDraw = rng.next();
      const behaviour: Behaviour = behaviourDraw < 0.15 ? 'lagging' : behaviourDraw < 0.2 ? 'over' : 'on_track';
      const [lo, hi] = BEHAVIOUR_FACTOR[behaviour];
      const ordinal = out.length;
      out.push({
        ordinal,
        code: `SYN${regionCode}${String(ordinal + 1).padStart(4, '0')}`,
        name: `${city.name}第${chineseOrdinal(n)}${kind}（合成）`,
        cityCode: city.code,
        cityName: city.name,
        level,
        size: LEVEL_SIZE[level] * rng.logNormal(1, 0.45),
        behaviour,
        behaviourFactor: rng.between(lo, hi),
      });
    }
  });
  return out;
}

function institutionKind(level: InstitutionLevel, rng: Random): string {
  switch (level) {
    case '三级':
      return rng.pick(['人民医院', '人民医院', '中医院', '妇幼保健院', '肿瘤医院']);
    case '二级':
      return rng.pick(['中心医院', '中心医院', '中医院']);
    case '一级':
      return '社区医院';
    default:
      return rng.pick(['社区卫生服务中心', '乡镇卫生院']);
  }
}

/** What the database says about one batch implemented in the region. */
export interface ImplementedBatch {
  batchId: number;
  startOn: IsoDate;
  contractEndOn: IsoDate | null;
  contractYears: number | null;
}

/** Contract years of a batch in the region that overlap the window, cut by the contract end and `cutOn`. */
export function contractYears(batch: ImplementedBatch, windowStart: IsoDate, windowEnd: IsoDate, cutOn: IsoDate | null): ContractYear[] {
  const S = batch.startOn;
  const contractEnd =
    batch.contractEndOn ?? (batch.contractYears ? addDays(addMonths(S, Math.round(batch.contractYears * 12)), -1) : null);
  const out: ContractYear[] = [];
  for (let year = 1; year <= 100; year++) {
    const start = addMonths(S, 12 * (year - 1));
    if (contractEnd && start > contractEnd) break;
    if (start > windowEnd) break;
    if (cutOn && start >= cutOn) break;
    const fullEnd = addDays(addMonths(S, 12 * year), -1);
    let end = fullEnd;
    if (contractEnd && end > contractEnd) end = contractEnd;
    if (cutOn && end >= cutOn) end = addDays(cutOn, -1);
    if (end < windowStart) continue;
    const fraction = (daysBetween(start, end) + 1) / (daysBetween(start, fullEnd) + 1);
    out.push({ year, start, end, fraction });
  }
  return out;
}

/** The contract year (1-based) that `date` falls in for a batch that started on `startOn`. */
export function contractYearOf(startOn: IsoDate, date: IsoDate): number {
  let months = (Number(date.slice(0, 4)) - Number(startOn.slice(0, 4))) * 12 + Number(date.slice(5, 7)) - Number(startOn.slice(5, 7));
  if (date.slice(8) < startOn.slice(8)) months -= 1;
  return Math.max(1, Math.floor(months / 12) + 1);
}

/** Month-by-month schedule of a variety over the window, from its spans (sorted by start). */
export function scheduleVariety(spans: readonly BatchSpan[], months: readonly IsoDate[]) {
  const monthSpan = new Int16Array(months.length).fill(-1);
  const monthYear = new Int16Array(months.length);
  const monthFraction = new Float64Array(months.length);
  months.forEach((month, k) => {
    for (let s = spans.length - 1; s >= 0; s--) {
      const span = spans[s]!;
      if (span.startOn.slice(0, 7) > month.slice(0, 7)) continue;
      monthSpan[k] = s;
      monthYear[k] = contractYearOf(span.startOn, month < span.startOn ? span.startOn : month);
      const isFirstMonthOfVariety = s === 0 && span.startOn.slice(0, 7) === month.slice(0, 7);
      if (isFirstMonthOfVariety) {
        const monthDays = daysBetween(month, addMonths(month, 1));
        monthFraction[k] = (monthDays - Number(span.startOn.slice(8)) + 1) / monthDays;
      } else {
        monthFraction[k] = 1;
      }
      break;
    }
  });
  return { monthSpan, monthYear, monthFraction };
}

/** What kind of product a variety is, for units, specs and magnitudes. */
export type Presentation = 'oral_solid' | 'oral_liquid' | 'injection' | 'topical' | 'consumable';

export function presentationOf(productType: 'drug' | 'consumable', dosageFormGroup: string | null): Presentation {
  if (productType === 'consumable') return 'consumable';
  const form = dosageFormGroup ?? '';
  if (/注射|输液|粉针/.test(form)) return 'injection';
  if (/液|颗粒|散|糖浆|混悬/.test(form)) return 'oral_liquid';
  if (/外用|贴|软膏|吸入|滴眼|喷/.test(form)) return 'topical';
  return 'oral_solid';
}

interface PresentationProfile {
  unit: string;
  specs: readonly string[];
  packaging: readonly string[];
  /** Reference price per unit in 元: median and spread (log-normal), and clip. */
  price: readonly [median: number, sigma: number, min: number, max: number];
  /** Annual demand of a typical tertiary hospital in units: median and spread. */
  demand: readonly [median: number, sigma: number];
  minDemand: number;
}

export const PRESENTATIONS: Record<Presentation, PresentationProfile> = {
  oral_solid: {
    unit: '片',
    specs: ['5mg', '10mg', '20mg', '40mg', '0.1g', '0.25g', '0.5g'],
    packaging: ['7片/盒', '14片/盒', '24片/盒', '28片/盒', '30片/盒', '48片/盒', '60片/瓶'],
    price: [1.2, 1.0, 0.03, 60],
    demand: [40_000, 0.8],
    minDemand: 240,
  },
  oral_liquid: {
    unit: '袋',
    specs: ['5ml:0.1g', '10ml:0.2g', '1g', '3g', '10g'],
    packaging: ['6袋/盒', '9袋/盒', '12袋/盒', '1瓶/盒'],
    price: [2.5, 0.9, 0.1, 80],
    demand: [10_000, 0.8],
    minDemand: 120,
  },
  injection: {
    unit: '支',
    specs: ['1ml:10mg', '2ml:0.1g', '5ml:50mg', '10ml:0.5g', '0.5g', '1g'],
    packaging: ['1支/盒', '5支/盒', '10支/盒'],
    price: [25, 1.1, 0.5, 3_000],
    demand: [6_000, 0.8],
    minDemand: 60,
  },
  topical: {
    unit: '支',
    specs: ['10g:0.1g', '15g', '5ml:25mg', '200揿'],
    packaging: ['1支/盒', '2支/盒'],
    price: [18, 0.8, 1, 400],
    demand: [3_000, 0.8],
    minDemand: 24,
  },
  consumable: {
    unit: '个',
    specs: ['型号A-01', '型号A-02', '型号B-10', '型号C-20', '型号D-30'],
    packaging: ['1个/盒', '1套/盒'],
    price: [3_000, 0.8, 50, 60_000],
    demand: [150, 0.7],
    minDemand: 6,
  },
};

/** Variety-level figures, drawn from the seed and the variety alone (not from what else is in the region). */
export function varietyTraits(seed: number, varietyId: number, presentation: Presentation) {
  const rng = new Random(hash3(seed, 0xa11, varietyId));
  const profile = PRESENTATIONS[presentation];
  const [pMedian, pSigma, pMin, pMax] = profile.price;
  const [dMedian, dSigma] = profile.demand;
  return {
    /** The variety's reference price per unit in 元 (products vary ±15% around it). */
    referencePrice: clip(rng.logNormal(pMedian, pSigma), pMin, pMax),
    baseDemand: Math.max(profile.minDemand * 10, rng.logNormal(dMedian, dSigma)),
    popularity: rng.between(0.5, 1.5),
  };
}

export function clip(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}
