import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Overview } from '@vbp/contracts/api';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { SourceRef } from '../../../components/ui/source-ref';
import { formatDate } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { formatPublishedValue, formatReconciledValue, publishedMetricLabel } from '../../../lib/published-figure';
import { reconciliationQueryOptions } from '../../../lib/reconciliation';
import type { OverviewQuery } from './overview-query';
import { BatchLink } from '../../../components/ui/batch-link';

/**
 * What the documents published for the region, each beside what the data computes for the same region,
 * scope and date. The matching is the API's (/api/reconciliation, the same answer as the 核对 page, which
 * also gives the difference and its reasons): 556 as of 2024-07-25 meets its own count.
 */
export function PublishedFiguresPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t } = useI18n();
  const region = query.data?.region.code;
  return (
    <Panel
      title={t.figures.title}
      description={t.figures.diffNote}
      busy={busy}
      testId="figures-panel"
      actions={region ? <Link to={`/reconciliation?region=${region}`} className="button button--small" data-testid="figures-reconcile">{t.nav.reconciliation}</Link> : null}
    >
      <QueryContent query={query} isEmpty={(o) => o.publishedFigures.length === 0} empty={t.figures.empty} skeleton={<Skeleton lines={3} />}>
        {(o) => <FiguresTable overview={o} />}
      </QueryContent>
    </Panel>
  );
}

function FiguresTable({ overview }: { overview: Overview }) {
  const { t, lang } = useI18n();
  // Each figure is computed at its own date, so the overview's as-of date does not enter the key.
  const reconciled = useQuery({ ...reconciliationQueryOptions({ region: overview.region.code, date: null }), placeholderData: undefined });
  const items = new Map((reconciled.data?.items ?? []).map((i) => [i.figure.code, i]));
  const order = reconciled.data ? reconciled.data.items.map((i) => i.figure) : overview.publishedFigures;

  return (
    <table className="table table--stack">
      <thead>
        <tr>
          <th scope="col">{t.figures.metric}</th>
          <th scope="col">{t.figures.published}</th>
          <th scope="col">{t.figures.computed}</th>
          <th scope="col">{t.figures.asOf}</th>
          <th scope="col">{t.figures.source}</th>
        </tr>
      </thead>
      <tbody>
        {order.map((f) => {
          const item = items.get(f.code);
          return (
            <tr key={f.code} data-testid={`figure-${f.code}`}>
              <th scope="row" data-label={t.figures.metric}>
                <span className="cell-main">{publishedMetricLabel(t, f)}</span>
                {f.batchCode ? (
                  <span className="cell-sub">
                    <BatchLink code={f.batchCode} />
                  </span>
                ) : null}
                {f.note ? (
                  <span className="cell-sub" lang="zh-CN">
                    {f.note}
                  </span>
                ) : null}
              </th>
              <td data-label={t.figures.published} className="num">
                <span className="cell-main" data-testid="figure-published">
                  {formatPublishedValue(f, lang)}
                </span>
              </td>
              <td data-label={t.figures.computed} className="num">
                {item && item.computed !== null ? (
                  <span className="cell-main" data-testid="figure-computed" data-status={item.status}>
                    {formatReconciledValue(item, item.computed, lang)}
                  </span>
                ) : reconciled.isPending ? (
                  <span className="muted">{t.common.loading}</span>
                ) : (
                  <span className="muted">{t.figures.noComputed}</span>
                )}
              </td>
              <td data-label={t.figures.asOf} className="nowrap">
                {f.asOf ? formatDate(f.asOf) : '—'}
              </td>
              <td data-label={t.figures.source}>
                <SourceRef source={f.source} fallbackUrl={f.sourceUrl} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
