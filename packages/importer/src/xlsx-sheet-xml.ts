/**
 * A workaround for two kinds of cell that exceljs 4.4.0's streaming worksheet reader
 * (lib/stream/xlsx/worksheet-reader.js) reads wrongly, applied to a worksheet's XML before exceljs parses it:
 * - an inline string of several runs (`<is><r><t>北京嘉林</t></r><r><rPr>…</rPr><t>药业股份有限公司</t></r></is>`,
 *   as openpyxl ≥ 3.1 writes rich text) keeps only its last run, because every `<t>` starts the text afresh
 *   (a phonetic run, `<rPh><t>…</t></rPh>`, counts as one). Such an `<is>` becomes one `<t>` holding the
 *   runs' text as it was written (still escaped), phonetic runs left out as Excel leaves them out;
 * - a date written as ISO 8601 (`t="d"`, `<v>2022-11-01</v>`: openpyxl with iso_dates, Excel's Strict
 *   format) goes through parseFloat, and 2022 as a serial day is 1905-07-14. Such a cell becomes an inline
 *   string of the date (2022-11-01, or 2022-11-01 13:45:00 when it has a time of day), which the date and
 *   month parsers read like typed text.
 * Every other byte passes through as it came. The "exceljs quirks" test in test/xlsx.test.ts fails once
 * exceljs reads both right; then this module and its use in xlsx-reader.ts can go.
 */

/**
 * A cell is held back until it is complete, up to max(64 Ki, 16 × maxCellChars) characters of XML (markup
 * and escapes included); a longer one passes through as it is, and the cell limits judge what exceljs reads.
 */
const MARKUP_PER_CHAR = 16;
const MIN_CELL_XML_CHARS = 64 * 1024;

const GT = 0x3e;
const SLASH = 0x2f;

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Where the last `<c` start tag begins (or a `<c` cut off at the end of `text`), or −1. */
function lastCellStart(text: string): number {
  let at = text.lastIndexOf('<c');
  while (at >= 0) {
    const next = text.charCodeAt(at + 2);
    if (Number.isNaN(next) || isXmlSpace(next) || next === GT || next === SLASH) return at;
    at = at === 0 ? -1 : text.lastIndexOf('<c', at - 1);
  }
  return -1;
}

/** The index just after the `</c>` that ends a cell whose content starts at `from`, or −1. */
function cellEnd(text: string, from: number): number {
  let at = text.indexOf('</c', from);
  while (at >= 0) {
    const next = text.charCodeAt(at + 3);
    if (next === GT) return at + 4;
    if (isXmlSpace(next)) {
      const gt = text.indexOf('>', at);
      return gt < 0 ? -1 : gt + 1;
    }
    at = text.indexOf('</c', at + 3);
  }
  return -1;
}

/**
 * How much of `text` can be rewritten now: everything before the last cell when that cell is not complete
 * yet, otherwise everything before the last `<` that is not inside a cell (a tag, perhaps cut off, and the
 * text after it wait for the next chunk). A pattern split between two chunks is therefore always seen whole.
 */
function completePart(text: string): number {
  const lt = text.lastIndexOf('<');
  if (lt < 0) return text.length;
  const start = lastCellStart(text);
  if (start < 0) return lt;
  const gt = text.indexOf('>', start);
  if (gt < 0) return start;
  const end = text.charCodeAt(gt - 1) === SLASH ? gt + 1 : cellEnd(text, gt + 1);
  if (end < 0) return start;
  return Math.max(end, lt);
}

const MARKER = /<is(?=[\s>/])|\st\s*=\s*(["'])d\1/gu;
const SINGLE_RUN = /^<t(?:\s[^>]*)?(?:\/>|>[^<]*<\/t\s*>)$/u;
const PHONETIC_RUN = /<rPh(?:\s[^>]*)?\/>|<rPh(?=[\s>])[\s\S]*?<\/rPh\s*>/gu;
const RUN_TEXT = /<t(?:\s[^>]*)?>([^<]*)<\/t\s*>/gu;
const VALUE = /<v(?:\s[^>]*)?>([^<]*)<\/v\s*>/u;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/u;

interface Rewrite {
  start: number;
  end: number;
  xml: string;
}

/** `<is>…</is>` starting at `at` as one `<t>`; null when it is a single run already (or holds CDATA). */
function joinRuns(text: string, at: number): Rewrite | null {
  const open = text.indexOf('>', at);
  if (open < 0 || text.charCodeAt(open - 1) === SLASH) return null;
  const close = text.indexOf('</is>', open);
  if (close < 0) return null;
  const inner = text.slice(open + 1, close);
  if (SINGLE_RUN.test(inner) || inner.includes('<!')) return null;
  let joined = '';
  for (const run of inner.replace(PHONETIC_RUN, '').matchAll(RUN_TEXT)) joined += run[1];
  return { start: at, end: close + 5, xml: `${text.slice(at, open + 1)}<t xml:space="preserve">${joined}</t></is>` };
}

/** ISO 8601 date text as the date parsers read it: the day, and the time of day unless it is midnight. */
function isoDateText(value: string): string {
  const text = value.trim();
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return text;
  const [, day, hours = '00', minutes = '00', seconds = '00', fraction = ''] = m;
  if (hours === '00' && minutes === '00' && seconds === '00' && !/[1-9]/u.test(fraction)) return day!;
  return `${day} ${hours}:${minutes}:${seconds}`;
}

/**
 * The `t="d"` cell whose attribute is at `attr` (`length` characters) as a string cell: an inline string,
 * or, for a formula, a string result. Null when the attribute is not on a complete cell with a value.
 */
function dateAsText(text: string, attr: number, length: number): Rewrite | null {
  const start = text.lastIndexOf('<', attr);
  if (start < 0 || text.charCodeAt(start + 1) !== 0x63 || !isXmlSpace(text.charCodeAt(start + 2))) return null;
  const gt = text.indexOf('>', start);
  if (gt < attr || text.charCodeAt(gt - 1) === SLASH) return null;
  const end = cellEnd(text, gt + 1);
  if (end < 0) return null;
  const inner = text.slice(gt + 1, text.lastIndexOf('<', end - 1));
  const value = VALUE.exec(inner);
  if (!value) return null;
  const date = isoDateText(value[1]!);
  const formula = /<f[\s>/]/u.test(inner);
  const tag = `${text.slice(start, attr + 1)}t="${formula ? 'str' : 'inlineStr'}"${text.slice(attr + length, gt + 1)}`;
  const body = formula ? `${inner.slice(0, value.index)}<v>${date}</v>${inner.slice(value.index + value[0].length)}` : `<is><t>${date}</t></is>`;
  return { start, end, xml: `${tag}${body}</c>` };
}

/** Rewrites the cells that need it in `text`, which holds whole cells only. */
function rewriteCells(text: string): string {
  // the common case: a chunk of shared-string and number cells
  if (!text.includes('<is') && !text.includes('"d"') && !text.includes("'d'")) return text;
  let out = '';
  let done = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const fixed = m[0].startsWith('<is') ? joinRuns(text, m.index) : dateAsText(text, m.index, m[0].length);
    if (!fixed || fixed.start < done) continue;
    out += text.slice(done, fixed.start) + fixed.xml;
    done = fixed.end;
    MARKER.lastIndex = done;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** The rewriting as a push parser: feed chunks in order, then call end(). */
export class SheetXmlRewriter {
  private carry = '';
  private readonly decoder = new TextDecoder('utf-8');
  private readonly maxCarry: number;

  constructor(maxCellChars: number) {
    this.maxCarry = Math.max(MIN_CELL_XML_CHARS, maxCellChars * MARKUP_PER_CHAR);
  }

  push(chunk: string | Uint8Array): string {
    const text = this.carry + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    let cut = completePart(text);
    if (text.length - cut > this.maxCarry) cut = text.length;
    this.carry = text.slice(cut);
    return cut === 0 ? '' : rewriteCells(text.slice(0, cut));
  }

  /** Characters held back until the cell they belong to is complete. */
  get heldChars(): number {
    return this.carry.length;
  }

  end(): string {
    const text = this.carry + this.decoder.decode();
    this.carry = '';
    return rewriteCells(text);
  }
}

/** A worksheet's XML (text, or UTF-8 bytes) with the cells exceljs would misread rewritten. */
export async function* rewriteMisreadCells(chunks: AsyncIterable<string | Uint8Array>, maxCellChars: number): AsyncGenerator<string> {
  const rewriter = new SheetXmlRewriter(maxCellChars);
  for await (const chunk of chunks) {
    const text = rewriter.push(chunk);
    if (text) yield text;
  }
  const rest = rewriter.end();
  if (rest) yield rest;
}
