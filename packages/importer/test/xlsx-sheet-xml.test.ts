import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits';
import { rewriteMisreadCells, SheetXmlRewriter } from '../src/xlsx-sheet-xml';

const sheet = (rows: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

/** The rewriter over `chunks`, as strings or as UTF-8 bytes. */
function rewrite(chunks: readonly (string | Uint8Array)[], maxCellChars = DEFAULT_LIMITS.maxCellChars): string {
  const rewriter = new SheetXmlRewriter(maxCellChars);
  return chunks.map((c) => rewriter.push(c)).join('') + rewriter.end();
}

function everyCut<T extends string | Uint8Array>(whole: T): [T, T][] {
  const cuts: [T, T][] = [];
  for (let at = 0; at <= whole.length; at++) cuts.push([whole.slice(0, at) as T, whole.slice(at) as T]);
  return cuts;
}

function inPieces<T extends string | Uint8Array>(whole: T, size: number): T[] {
  const pieces: T[] = [];
  for (let at = 0; at < whole.length; at += size) pieces.push(whole.slice(at, at + size) as T);
  return pieces;
}

const RICH = '<c r="B2" t="inlineStr"><is><r><t>北京嘉林</t></r><r><rPr><b val="1"/><rFont val="宋体"/></rPr><t>药业股份有限公司</t></r></is></c>';
const RICH_FIXED = '<c r="B2" t="inlineStr"><is><t xml:space="preserve">北京嘉林药业股份有限公司</t></is></c>';

describe('the worksheet XML rewritten for exceljs', () => {
  it('joins the runs of an inline string, leaving phonetic runs out and the text escaped as it was', () => {
    expect(rewrite([sheet(`<row r="2">${RICH}</row>`)])).toBe(sheet(`<row r="2">${RICH_FIXED}</row>`));
    const phonetic = '<c r="A1" t="inlineStr"><is><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></is></c>';
    expect(rewrite([phonetic])).toBe('<c r="A1" t="inlineStr"><is><t xml:space="preserve">東京</t></is></c>');
    const escaped = '<c r="A1" t="inlineStr"><is><r><t xml:space="preserve">A &amp; </t></r><r><t>&lt;B&gt;</t></r><r><t/></r></is></c>';
    expect(rewrite([escaped])).toBe('<c r="A1" t="inlineStr"><is><t xml:space="preserve">A &amp; &lt;B&gt;</t></is></c>');
  });

  it('turns ISO 8601 date cells into inline strings of the date, with the time of day unless it is midnight', () => {
    const cell = (v: string, attrs = ' r="D4" s="4" t="d"') => `<c${attrs}><v>${v}</v></c>`;
    const text = (t: string, attrs = ' r="D4" s="4" t="inlineStr"') => `<c${attrs}><is><t>${t}</t></is></c>`;
    const cases: [string, string][] = [
      ['2022-11-01', '2022-11-01'],
      ['2022-11-01T00:00:00', '2022-11-01'],
      ['2022-11-01T00:00:00Z', '2022-11-01'],
      ['2022-11-01T00:00:00.000+08:00', '2022-11-01'],
      ['2022-11-01T13:45:00', '2022-11-01 13:45:00'],
      ['2022-11-01T13:45Z', '2022-11-01 13:45:00'],
      ['2022-11-01T00:00:00.5', '2022-11-01 00:00:00'],
      [' 2022-11-01 ', '2022-11-01'],
      ['not a date &amp; more', 'not a date &amp; more'],
    ];
    for (const [v, t] of cases) expect(rewrite([cell(v)]), v).toBe(text(t));
    expect(rewrite([cell('2022-11-01', " t = 'd' r=\"D4\"")])).toBe(text('2022-11-01', ' t="inlineStr" r="D4"'));
    // a formula keeps its formula; its saved result becomes a string result
    expect(rewrite(['<c r="E4" t="d"><f>DATE(2022,11,1)</f><v>2022-11-01T00:00:00</v></c>'])).toBe('<c r="E4" t="str"><f>DATE(2022,11,1)</f><v>2022-11-01</v></c>');
  });

  it('passes every other byte through as it came', () => {
    const untouched = sheet(
      [
        '<row r="1" spans="1:6" t="d">',
        '<c r="A1" t="s"><v>0</v></c>',
        '<c r="B1" t="inlineStr"><is><t>单个文本 "d"</t></is></c>',
        '<c r="C1" t="inlineStr"><is><t xml:space="preserve"> 前后空格 </t></is></c>',
        '<c r="D1" s="1"><v>44866</v></c>',
        '<c r="E1" t="d"/>',
        '<c r="F1" t="inlineStr"><is/></c>',
        '<c r="G1" t="str"><f>"x t=""d"""</f><v>x t="d"</v></c>',
        '<c r="H1" t="inlineStr"><is><r><t><![CDATA[甲]]></t></r><r><t>乙</t></r></is></c>',
        '</row>',
      ].join('\n'),
    );
    expect(rewrite([untouched])).toBe(untouched);
    for (const size of [1, 2, 3, 7, 64]) expect(rewrite(inPieces(untouched, size))).toBe(untouched);
  });

  it('gives the same XML however the document is cut into chunks, in characters or in UTF-8 bytes', () => {
    const xml = sheet(
      `<row r="1"><c r="A1" t="inlineStr"><is><t>医疗机构名称</t></is></c><c r="B1" t="s"><v>1</v></c></row>` +
        `<row r="2">${RICH}<c r="C2" s="4" t="d"><v>2022-11-01T00:00:00Z</v></c><c r="D2"><v>3.5</v></c></row>` +
        `<row r="3"><c r="B3" t="inlineStr"><is><t>𠀋字</t><rPh sb="0" eb="1"><t>ジ</t></rPh></is></c><c r="C3" t="d"><v>2024-03-15T08:30:00</v></c></row>`,
    );
    const whole = rewrite([xml]);
    expect(whole).toContain(RICH_FIXED);
    expect(whole).toContain('<c r="C2" s="4" t="inlineStr"><is><t>2022-11-01</t></is></c>');
    expect(whole).toContain('<c r="B3" t="inlineStr"><is><t xml:space="preserve">𠀋字</t></is></c>');
    expect(whole).toContain('<c r="C3" t="inlineStr"><is><t>2024-03-15 08:30:00</t></is></c>');
    for (const cut of everyCut(xml)) expect(rewrite(cut)).toBe(whole);
    const bytes = new TextEncoder().encode(xml);
    for (const cut of everyCut(bytes)) expect(rewrite(cut)).toBe(whole);
    for (let size = 1; size <= 16; size++) {
      expect(rewrite(inPieces(xml, size))).toBe(whole);
      expect(rewrite(inPieces(bytes, size))).toBe(whole);
    }
  });

  it('holds back no more than one cell, and lets a cell too large to hold pass through as it is', () => {
    const row = (r: number) => `<row r="${r}">${RICH.replaceAll('B2', `B${r}`)}<c r="C${r}" t="d"><v>2022-11-01</v></c></row>`;
    const rows = Array.from({ length: 2000 }, (_, i) => row(i + 1)).join('');
    const rewriter = new SheetXmlRewriter(DEFAULT_LIMITS.maxCellChars);
    let held = 0;
    for (const piece of inPieces(sheet(rows), 1000)) {
      rewriter.push(piece);
      held = Math.max(held, rewriter.heldChars);
    }
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(row(2000).length);
    const huge = `<c r="A1" t="inlineStr"><is>${'<r><t>长文本</t></r>'.repeat(20_000)}</is></c>`;
    const small = new SheetXmlRewriter(1000);
    let out = '';
    for (const piece of inPieces(huge, 4096)) {
      out += small.push(piece);
      expect(small.heldChars).toBeLessThanOrEqual(64 * 1024);
    }
    expect(out + small.end()).toBe(huge);
  });

  it('streams an async source', async () => {
    const xml = sheet(`<row r="2">${RICH}</row>`);
    const bytes = new TextEncoder().encode(xml);
    // cut inside 药, a three-byte character
    const cut = new TextEncoder().encode(xml.slice(0, xml.indexOf('药业'))).length + 1;
    async function* source() {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    }
    let out = '';
    for await (const text of rewriteMisreadCells(source(), DEFAULT_LIMITS.maxCellChars)) out += text;
    expect(out).toBe(sheet(`<row r="2">${RICH_FIXED}</row>`));
  });
});
