import { useQueries } from '@tanstack/react-query';
import type { Overview } from '@vbp/contracts/api';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatDate } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { overviewQueryOptions } from '../api/get-overview';
import { formatPublishedValue, publishedMetricLabel } from '../../../lib/published-figure';
import { computedCounterpart, figureDates, formatComputed, sortFigures } from '../utils/published-figures';
import type { OverviewQuery } from './overview-query';
import { SourceRef } from '../../../components/ui/source-ref';

/**
 * What the documents published for the region, each beside what the data computes for the same date
 * (the overview is loaded again as of each figure's date, so 556 as of 2024-07-25 meets its own count).
 */
export function PublishedFiguresPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t } = useI18n();
  return (
    <Panel title={t.figures.title} description={t.figures.diffNote} busy={busy} testId="figures-panel">
      <QueryContent query={query} isEmpty={(o) => o.publishedFigures.length === 0} empty={t.figures.empty} skeleton={<Skeleton lines={3} />}>
        {(o) => <FiguresTable overview={o} />}
      </QueryContent>
    </Panel>
  );
}

function FiguresTable({ overview }: { overview: Overview }) {
  const { t, lang } = useI18n();
  const dates = figureDates(overview.publishedFigures);
  const atDates = useQueries({
    queries: dates.map((d) => ({ ...overviewQueryOptions(overview.region.code, d), placeholderData: undefined })),
  });
  const byDate = new Map<string, (typeof atDates)[number]>();
  dates.forEach((d, i) => {
    const q = atDates[i];
    if (q) byDate.set(d, q);
  });

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
        {sortFigures(overview.publishedFigures).map((f) => {
          const q = f.asOf ? byDate.get(f.asOf) : undefined;
          const computed = q?.data ? computedCounterpart(f, q.data) : null;
          return (
            <tr key={f.code} data-testid={`figure-${f.code}`}>
              <th scope="row" data-label={t.figures.metric}>
                <span className="cell-main">{publishedMetricLabel(t, f)}</span>
                {f.batchCode ? <span className="cell-sub">{f.batchCode}</span> : null}
                {f.note ? (
                  <span className="cell-sub" lang="en">
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
                {computed ? (
                  <span className="cell-main" data-testid="figure-computed">
                    {formatComputed(computed, lang)}
                  </span>
                ) : q?.isPending && computedCounterpart(f, overview) !== null ? (
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
