/** The raw rows readers produce, before any column is known. */
import type { RawCell } from './cells';

export interface RawRow {
  /** 1-based, as Excel shows it (title rows and the header row included). */
  rowNumber: number;
  /** Cells from column A, trailing empty cells removed, cut at the per-row cap. */
  cells: RawCell[];
  /** Set when the row had more cells than the cap (the count before cutting). */
  cellCount?: number;
}

/** Zero-width characters (copied from web pages and PDFs) and whitespace only. */
const INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff]*$/u;

/**
 * An empty cell: nothing, an empty string (a formula whose result is ""), whitespace (the ideographic space and
 * non-breaking spaces included) or zero-width characters only.
 */
export function isEmptyCell(cell: RawCell): boolean {
  if (cell === null || cell === undefined || cell === '') return true;
  if (typeof cell !== 'string') return false;
  const text = cell.trim();
  if (text === '') return true;
  // (per cell on the hot path: the pattern runs only when the text starts with a zero-width character)
  const first = text.charCodeAt(0);
  return ((first >= 0x200b && first <= 0x200d) || first === 0x2060) && INVISIBLE.test(text);
}

export function isBlankRow(cells: readonly RawCell[]): boolean {
  for (const cell of cells) if (!isEmptyCell(cell)) return false;
  return true;
}

/** Column letters as Excel shows them (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
