import { describe, expect, it } from 'vitest';
import {
  MISSING,
  formatApprox,
  formatComparator,
  formatCount,
  formatDate,
  formatDateTime,
  formatDays,
  formatLarge,
  formatMoney,
  formatMonth,
  formatPercent,
  formatPointDiff,
  formatPrice,
} from '../src/lib/format';

describe('formatCount', () => {
  it('keeps small counts exact, with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(556)).toBe('556');
    expect(formatCount(9_999)).toBe('9,999');
  });
  it('uses 万 and 亿 for large counts in Chinese', () => {
    expect(formatCount(10_000)).toBe('1万');
    expect(formatCount(123_456)).toBe('12.35万');
    expect(formatCount(30_000_000)).toBe('3000万');
    expect(formatCount(100_000_000)).toBe('1亿');
    expect(formatCount(256_000_000)).toBe('2.56亿');
  });
  it('uses M and B in English', () => {
    expect(formatCount(9_999, 'en')).toBe('9,999');
    expect(formatCount(123_456, 'en')).toBe('123,456');
    expect(formatCount(12_345_678, 'en')).toBe('12.35M');
    expect(formatCount(2_500_000_000, 'en')).toBe('2.5B');
  });
  it('shows a dash for unknown values', () => {
    expect(formatCount(null)).toBe(MISSING);
    expect(formatCount(undefined)).toBe(MISSING);
    expect(formatCount(Number.NaN)).toBe(MISSING);
  });
  it('keeps the sign of negative amounts', () => {
    expect(formatLarge(-123_456, 'zh')).toBe('-12.35万');
  });
});

describe('formatPercent', () => {
  it('shows fractions as percentages with one decimal', () => {
    expect(formatPercent(0.5234)).toBe('52.3%');
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatPercent(1.112)).toBe('111.2%');
    expect(formatPercent(0)).toBe('0.0%');
  });
  it('rounds half away and never shows -0.0%', () => {
    expect(formatPercent(0.72749)).toBe('72.7%');
    expect(formatPercent(-0.00001)).toBe('0.0%');
  });
  it('accepts another number of decimals', () => {
    expect(formatPercent(0.5234, 0)).toBe('52%');
  });
  it('shows a dash for unknown values', () => {
    expect(formatPercent(null)).toBe(MISSING);
  });
});

describe('formatPointDiff', () => {
  it('gives signed percentage points', () => {
    expect(formatPointDiff(0.53, 0.5)).toBe('+3.0个百分点');
    expect(formatPointDiff(0.5, 0.53, 'en')).toBe('−3.0 pp');
    expect(formatPointDiff(0.5, 0.5)).toBe('±0.0个百分点');
  });
});

describe('formatMoney', () => {
  it('shows 元 with 万 / 亿 from decimal strings', () => {
    expect(formatMoney('8500')).toBe('8,500元');
    expect(formatMoney('8500.5')).toBe('8,500.5元');
    expect(formatMoney('123456.78')).toBe('12.35万元');
    expect(formatMoney('320000000')).toBe('3.2亿元');
    expect(formatMoney(-20_000)).toBe('-2万元');
  });
  it('uses ¥ with M / B in English', () => {
    expect(formatMoney('8500', 'en')).toBe('¥8,500');
    expect(formatMoney('1234567', 'en')).toBe('¥1.23M');
    expect(formatMoney('-3200000000', 'en')).toBe('-¥3.2B');
  });
  it('shows a dash for empty or invalid amounts', () => {
    expect(formatMoney(null)).toBe(MISSING);
    expect(formatMoney('')).toBe(MISSING);
    expect(formatMoney('abc')).toBe(MISSING);
  });
});

describe('formatPrice', () => {
  it('never abbreviates unit prices', () => {
    expect(formatPrice('0.1234')).toBe('0.1234元');
    expect(formatPrice('12345.5')).toBe('12,345.5元');
    expect(formatPrice('2.5', 'en')).toBe('¥2.5');
  });
});

describe('dates', () => {
  it('keeps ISO dates as YYYY-MM-DD', () => {
    expect(formatDate('2024-07-25')).toBe('2024-07-25');
    expect(formatDate('2024-07-25T10:00:00Z')).toBe('2024-07-25');
    expect(formatDate(null)).toBe(MISSING);
  });
  it('reads a Date in China Standard Time', () => {
    expect(formatDate(new Date('2024-07-24T17:00:00Z'))).toBe('2024-07-25');
    expect(formatDate(new Date('2024-07-24T15:59:59Z'))).toBe('2024-07-24');
    expect(formatDate(new Date('invalid'))).toBe(MISSING);
  });
  it('gives months and days', () => {
    expect(formatMonth('2024-07-31')).toBe('2024-07');
    expect(formatDays(126)).toBe('126天');
    expect(formatDays(1, 'en')).toBe('1 day');
    expect(formatDays(126, 'en')).toBe('126 days');
  });
});

describe('formatApprox', () => {
  it('shows whole numbers whole and others with one decimal', () => {
    expect(formatApprox(550)).toBe('550');
    expect(formatApprox(412.345)).toBe('412.3');
    expect(formatApprox(1234.56)).toBe('1,234.6');
    expect(formatApprox(null)).toBe(MISSING);
  });
});

describe('formatComparator', () => {
  it('says 超过 for gt and 以上 for gte, as the documents do', () => {
    expect(formatComparator('gt', '50%')).toBe('超过50%');
    expect(formatComparator('gte', '500个品种')).toBe('500个品种以上');
    expect(formatComparator('approx', '40%')).toBe('约40%');
    expect(formatComparator('eq', '556个品种')).toBe('556个品种');
  });
  it('has English forms', () => {
    expect(formatComparator('gt', '50%', 'en')).toBe('more than 50%');
    expect(formatComparator('gte', '500 varieties', 'en')).toBe('at least 500 varieties');
    expect(formatComparator('approx', '40%', 'en')).toBe('about 40%');
  });
});

describe('formatDateTime', () => {
  it('shows China Standard Time whatever the browser’s zone', () => {
    expect(formatDateTime('2026-03-05T06:07:09Z')).toBe('2026-03-05 14:07');
    expect(formatDateTime('2026-03-05T20:07:09.123Z', true)).toBe('2026-03-06 04:07:09');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
