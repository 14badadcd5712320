/**
 * Exact decimal arithmetic on integers, for the rollups that run on every read of a province's execution
 * (tens of thousands of rows per answer): a decimal string becomes a bigint count of 10^-scale units, sums
 * and products are exact, and the only division is the final one, rounded half up (away from zero on a
 * tie) as decimal.js's ROUND_HALF_UP does. Parsing a decimal.js value per row cost ~100 ms for a province's
 * summary; these cost a tenth of it and give the same strings and numbers (calc/decimal.ts stays the
 * arithmetic of everything else).
 */

/** Digits after the decimal point of a plain decimal string ("12.340" → 3, "-5" → 0). */
export function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

const TEN = 10n;
const powers: bigint[] = [1n];
/** 10^n as a bigint (cached: the same few scales recur). */
export function pow10(n: number): bigint {
  for (let i = powers.length; i <= n; i++) powers.push(powers[i - 1]! * TEN);
  return powers[n]!;
}

/** A plain decimal string ("-12.34", no exponent: how PostgreSQL prints numeric) in units of 10^-scale. */
export function toUnits(text: string, scale: number): bigint {
  const t = text.trim();
  const dot = t.indexOf('.');
  if (dot < 0) return BigInt(t) * pow10(scale);
  const fraction = t.slice(dot + 1);
  if (fraction.length > scale) throw new RangeError(`${text} has more than ${scale} decimals`);
  const whole = t.slice(0, dot);
  const negative = whole.startsWith('-');
  const units = BigInt(`${whole === '' || whole === '-' || whole === '+' ? '0' : whole}`) * pow10(scale) + BigInt(fraction.padEnd(scale, '0') || '0') * (negative ? -1n : 1n);
  return negative && units > 0n ? -units : units;
}

/** n / d rounded half up (away from zero on a tie) to an integer; d > 0. */
export function roundDiv(n: bigint, d: bigint): bigint {
  const q = ((n < 0n ? -n : n) * 2n + d) / (2n * d);
  return n < 0n ? -q : q;
}

/**
 * Units of 10^-scale as a decimal string: every digit it has, without trailing zeros (`decimals` absent,
 * as decimal.js's toFixed() prints a sum), or rounded half up to `decimals` places with all of them.
 */
export function formatUnits(units: bigint, scale: number, decimals?: number): string {
  let value = units;
  let places = scale;
  if (decimals !== undefined) {
    value = decimals >= scale ? units * pow10(decimals - scale) : roundDiv(units, pow10(scale - decimals));
    places = decimals;
  }
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  let fraction = places > 0 ? digits.slice(-places) : '';
  const whole = places > 0 ? digits.slice(0, -places) : digits;
  if (decimals === undefined) fraction = fraction.replace(/0+$/u, '');
  digits = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/u.test(digits) ? `-${digits}` : digits;
}

/** n / d as a fraction rounded half up to 6 decimals (what calc/decimal.ts's toFraction gives); d > 0. */
export function fraction6(n: bigint, d: bigint): number {
  const millionths = roundDiv(n * MILLION, d);
  // an integer below 2^53 over 10^6 is the double nearest the decimal, as parsing its digits gives
  const value = millionths <= MAX_EXACT && millionths >= -MAX_EXACT ? Number(millionths) / 1e6 : Number(formatUnits(millionths, 6));
  return value === 0 ? 0 : value;
}

const MILLION = 1_000_000n;
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
