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

/** Chinese characters and the full-width punctuation names use. */
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff08\\uff09\\uff0c\\uff1a\\uff1b\\uff0f';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'gu');

/**
 * Removes whitespace between two Chinese characters: text copied from a PDF breaks names with spaces and
 * line breaks ("湖 北", "阿托伐他汀\n钙片", "口服常释 剂型"), which Chinese never writes inside a name.
 * Spaces between Latin words ("Bayer AG") are kept.
 */
export function joinChineseBreaks(text: string): string {
  return text.replace(SPACE_BETWEEN_CJK, '');
}
