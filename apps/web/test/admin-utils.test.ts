import { describe, expect, it } from 'vitest';
import { auditExportUrl, auditFiltersToParams, hasAuditFilters, isRangeValid, parseAuditFilters } from '../src/features/audit/utils/audit-filters';
import { diffAudit, flatten, formatAuditValue, REDACTED } from '../src/features/audit/utils/audit-diff';
import { generatePassword } from '../src/features/users/utils/generate-password';
import { parseUserFilters, userFiltersToParams } from '../src/features/users/utils/user-filters';
import { readPage, readText, toSearchParams } from '../src/lib/search-params';

describe('list filters in the URL', () => {
  it('reads pages and text defensively', () => {
    expect(readPage('3')).toBe(3);
    expect(readPage('0')).toBe(1);
    expect(readPage('-2')).toBe(1);
    expect(readPage('2.5')).toBe(1);
    expect(readPage(null)).toBe(1);
    expect(readText('  admin ')).toBe('admin');
    expect(readText('   ')).toBeUndefined();
    expect(readText('x'.repeat(100), 64)).toHaveLength(64);
    expect(toSearchParams({ a: 'x', b: undefined, c: '', page: 1 }).toString()).toBe('a=x');
  });

  it('round-trips the audit filters and drops what the API would refuse', () => {
    const params = new URLSearchParams('actor=jiangsu-office&action=create&entity=target&region=320000&from=2026-01-01&to=2026-01-31&page=2');
    const f = parseAuditFilters(params);
    expect(f).toEqual({ actor: 'jiangsu-office', action: 'create', entity: 'target', region: '320000', from: '2026-01-01', to: '2026-01-31', page: 2 });
    expect(auditFiltersToParams(f).toString()).toBe(params.toString());
    expect(parseAuditFilters(new URLSearchParams('region=32&from=2026-02-30&to=yesterday&page=x'))).toEqual({
      actor: undefined,
      action: undefined,
      entity: undefined,
      region: undefined,
      from: undefined,
      to: undefined,
      page: 1,
    });
    expect(hasAuditFilters({ page: 3 })).toBe(false);
    expect(hasAuditFilters({ page: 1, actor: 'a' })).toBe(true);
  });

  it('exports what the filters select, every page', () => {
    expect(auditExportUrl({ actor: 'admin', region: '320000', page: 4 })).toBe('/api/audit/export.csv?actor=admin&region=320000');
    expect(auditExportUrl({ page: 1 })).toBe('/api/audit/export.csv');
  });

  it('flags a date range that ends before it starts', () => {
    expect(isRangeValid({ from: '2026-02-01', to: '2026-01-31' })).toBe(false);
    expect(isRangeValid({ from: '2026-01-31', to: '2026-01-31' })).toBe(true);
    expect(isRangeValid({ from: '2026-01-31' })).toBe(true);
  });

  it('round-trips the user filters', () => {
    const f = parseUserFilters(new URLSearchParams('q=li&role=office&region=320000&page=2'));
    expect(f).toEqual({ q: 'li', role: 'office', region: '320000', page: 2 });
    expect(userFiltersToParams(f).toString()).toBe('q=li&role=office&region=320000&page=2');
    expect(parseUserFilters(new URLSearchParams('role=boss'))).toEqual({ q: undefined, role: undefined, region: undefined, page: 1 });
  });
});

describe('audit diff', () => {
  it('lists the fields that changed, nested ones by path', () => {
    const before = { id: 7, count: 500, dueOn: '2025-12-31', dueNote: null, source: { clause: '一(一)', doc: 'A' }, tags: ['a', 'b'] };
    const after = { id: 7, count: 550, dueOn: '2025-12-31', dueNote: '推定', source: { clause: '一(二)', doc: 'A' }, tags: ['a', 'b'], extra: true };
    const d = diffAudit(before, after);
    expect(d.mode).toBe('changed');
    expect(d.changes).toEqual([
      { path: 'count', kind: 'changed', before: 500, after: 550 },
      { path: 'dueNote', kind: 'changed', before: null, after: '推定' },
      { path: 'source.clause', kind: 'changed', before: '一(一)', after: '一(二)' },
      { path: 'extra', kind: 'added', before: undefined, after: true },
    ]);
    expect(d.unchanged).toBe(4);
  });

  it('shows a created or deleted record in full, and nothing for an entry without values', () => {
    const created = diffAudit(null, { username: 'wang', role: 'office' });
    expect(created.mode).toBe('created');
    expect(created.changes.map((c) => [c.path, c.kind])).toEqual([
      ['username', 'added'],
      ['role', 'added'],
    ]);
    const deleted = diffAudit({ count: 5 }, null);
    expect(deleted.mode).toBe('deleted');
    expect(deleted.changes).toEqual([{ path: 'count', kind: 'removed', before: 5, after: undefined }]);
    expect(diffAudit(null, null)).toEqual({ mode: 'empty', changes: [], unchanged: 0 });
  });

  it('never shows a secret, and flattens lists of records by index', () => {
    const d = diffAudit({ passwordHash: 'abc' }, { passwordHash: 'def' });
    expect(d.changes[0]).toMatchObject({ before: REDACTED, after: REDACTED });
    expect([...flatten({ rows: [{ a: 1 }, { a: 2 }] }).keys()]).toEqual(['rows[0].a', 'rows[1].a']);
    expect(diffAudit('x', 'y').changes).toEqual([{ path: '', kind: 'changed', before: 'x', after: 'y' }]);
  });

  it('formats values for reading', () => {
    const words = { yes: '是', no: '否', empty: '（空）' };
    expect(formatAuditValue(null, words)).toBe('—');
    expect(formatAuditValue(true, words)).toBe('是');
    expect(formatAuditValue('', words)).toBe('（空）');
    expect(formatAuditValue(['a', 1], words)).toBe('a, 1');
    expect(formatAuditValue({ x: 1 }, words)).toBe('{"x":1}');
    expect(formatAuditValue(550, words)).toBe('550');
  });
});

describe('temporary passwords', () => {
  it('are long enough, readable, and come from the random source', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[a-zA-Z2-9]{4}(-[a-zA-Z2-9]{4}){3}$/);
    expect(p.length).toBeGreaterThanOrEqual(10);
    expect(p).not.toMatch(/[01lIO]/);
    expect(generatePassword()).not.toBe(p);
    // bytes past the unbiased range are skipped
    let call = 0;
    const fixed = (n: number) => Uint8Array.from({ length: n }, (_, i) => (call++ === 0 && i === 0 ? 255 : i));
    expect(generatePassword(1, fixed)).toBe('bcde');
  });
});
