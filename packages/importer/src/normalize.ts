/**
 * Text normalisation for messy tables made by other people: full-width characters to half-width, the
 * ideographic space to a space, runs of whitespace (incl. line breaks inside header cells) collapsed.
 */

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/u;

/** Full-width ASCII (！ to ～) to half-width, and the ideographic space to a space. */
export function toHalfWidth(text: string): string {
  if (!FULL_WIDTH.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Trims and collapses whitespace (line breaks included) into single spaces. */
export function collapseSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * The form a header is compared in: half-width, lower case, without spaces, line breaks or a trailing
 * parenthesised unit ("中选价格（元）" → "中选价格").
 */
export function normalizeHeader(text: string): string {
  return toHalfWidth(text)
    .replace(/\s+/gu, '')
    .replace(/\([^()]*\)$/u, '')
    .toLowerCase();
}
