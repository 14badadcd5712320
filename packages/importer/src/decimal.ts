/**
 * Decimal numbers as strings, never floats: "1,234.50" → "1234.50", "1.2万" → "12000", "52%" → "0.52".
 * Scaling (万, 亿, %, an exponent) moves the decimal point in the digit string; nothing is multiplied.
 */

/** The canonical form every decimal leaves the importer in (what PostgreSQL `numeric` accepts). */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,4}))?$/i;
const GROUPED = /^\d{1,3}(,\d{3})+$/;

export type DecimalText =
  | { ok: true; value: string; percent: boolean; /** the text carried its own scale (万, 亿, %) */ scaled: boolean }
  | { ok: false; reason: 'not-a-number' | 'bad-grouping' };

/** Moves the decimal point of sign·int.frac by `shift` places (positive = ×10^shift). */
export function shiftDecimal(negative: boolean, int: string, frac: string, shift: number): string {
  let digits = int + frac;
  let point = int.length + shift;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits += '0'.repeat(point - digits.length);
  }
  let whole = digits.slice(0, point).replace(/^0+(?=\d)/u, '') || '0';
  let fraction = digits.slice(point);
  if (shift !== 0) fraction = fraction.replace(/0+$/u, '');
  if (whole === '') whole = '0';
  const value = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/u.test(value) ? `-${value}` : value;
}

/**
 * Reads a number written as text, already half-width and without spaces. Accepts thousands separators
 * (in groups of three), a trailing 万 / 亿 / %, an exponent (1.2E+5, as Excel shortens large numbers in
 * CSV), a leading ¥ and a trailing 元.
 */
export function readDecimalText(text: string): DecimalText {
  let s = text;
  let shift = 0;
  let percent = false;
  if (s.startsWith('¥') || s.startsWith('￥')) s = s.slice(1);
  if (s.endsWith('元')) s = s.slice(0, -1);
  if (s.endsWith('%')) {
    percent = true;
    shift -= 2;
    s = s.slice(0, -1);
  } else if (s.endsWith('万元') || s.endsWith('万')) {
    shift += 4;
    s = s.slice(0, s.endsWith('万元') ? -2 : -1);
  } else if (s.endsWith('亿元') || s.endsWith('亿')) {
    shift += 8;
    s = s.slice(0, s.endsWith('亿元') ? -2 : -1);
  }
  if (s.includes(',')) {
    const unsigned = s.replace(/^[+-]/u, '');
    const [whole = ''] = unsigned.split('.', 1);
    if (!GROUPED.test(whole)) return { ok: false, reason: 'bad-grouping' };
    s = s.replace(/,/gu, '');
  }
  const m = NUMBER_TEXT.exec(s);
  if (!m) return { ok: false, reason: 'not-a-number' };
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return { ok: false, reason: 'not-a-number' };
  if (m[4]) shift += Number(m[4]);
  return { ok: true, value: shiftDecimal(m[1] === '-', int || '0', frac, shift), percent, scaled: shift !== (m[4] ? Number(m[4]) : 0) };
}

/** A canonical decimal × 10^places (places may be negative). */
export function scaleDecimal(value: string, places: number): string {
  if (places === 0) return value;
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  return shiftDecimal(negative, int, frac, places);
}

/**
 * A number cell as a decimal string. Excel keeps doubles and shows 15 significant digits, so that is what
 * is kept: a formula's 0.1 + 0.2 reads "0.3", not "0.30000000000000004".
 */
export function numberToDecimal(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return Object.is(n, -0) ? '0' : String(n);
  // The shortest round-trip text, when it has at most 15 digits, is what 15 significant digits give.
  const shortest = String(n);
  if (shortest.length <= 16 + (n < 0 ? 1 : 0) && !shortest.includes('e')) return shortest;
  const text = n.toPrecision(15);
  const read = readDecimalText(text);
  if (!read.ok) return null;
  const [whole, fraction = ''] = read.value.split('.');
  const trimmed = fraction.replace(/0+$/u, '');
  return trimmed ? `${whole}.${trimmed}` : (whole ?? '0').replace(/^-0$/u, '0');
}

/** Integer digits of a canonical decimal (for the size cap). */
export function integerDigits(value: string): number {
  const point = value.indexOf('.');
  return (point < 0 ? value.length : point) - (value.startsWith('-') ? 1 : 0);
}
