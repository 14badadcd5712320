/**
 * Dates as tables write them: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, Excel serial numbers.
 *
 * Excel's 1900 date system counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, has a 1900-02-29 (day 60)
 * that never existed: days 1–59 are one day off from the days after it. Day 60 is refused rather than
 * guessed. The 1904 system (old Mac workbooks) counts 1904-01-01 as day 0.
 */
import { isIsoDate } from '@vbp/contracts/dates';

const DAY_MS = 86_400_000;
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoFromParts(year: number, month: number, day: number): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  const iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  return isIsoDate(iso) ? iso : null;
}

/** An Excel serial (the integer part; a time of day is dropped) as an ISO date. */
export function excelSerialToIso(serial: number, date1904 = false): string | 'phantom' | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial);
  let ms: number;
  if (date1904) {
    if (day < 0) return null;
    ms = Date.UTC(1904, 0, 1) + day * DAY_MS;
  } else {
    if (day < 1) return null;
    if (day === 60) return 'phantom';
    ms = (day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30)) + day * DAY_MS;
  }
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  return isoFromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const SEPARATED = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/u;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
/** A bare serial in a CSV (a date column Excel saved unformatted): five digits, 1927-05-18 … 2173-10-14. */
const SERIAL = /^\d{5}(?:\.\d+)?$/;

/** Half-width date text to an ISO date; null when it is not one. */
export function readDateText(text: string, date1904 = false): string | 'phantom' | null {
  const m = SEPARATED.exec(text) ?? COMPACT.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  if (SERIAL.test(text)) return excelSerialToIso(Number(text), date1904);
  return null;
}

const MONTH = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?$/u;
const COMPACT_MONTH = /^(\d{4})(\d{2})$/;

/** Half-width month text (2024-03, 2024/3, 2024年3月, 202403) to the month's first day. */
export function readMonthText(text: string): string | null {
  const m = MONTH.exec(text) ?? COMPACT_MONTH.exec(text);
  if (!m) return null;
  return isoFromParts(Number(m[1]), Number(m[2]), 1);
}
