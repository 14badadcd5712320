/** Dates of a batch as precise as they are known: a month-precise date shows as 2019-09, a year as 2019. */
import type { DatePrecision } from '@vbp/contracts/enums';
import { MISSING } from '../../../lib/format';

export function formatDateAt(date: string | null, precision: DatePrecision | null): string {
  if (date === null) return MISSING;
  if (precision === 'year') return date.slice(0, 4);
  if (precision === 'month') return date.slice(0, 7);
  return date;
}

export interface ShownStart {
  date: string | null;
  precision: DatePrecision | null;
  /** Not published: derived by a stated rule (see the implementation's note). */
  estimated: boolean;
  /** Where it comes from: the batch's published national date, or the earliest implementation in the list's scope. */
  from: 'published' | 'implementation' | 'none';
}

/**
 * The start the list shows: the batch's published implementation date when there is one, else its
 * earliest recorded implementation in the list's region (estimated if that one is).
 */
export function shownStart(b: {
  implementedOn: string | null;
  implementedPrecision: DatePrecision | null;
  firstStartOn: string | null;
  firstStartEstimated: boolean;
}): ShownStart {
  if (b.implementedOn !== null) return { date: b.implementedOn, precision: b.implementedPrecision, estimated: false, from: 'published' };
  if (b.firstStartOn !== null) return { date: b.firstStartOn, precision: 'day', estimated: b.firstStartEstimated, from: 'implementation' };
  return { date: null, precision: null, estimated: false, from: 'none' };
}
