/**
 * An audit entry's before/after as a readable list of field changes. Nested objects become dotted paths
 * (`source.clause`); lists of plain values are compared as a whole; secrets are never shown even if a
 * record carried one.
 */

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
  /** `count`, `source.documentCode`, `items[2].name`; '' for a value that is not a record. */
  path: string;
  kind: ChangeKind;
  before: unknown;
  after: unknown;
}

export interface AuditDiff {
  /** created: nothing before; deleted: nothing after; changed: both; empty: neither. */
  mode: 'created' | 'deleted' | 'changed' | 'empty';
  changes: FieldChange[];
  /** Fields present on both sides with the same value (not listed). */
  unchanged: number;
}

const SECRET = /pass(word)?|hash|secret|token|salt/i;
export const REDACTED = '••••••';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaves of a value: { a: { b: 1 }, c: [1, 2] } → a.b = 1, c = [1, 2]; lists of records by index. */
export function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (v: unknown, path: string) => {
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
    } else if (Array.isArray(v) && v.some((x) => isPlainObject(x) || Array.isArray(x))) {
      v.forEach((child, i) => walk(child, `${path}[${i}]`));
    } else {
      out.set(path, v);
    }
  };
  walk(value, prefix);
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function redact(path: string, v: unknown): unknown {
  return SECRET.test(path.split('.').pop() ?? '') && v !== null && v !== undefined ? REDACTED : v;
}

export function diffAudit(before: unknown, after: unknown): AuditDiff {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  const mode: AuditDiff['mode'] = hasBefore && hasAfter ? 'changed' : hasAfter ? 'created' : hasBefore ? 'deleted' : 'empty';
  const b = hasBefore ? flatten(before) : new Map<string, unknown>();
  const a = hasAfter ? flatten(after) : new Map<string, unknown>();
  const paths = [...new Set([...b.keys(), ...a.keys()])];
  const changes: FieldChange[] = [];
  let unchanged = 0;
  for (const path of paths) {
    const inB = b.has(path);
    const inA = a.has(path);
    const vb = b.get(path);
    const va = a.get(path);
    if (inB && inA && same(vb, va)) {
      unchanged++;
      continue;
    }
    const kind: ChangeKind = inB && inA ? 'changed' : inA ? 'added' : 'removed';
    changes.push({ path, kind, before: redact(path, vb), after: redact(path, va) });
  }
  return { mode, changes, unchanged };
}

/** A leaf for the screen: null → —, booleans in words, lists joined, anything else as JSON. */
export function formatAuditValue(v: unknown, words: { yes: string; no: string; empty: string }): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? words.yes : words.no;
  if (typeof v === 'string') return v === '' ? words.empty : v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? words.empty : v.map((x) => formatAuditValue(x, words)).join(', ');
  if (isPlainObject(v) && Object.keys(v).length === 0) return words.empty;
  return JSON.stringify(v);
}
