import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isIsoDate, monthEnd, monthEnds, todayInChina } from '../src/dates';

describe('calendar dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-04-31')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-00-10')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate(' 2024-01-01')).toBe(false);
    expect(isIsoDate('2024/01/01')).toBe(false);
  });

  it('does arithmetic without time-zone drift', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-05-15', -17)).toBe('2022-12-15');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(monthEnd('2024-02-10')).toBe('2024-02-29');
    expect(monthEnds('2023-11-15', '2024-02-01')).toEqual(['2023-11-30', '2023-12-31', '2024-01-31', '2024-02-29']);
    expect(() => addDays('2024-02-30', 1)).toThrow(/2024-02-30/);
  });

  it('reads today in China Standard Time', () => {
    expect(todayInChina(new Date('2024-06-30T16:30:00Z'))).toBe('2024-07-01');
    expect(todayInChina(new Date('2024-06-30T15:59:59Z'))).toBe('2024-06-30');
  });
});

describe('dates of the first centuries', () => {
  it('reads years 0001–0099 as themselves, not as 1901–1999', () => {
    expect(addDays('0050-01-01', 1)).toBe('0050-01-02');
    expect(addMonths('0099-12-31', 1)).toBe('0100-01-31');
    expect(daysBetween('0001-01-01', '0002-01-01')).toBe(365);
    // the year 4 is a leap year, 1904 is too; the year 0 is, 1900 is not
    expect(isIsoDate('0000-02-29')).toBe(true);
    expect(isIsoDate('0100-02-29')).toBe(false);
    expect(monthEnd('0004-02-03')).toBe('0004-02-29');
  });

  it('refuses arithmetic that leaves the years 0000–9999 instead of writing a broken date', () => {
    expect(addDays('9999-12-31', 0)).toBe('9999-12-31');
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addMonths('0000-01-01', -1)).toThrow(RangeError);
  });
});
