/**
 * Decimal arithmetic and rounding shared by the calculators.
 *
 * A private Decimal constructor with 40 significant digits: quantities (18 digits, 3 dp) times prices
 * (14 digits, 4 dp) overflow decimal.js's default 20 digits, and cloning keeps the global default
 * untouched for other code.
 */
import Decimal from 'decimal.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

/** Fractions leave the calculators as numbers rounded to 6 decimals (more is noise, less loses 0.1‰). */
export function toFraction(value: Decimal): number {
  const n = value.toDecimalPlaces(6).toNumber();
  return n === 0 ? 0 : n; // no -0
}

/** Rounds a float to 6 decimals (and turns -0 into 0). */
export function round6(value: number): number {
  const n = Math.round(value * 1e6) / 1e6;
  return n === 0 ? 0 : n;
}

/** A decimal string, or null for a missing or blank one (uploads leave cells empty). */
export function parseDecimal(value: string | null | undefined): Decimal | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return new Dec(value.trim());
}

/** Fixed-point text (never exponent notation, which decimal.js uses for very large or small values). */
export function toPlain(value: Decimal, decimals?: number): string {
  const s = decimals === undefined ? value.toFixed() : value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
