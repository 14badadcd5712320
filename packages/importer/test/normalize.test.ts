import { describe, expect, it } from 'vitest';
import { collapseSpace, normalizeHeader, toHalfWidth } from '../src/normalize';

describe('normalisation', () => {
  it('turns full-width characters into half-width', () => {
    expect(toHalfWidth('１２３，ＡＢＣ（元）　x')).toBe('123,ABC(元) x');
  });

  it('collapses whitespace and line breaks', () => {
    expect(collapseSpace('  中选\n价格\t （元） ')).toBe('中选 价格 （元）');
  });

  it('compares headers without case, spaces, line breaks or a trailing unit', () => {
    expect(normalizeHeader('中选\n价格（元）')).toBe('中选价格');
    expect(normalizeHeader('Selected Price (yuan)')).toBe('selectedprice');
    expect(normalizeHeader('供应省（区）')).toBe('供应省');
  });
});
