/**
 * Number, date and money formatting for the screen. Chinese readers count large amounts in 万 (10⁴) and
 * 亿 (10⁸), percentages carry one decimal, dates are YYYY-MM-DD and money is in 元. English uses
 * thousands separators and K / M / B. All functions are pure and locale-explicit (no reliance on the
 * browser's locale), so the server-rendered numbers in tests equal what a user sees.
 */
import type { FigureComparator } from '@vbp/contracts/enums';
import type { Lang } from './i18n/types';

/** What the UI shows where a value is unknown. */
export const MISSING = '—';

const WAN = 10_000;
const YI = 100_000_000;

/** Thousands separators, `digits` decimals at most (trailing zeros trimmed). */
function plain(value: number, maxDigits: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: maxDigits, useGrouping: true }).format(value);
}

/** Rounds to `digits` decimals and drops trailing zeros: 1.20 → "1.2", 3.00 → "3". */
function trimmed(value: number, digits: number): string {
  const s = value.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A count (varieties, batches, hospitals). Below 1万 exact with separators; from 1万 on in 万 with up
 * to two decimals (12.35万), from 1亿 on in 亿. English: 12,345 / 1.23M / 4.56B.
 */
export function formatCount(value: number | null | undefined, lang: Lang = 'zh'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return formatLarge(value, lang, 0);
}

/** A large amount in 万 / 亿 (zh) or M / B (en); up to `smallDigits` decimals below the threshold. */
export function formatLarge(value: number, lang: Lang, smallDigits = 2): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (lang === 'zh') {
    if (abs >= YI) return `${sign}${trimmed(abs / YI, 2)}亿`;
    if (abs >= WAN) return `${sign}${trimmed(abs / WAN, 2)}万`;
    return `${sign}${plain(abs, smallDigits)}`;
  }
  if (abs >= 1e9) return `${sign}${trimmed(abs / 1e9, 2)}B`;
  if (abs >= 1e6) return `${sign}${trimmed(abs / 1e6, 2)}M`;
  return `${sign}${plain(abs, smallDigits)}`;
}

/** A fraction as a percentage with one decimal: 0.5234 → "52.3%". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  // Avoid "-0.0%" for tiny negatives that round to zero.
  const rounded = Number((fraction * 100).toFixed(digits));
  return `${(Object.is(rounded, -0) ? 0 : rounded).toFixed(digits)}%`;
}

/** Percentage points between two fractions, signed: (0.53, 0.5) → "+3.0个百分点" / "+3.0 pp". */
export function formatPointDiff(a: number, b: number, lang: Lang = 'zh'): string {
  const diff = Number(((a - b) * 100).toFixed(1));
  const s = `${diff > 0 ? '+' : diff < 0 ? '−' : '±'}${Math.abs(diff).toFixed(1)}`;
  return lang === 'zh' ? `${s}个百分点` : `${s} pp`;
}

/**
 * Money in 元 from a decimal string (the API never sends floats for money) or a number.
 * zh: "8,500元", "12.35万元", "3.2亿元"; en: "¥8,500", "¥123,500", "¥1.23M", "¥3.2B".
 */
export function formatMoney(value: string | number | null | undefined, lang: Lang = 'zh'): string {
  if (value === null || value === undefined || value === '') return MISSING;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return MISSING;
  if (lang === 'zh') return `${formatLarge(n, 'zh', 2)}元`;
  const s = formatLarge(n, 'en', 2);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/** A unit price in 元 with up to four decimals, never abbreviated: "0.1234元". */
export function formatPrice(value: string | number | null | undefined, lang: Lang = 'zh'): string {
  if (value === null || value === undefined || value === '') return MISSING;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return MISSING;
  return lang === 'zh' ? `${plain(n, 4)}元` : `¥${plain(n, 4)}`;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as YYYY-MM-DD; accepts the API's ISO date or a Date (read in China Standard Time). */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === 'string') return ISO.test(value) ? value : value.slice(0, 10) || MISSING;
  if (Number.isNaN(value.getTime())) return MISSING;
  return new Date(value.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Month of an ISO date: "2024-06". */
export function formatMonth(value: string): string {
  return value.slice(0, 7);
}

/** Whole days: "126天" / "126 days". */
export function formatDays(days: number, lang: Lang = 'zh'): string {
  if (lang === 'zh') return `${days}天`;
  return `${days} ${Math.abs(days) === 1 ? 'day' : 'days'}`;
}

/** A count that may be fractional (expected path, projections): one decimal unless whole. */
export function formatApprox(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return Number.isInteger(value) ? plain(value, 0) : plain(Number(value.toFixed(1)), 1);
}

/**
 * A published figure as the document states it: gt → "超过50%", gte → "500个以上", approx → "约…".
 * `valueText` is the value already formatted with its unit.
 */
export function formatComparator(comparator: FigureComparator, valueText: string, lang: Lang = 'zh'): string {
  if (lang === 'zh') {
    switch (comparator) {
      case 'gt':
        return `超过${valueText}`;
      case 'gte':
        return `${valueText}以上`;
      case 'approx':
        return `约${valueText}`;
      case 'eq':
        return valueText;
    }
  }
  switch (comparator) {
    case 'gt':
      return `more than ${valueText}`;
    case 'gte':
      return `at least ${valueText}`;
    case 'approx':
      return `about ${valueText}`;
    case 'eq':
      return valueText;
  }
}

/**
 * A moment as China Standard Time (UTC+8, no daylight saving), whatever the browser's zone:
 * "2026-03-05T06:07:09Z" → "2026-03-05 14:07", or with seconds. Unparseable input is returned as it came.
 */
export function formatDateTime(iso: string, withSeconds = false): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const cst = new Date(ms + 8 * 3_600_000).toISOString();
  return `${cst.slice(0, 10)} ${cst.slice(11, withSeconds ? 19 : 16)}`;
}
