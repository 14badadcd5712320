/**
 * Form validation with the contracts' own schemas (the rules the API applies), and messages in the
 * reader's language. A schema's custom messages are written "english / 中文" and are split; zod's generic
 * ones are replaced by the dictionary's. Server-side failures (VALIDATION_FAILED with `issues`) land on the
 * same fields.
 */
import type { Issue as ApiIssue } from './api';
import { ApiRequestError } from './api';
import type { Lang } from './i18n/types';
import type { Dictionary } from './i18n/zh';

/** The parts of a zod issue read here (zod 4's issue union, structurally). */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  expected?: string;
  input?: unknown;
}

export type FieldErrors<F extends string = string> = Partial<Record<F, string>>;

/** "at least 10 characters / 密码至少10个字符" → the half in `lang`; null when the message is not bilingual. */
export function localizeBilingual(message: string, lang: Lang): string | null {
  const i = message.lastIndexOf(' / ');
  if (i < 0) return null;
  const en = message.slice(0, i).trim();
  const zh = message.slice(i + 3).trim();
  if (!en || !zh) return null;
  return lang === 'en' ? en : zh;
}

export function issueMessage(issue: SchemaIssue, lang: Lang, t: Dictionary['validation']): string {
  const own = localizeBilingual(issue.message, lang);
  if (own) return own;
  const n = (v: number | bigint | undefined) => Number(v ?? 0);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return t.required;
      if (issue.expected === 'number' || issue.expected === 'int' || typeof issue.input === 'number') return t.integer;
      return t.invalid;
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return n(issue.minimum) <= 1 ? t.required : t.tooShort(n(issue.minimum));
      return t.tooSmall(n(issue.minimum));
    case 'too_big':
      if (issue.origin === 'string' || issue.origin === 'array') return t.tooLong(n(issue.maximum));
      return t.tooBig(n(issue.maximum));
    case 'invalid_value':
      return t.choose;
    case 'invalid_format':
      return t.invalid;
    default:
      return t.invalid;
  }
}

/** The first issue per field (the top-level key of its path). */
export function fieldErrorsFromIssues<F extends string>(issues: readonly SchemaIssue[], lang: Lang, t: Dictionary['validation']): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '') as F;
    if (key && errors[key] === undefined) errors[key] = issueMessage(issue, lang, t);
  }
  return errors;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** A schema's verdict: the parsed value, or a message per field. */
export function validateWith<T, F extends string>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } } },
  value: unknown,
  lang: Lang,
  t: Dictionary['validation'],
): { ok: true; data: T } | { ok: false; errors: FieldErrors<F> } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  // zod 4 leaves the offending value out of its issues; "missing" and "wrong" need it to be told apart.
  const issues = result.error.issues.map((issue) => ('input' in issue ? issue : { ...issue, input: valueAt(value, issue.path) }));
  return { ok: false, errors: fieldErrorsFromIssues<F>(issues, lang, t) };
}

/**
 * The API's validation issues on the form's fields: `body.username`, `username` or `/username` all land on
 * `username`. Issues for fields the form does not have are left to the form-level message.
 */
export function fieldErrorsFromApi<F extends string>(error: unknown, fields: readonly F[], lang: Lang): FieldErrors<F> {
  if (!(error instanceof ApiRequestError)) return {};
  const errors: FieldErrors<F> = {};
  for (const issue of error.issues as ApiIssue[]) {
    const segments = issue.path.split(/[./[\]]+/).filter(Boolean);
    const field = fields.find((f) => segments.includes(f));
    if (field && errors[field] === undefined) errors[field] = localizeBilingual(issue.message, lang) ?? issue.message;
  }
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}
