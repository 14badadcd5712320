/**
 * Cells hold what the database and the calculations can: dates and months within the API's range, text
 * without NUL, controls or bidirectional overrides (issue 22), the same rules as @vbp/contracts/inputs.
 */
import { describe, expect, it } from 'vitest';
import { parseDate, parseMonth, parseText } from '../src/cells';

const code = (r: ReturnType<typeof parseText>) => ('issue' in r ? r.issue.code : 'value' in r ? r.value : 'empty');

describe('cells the database can hold', () => {
  it('refuses dates and months outside 1990-01-01 … 2100-12-31', () => {
    for (const raw of ['0000-01-01', '0100-01-01', '1989-12-31', '2101-01-01', '9999-12-31', new Date(Date.UTC(9999, 0, 1))])
      expect(code(parseDate(raw)), String(raw)).toBe('DATE_OUT_OF_RANGE');
    expect(code(parseDate('1990-01-01'))).toBe('1990-01-01');
    expect(code(parseDate('2100年12月31日'))).toBe('2100-12-31');
    for (const raw of ['1900-01', '2199-12', 219912, '1989年12月']) expect(code(parseMonth(raw)), String(raw)).toBe('DATE_OUT_OF_RANGE');
    expect(code(parseMonth('9999-12'))).toBe('NOT_A_MONTH');
    expect(code(parseMonth('2100-12'))).toBe('2100-12-01');
  });

  it('refuses text with NUL, controls, bidirectional controls or lone surrogates', () => {
    for (const raw of ['H\u00001', '新药\u0000', 'a\u001b[31m', 'a\u0085b', '\u202e新医院', 'a\u2066b', 'a\ud800'])
      for (const mode of ['plain', 'name', 'code'] as const) expect(code(parseText(raw, mode)), `${JSON.stringify(raw)} ${mode}`).toBe('INVALID_CHARACTERS');
    // line breaks and tabs inside a cell are cleaned as before; zero-width characters removed
    expect(code(parseText('阿托伐他汀\n钙片', 'name'))).toBe('阿托伐他汀钙片');
    expect(code(parseText('H\u200b001', 'code'))).toBe('H001');
  });
});
