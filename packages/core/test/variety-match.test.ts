import { describe, expect, it } from 'vitest';
import { genericMatchKey } from '../src/uploads/variety-match';

describe('genericMatchKey', () => {
  it('meets the catalogue name from the listed name', () => {
    expect(genericMatchKey('阿托伐他汀钙片')).toBe('阿托伐他汀');
    expect(genericMatchKey('富马酸替诺福韦二吡呋酯片')).toBe('替诺福韦二吡呋酯');
    expect(genericMatchKey('注射用培美曲塞二钠')).toBe('培美曲塞');
    expect(genericMatchKey('盐酸右美托咪定注射液')).toBe('右美托咪定');
    expect(genericMatchKey('硫酸氢氯吡格雷片')).toBe('氯吡格雷');
    expect(genericMatchKey('恩替卡韦分散片')).toBe('恩替卡韦');
    expect(genericMatchKey('蒙脱石散')).toBe('蒙脱石');
    expect(genericMatchKey('阿托伐他汀')).toBe('阿托伐他汀');
  });

  it('never strips a name to nothing', () => {
    expect(genericMatchKey('片')).toBe('片');
    expect(genericMatchKey('钙片')).toBe('钙片');
  });
});
