import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, toFraction } from '../../src/calc/decimal';
import { fraction6 } from '../../src/calc/exact';

describe('fraction6', () => {
  it('rounds n / d half up to 6 decimals as decimal.js does, for small and huge integers and either sign', () => {
    const integer = fc.oneof(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }));
    fc.assert(
      fc.property(integer, fc.bigInt({ min: 1n, max: 10n ** 30n }), (n, d) => {
        expect(fraction6(n, d)).toBe(toFraction(new Dec(n.toString()).div(d.toString())));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the doubles the digits name at ties and at zero', () => {
    expect(fraction6(1n, 8n)).toBe(0.125);
    expect(fraction6(1n, 2_000_000n)).toBe(0.000001);
    expect(fraction6(-1n, 2_000_000n)).toBe(-0.000001);
    expect(Object.is(fraction6(-1n, 3_000_000n), 0)).toBe(true);
    expect(fraction6(2n, 3n)).toBe(0.666667);
  });
});
