import { describe, expect, it } from 'vitest';
import { storableReport } from '../src/uploads/report';

describe('an upload report a jsonb column can hold', () => {
  it('shows NUL as ␀ and lone surrogates as �, everywhere in the report, keys included', () => {
    const report = { errors: [{ value: 'a\u0000b', column: '备\u0000注', row: 2 }], detected: { mapping: { 'x\ud800': 'nhsaCode' } }, sheets: ['S'], headerRow: null };
    expect(storableReport(report)).toEqual({ errors: [{ value: 'a␀b', column: '备␀注', row: 2 }], detected: { mapping: { 'x\ufffd': 'nhsaCode' } }, sheets: ['S'], headerRow: null });
    expect(JSON.stringify(storableReport(report))).not.toMatch(/\\u0000|\\ud800/);
  });

  it('leaves other text as it is', () => {
    expect(storableReport({ v: '😀 第 2 行\t\n‮' })).toEqual({ v: '😀 第 2 行\t\n‮' });
  });
});
