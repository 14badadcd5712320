import { describe, expect, it } from 'vitest';
import { alertStage } from '../../src/calc/contract-alerts';

describe('alertStage', () => {
  const DAYS = [180, 90, 60, 30, 7];

  it('is the smallest alert day the days left have reached, the boundary included', () => {
    expect([0, 7, 8, 30, 31, 60, 61, 90, 91, 180].map((d) => alertStage(d, DAYS))).toEqual([7, 7, 30, 30, 60, 60, 90, 90, 180, 180]);
  });

  it('is null once ended or beyond every alert day', () => {
    expect(alertStage(-1, DAYS)).toBeNull();
    expect(alertStage(181, DAYS)).toBeNull();
    expect(alertStage(5, [])).toBeNull();
  });

  it('does not depend on the order the days are given in', () => {
    expect(alertStage(20, [7, 365, 30])).toBe(30);
    expect(alertStage(200, [7, 365, 30])).toBe(365);
  });
});
