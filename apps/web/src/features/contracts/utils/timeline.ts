/**
 * The contracts timeline, prepared (pure; the SVG component only draws): one row per batch from its
 * implementation start to its contract end in the region, on a shared date axis from the first start's
 * year to the end of the year holding the last date that matters (a known end, a renewal start, or the
 * as-of date plus the expiry window, so the "ending soon" stretch is always in view). A contract whose
 * end is unknown runs to the axis end, drawn open. Positions are fractions of the axis (0..1).
 */
import type { ContractPeriod, ContractState } from '@vbp/contracts/contract-periods';
import { addDays, daysBetween, type IsoDate } from '@vbp/contracts/dates';
import type { ProductType } from '@vbp/contracts/enums';

export type TypeFilter = ProductType | 'all';
/** `attention`: ending within the window, or ended without a renewal. */
export type ShowFilter = 'all' | 'attention';

export const TYPE_FILTERS: readonly TypeFilter[] = ['all', 'drug', 'consumable'];
export const SHOW_FILTERS: readonly ShowFilter[] = ['all', 'attention'];

export function parseTypeFilter(value: string | null): TypeFilter {
  return value === 'drug' || value === 'consumable' ? value : 'all';
}

export function parseShowFilter(value: string | null): ShowFilter {
  return value === 'attention' ? 'attention' : 'all';
}

/** Needs someone's action: ending within the window, or already ended with no renewal. */
export function needsAttention(p: Pick<ContractPeriod, 'state' | 'renewal'>): boolean {
  return p.state === 'ending_soon' || (p.state === 'ended' && p.renewal === 'pending');
}

export function filterPeriods(items: readonly ContractPeriod[], type: TypeFilter, show: ShowFilter): ContractPeriod[] {
  return items.filter((p) => (type === 'all' || p.productType === type) && (show === 'all' || needsAttention(p)));
}

export interface PeriodCounts {
  total: number;
  endingSoon: number;
  /** Of those ending soon, without a renewal batch. */
  endingUnrenewed: number;
  endedUnrenewed: number;
  unknownEnd: number;
}

export function countPeriods(items: readonly ContractPeriod[]): PeriodCounts {
  return {
    total: items.length,
    endingSoon: items.filter((p) => p.state === 'ending_soon').length,
    endingUnrenewed: items.filter((p) => p.state === 'ending_soon' && p.renewal !== 'renewed').length,
    endedUnrenewed: items.filter((p) => p.state === 'ended' && p.renewal === 'pending').length,
    unknownEnd: items.filter((p) => p.state === 'unknown_end').length,
  };
}

export interface TimelineRow {
  period: ContractPeriod;
  start: number;
  /** Where the bar ends: the contract end, or the axis end when the end is unknown. */
  end: number;
  openEnd: boolean;
  /** The renewal batch's start in the region, when it falls on the axis. */
  renewal: number | null;
  tone: ContractState;
}

export interface TimelineTick {
  date: IsoDate;
  x: number;
  label: string;
}

export interface Timeline {
  from: IsoDate;
  to: IsoDate;
  rows: TimelineRow[];
  /** The as-of date ("today" of the view). */
  today: number;
  /** Where the expiry window (today + windowDays) ends. */
  windowEnd: number;
  /** One tick per year (Jan 1), thinned to at most `maxTicks`. */
  ticks: TimelineTick[];
}

export function buildTimeline(items: readonly ContractPeriod[], asOf: IsoDate, windowDays: number, maxTicks = 12): Timeline {
  const windowEndDate = addDays(asOf, windowDays);
  let first: IsoDate = asOf;
  let last: IsoDate = windowEndDate;
  for (const p of items) {
    if (p.startOn < first) first = p.startOn;
    for (const d of [p.contractEndOn, p.renewedBy?.startOn ?? null]) if (d !== null && d > last) last = d;
  }
  const from = `${first.slice(0, 4)}-01-01`;
  const to = `${last.slice(0, 4)}-12-31`;
  const span = daysBetween(from, to);
  const x = (d: IsoDate) => Math.min(1, Math.max(0, daysBetween(from, d) / span));

  const rows = items.map((p) => ({
    period: p,
    start: x(p.startOn),
    end: p.contractEndOn === null ? 1 : x(p.contractEndOn),
    openEnd: p.contractEndOn === null,
    renewal: p.renewedBy ? x(p.renewedBy.startOn) : null,
    tone: p.state,
  }));

  const firstYear = Number(from.slice(0, 4));
  const years = Number(to.slice(0, 4)) - firstYear + 1;
  const step = Math.max(1, Math.ceil(years / maxTicks));
  const ticks: TimelineTick[] = [];
  for (let y = firstYear; y <= firstYear + years - 1; y += step) {
    const date = `${y}-01-01`;
    ticks.push({ date, x: x(date), label: String(y) });
  }
  return { from, to, rows, today: x(asOf), windowEnd: x(windowEndDate), ticks };
}
