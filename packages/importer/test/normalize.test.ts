import { describe, expect, it } from 'vitest';
import { collapseSpace, joinChineseBreaks, normalizeHeader, toHalfWidth } from '../src/normalize';

describe('normalisation', () => {
  it('turns full-width characters into half-width', () => {
    expect(toHalfWidth('１２３，ＡＢＣ（元）　x')).toBe('123,ABC(元) x');
  });

  it('collapses whitespace and line breaks', () => {
    expect(collapseSpace('  中选\n价格\t （元） ')).toBe('中选 价格 （元）');
  });

  it('joins Chinese text broken by spaces and line breaks, and leaves spaces between Latin words', () => {
    expect(joinChineseBreaks('湖 北')).toBe('湖北');
    expect(joinChineseBreaks('新疆\n（含兵团）')).toBe('新疆（含兵团）');
    expect(joinChineseBreaks('齐鲁制药 （海南）\r\n有限公司')).toBe('齐鲁制药（海南）有限公司');
    expect(joinChineseBreaks('Merck Sharp & Dohme')).toBe('Merck Sharp & Dohme');
    expect(joinChineseBreaks('0.9% 氯化钠')).toBe('0.9% 氯化钠');
  });

  it('compares headers without case, spaces, line breaks or a trailing unit', () => {
    expect(normalizeHeader('中选\n价格（元）')).toBe('中选价格');
    expect(normalizeHeader('Selected Price (yuan)')).toBe('selectedprice');
    expect(normalizeHeader('供应省（区）')).toBe('供应省');
  });
});
