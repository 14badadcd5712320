/**
 * Calendar dates as ISO strings (YYYY-MM-DD): what PostgreSQL `date` columns return, what the API
 * speaks, and what sorts correctly as text. Arithmetic is done in UTC so no time zone shifts a day.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Midnight UTC of a day, in milliseconds. Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not,
 * so '0050-01-01' is the year 50, never 1950. Months and days may overflow (day 0: the month before's last).
 */
function utcMs(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch of a valid calendar date, or NaN (the hot path of every date helper). */
function epochMs(value: string): number {
  const m = ISO_DATE.exec(value);
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return utcMs(year, month - 1, day);
}

export function isIsoDate(value: string): boolean {
  return !Number.isNaN(epochMs(value));
}

function toUtc(date: IsoDate): Date {
  const ms = epochMs(date);
  if (Number.isNaN(ms)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return new Date(ms);
}

/** The date of a UTC midnight; a year outside 0000–9999 has no YYYY-MM-DD and is refused, never cut short. */
function fromUtc(d: Date): IsoDate {
  const year = d.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`a date outside the years 0000–9999: ${Number.isNaN(year) ? 'invalid' : year}`);
  return d.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Adds calendar months; the day is clamped to the target month's length (01-31 + 1 month = 02-28/29). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = toUtc(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
  d.setUTCDate(Math.min(day, last));
  return fromUtc(d);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

export function monthStart(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

export function monthEnd(date: IsoDate): IsoDate {
  return addDays(addMonths(monthStart(date), 1), -1);
}

/** The month-end dates from the month of `from` to the month of `to`, inclusive. */
export function monthEnds(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let m = monthStart(from); m <= to || m.slice(0, 7) === to.slice(0, 7); m = addMonths(m, 1)) {
    out.push(monthEnd(m));
    if (m.slice(0, 7) === to.slice(0, 7)) break;
  }
  return out;
}

/** Today in China Standard Time (the users' calendar), whatever the server's zone. */
export function todayInChina(now: Date = new Date()): IsoDate {
  return fromUtc(new Date(now.getTime() + 8 * 3_600_000));
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
