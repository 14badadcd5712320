import type { UploadIssue } from '@vbp/contracts/uploads';

/** How many errors and warnings an upload's report lists (the rest are counted). */
export const REPORT_CAP = 200;

/** Collects issues up to the cap and counts the rest. */
export class IssueList {
  readonly items: UploadIssue[] = [];
  more = 0;

  add(issues: readonly UploadIssue[] | undefined, extra = 0): void {
    for (const issue of issues ?? []) {
      if (this.items.length < REPORT_CAP) this.items.push(issue);
      else this.more++;
    }
    this.more += extra;
  }

  get total(): number {
    return this.items.length + this.more;
  }
}

export interface UploadReport {
  errors: UploadIssue[];
  moreErrors: number;
  warnings: UploadIssue[];
  moreWarnings: number;
  /** Names read after joining text broken by whitespace (湖 北 → 湖北): what the cells held, how they were read. */
  notices?: UploadIssue[];
  moreNotices?: number;
  sheets: string[];
  headerRow: number | null;
  unmatchedHeaders: string[];
  createdInstitutions?: number[];
  detected?: { sheet: string | null; encoding: string | null; mapping: Record<string, string> };
}

/** NUL (which jsonb refuses) and lone surrogates (no UTF-8 has them) in the file's own text. */
const UNSTORABLE = /\u0000|\p{Cs}/gu;

/**
 * The report as a jsonb column can hold it: its values, headers and sheet names are the file's own text,
 * whatever the cells held; a NUL is shown as ␀ and a lone surrogate as �, so a file that holds them is
 * reported on instead of failing.
 */
export function storableReport<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE, (c) => (c === '\u0000' ? '\u2400' : '\uFFFD')) as T;
  if (Array.isArray(value)) return value.map(storableReport) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableReport(k), storableReport(v)])) as T;
  return value;
}
