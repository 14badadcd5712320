import { useState } from 'react';
import type { UploadIssue } from '@vbp/contracts/uploads';
import { EmptyState } from '../../../components/ui/panel';
import { Pagination } from '../../../components/ui/pagination';
import { StackTable } from '../../../components/ui/table';
import { useUploadText } from '../i18n/use-upload-text';
import { ISSUES_PAGE_SIZE, issueMessage, pageOfIssues, sortIssues } from '../utils/issues';

/**
 * Errors or warnings: where (the row as Excel numbers it, the column as the file names it), the cell's
 * content and the problem in the reader's language. Paged here; the API's cap and what lies beyond it
 * are stated above the table.
 */
export function IssuesTable({ issues, more, empty, testId }: { issues: readonly UploadIssue[]; more: number; empty: string; testId: string }) {
  const { u, lang } = useUploadText();
  const [page, setPage] = useState(1);
  if (issues.length === 0 && more === 0) return <EmptyState>{empty}</EmptyState>;
  const shown = pageOfIssues(sortIssues(issues), page);
  return (
    <div data-testid={testId}>
      <p className="issues__cap" data-testid={`${testId}-cap`}>
        {u.issuesListed(issues.length, more)} {u.rowHint}
      </p>
      <StackTable className="issues-table" columns={[{ label: u.issueRow, className: 'num' }, u.issueColumn, u.issueValue, u.issueMessage]}>
        {shown.items.map((issue, i) => (
          <tr key={`${shown.page}-${i}`} data-testid="issue-row" data-row={issue.row ?? ''} data-column={issue.column ?? ''} data-code={issue.code}>
            <th scope="row" className="num" data-label={u.issueRow}>
              <span>{issue.row ?? u.issueFileLevel}</span>
            </th>
            <td data-label={u.issueColumn}>
              <span>{issue.column ?? '—'}</span>
            </td>
            <td data-label={u.issueValue} className="issues-table__value">
              <span>{issue.value === null ? '—' : issue.value === '' ? <span className="muted">{u.issueEmptyValue}</span> : <code>{issue.value}</code>}</span>
            </td>
            <td data-label={u.issueMessage}>
              <span>{issueMessage(issue, lang)}</span>
            </td>
          </tr>
        ))}
      </StackTable>
      {shown.pages > 1 ? <Pagination page={shown.page} pageSize={ISSUES_PAGE_SIZE} total={shown.total} onPage={setPage} /> : null}
    </div>
  );
}
