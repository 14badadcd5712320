/**
 * Errors and warnings of a report, paged on the page (the API sends a capped list and the number
 * beyond it): which slice to show, where each issue is and what it says in the reader's language.
 */
import type { UploadIssue } from '@vbp/contracts/uploads';
import type { Lang } from '../../../lib/i18n/types';

export const ISSUES_PAGE_SIZE = 20;

export interface IssuePage<T> {
  items: T[];
  /** The page shown (clamped to the pages there are). */
  page: number;
  pages: number;
  total: number;
}

export function pageOfIssues<T>(issues: readonly T[], page: number, pageSize = ISSUES_PAGE_SIZE): IssuePage<T> {
  const size = Math.max(1, Math.floor(pageSize));
  const pages = Math.max(1, Math.ceil(issues.length / size));
  const p = Math.min(pages, Math.max(1, Number.isFinite(page) ? Math.floor(page) : 1));
  return { items: issues.slice((p - 1) * size, p * size), page: p, pages, total: issues.length };
}

export function issueMessage(issue: Pick<UploadIssue, 'message' | 'messageZh'>, lang: Lang): string {
  return lang === 'zh' ? issue.messageZh || issue.message : issue.message || issue.messageZh;
}

/** All the issues there are: those listed plus those beyond the report's cap. */
export function issueTotal(listed: number, more: number): number {
  return listed + Math.max(0, more);
}

/** Issues in the order a clerk fixes them: file-level first, then by row. The API's order is kept otherwise. */
export function sortIssues<T extends Pick<UploadIssue, 'row'>>(issues: readonly T[]): T[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.row ?? -1) - (b.issue.row ?? -1) || a.index - b.index)
    .map((x) => x.issue);
}
