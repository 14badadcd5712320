import { Link } from 'react-router';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { isApiError } from '../../../lib/api';
import { formatCount } from '../../../lib/format';
import { useFollowUpCounts } from '../api/get-follow-ups';
import { useFollowUpsText } from '../i18n/use-follow-ups-text';
import './follow-ups.css';

/** 督办事项 on the overview: how many are open and how many of those are overdue, with a link to the list. */
export function FollowUpsOverviewPanel({ region, date }: { region: string; date: string | null }) {
  const { f, lang } = useFollowUpsText();
  const query = useFollowUpCounts(region, date);
  const busy = query.isPlaceholderData || (query.isFetching && query.data !== undefined);
  const search = new URLSearchParams({ region, ...(date ? { date } : {}) }).toString();
  return (
    <Panel title={f.overviewTitle} busy={busy} testId="follow-ups-panel" actions={<Link to={`/follow-ups?${search}`} data-testid="follow-ups-panel-link">{f.overviewLink} →</Link>}>
      {isApiError(query.error, 'FORBIDDEN') && !query.data ? (
        <EmptyState>—</EmptyState>
      ) : (
        <QueryContent query={query} skeleton={<Skeleton lines={1} />}>
          {(counts) => (
            <dl className="follow-up-counts">
              <div>
                <dt>{f.overviewOpen}</dt>
                <dd data-testid="follow-ups-open">{formatCount(counts.open, lang)}</dd>
              </div>
              <div>
                <dt>{f.overviewOverdue}</dt>
                <dd data-testid="follow-ups-overdue">{formatCount(counts.overdue, lang)}</dd>
              </div>
            </dl>
          )}
        </QueryContent>
      )}
    </Panel>
  );
}
