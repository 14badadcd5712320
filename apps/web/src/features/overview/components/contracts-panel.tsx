import { NATION_CODE } from '@vbp/contracts/enums';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatDate, formatDays } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { groupEndingContracts } from '../utils/contracts';
import type { OverviewQuery } from './overview-query';
import { BatchLink } from '../../../components/ui/batch-link';

/** Contracts ending within the region's window (its largest contract alert day) of the as-of date, soonest first, with their renewal. */
export function ContractsPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t, lang } = useI18n();
  return (
    <Panel title={t.contracts.title} busy={busy} testId="contracts-panel">
      <QueryContent
        query={query}
        isEmpty={(o) => o.contractsEndingSoon.length === 0}
        empty={
          query.data
            ? `${t.contracts.empty(formatDays(query.data.contractWindow.days, lang))}${query.data.contractsEndUnknown > 0 ? ` ${t.overview.endingUnknown(query.data.contractsEndUnknown)}` : ''}`
            : null
        }
        skeleton={<Skeleton lines={3} />}
      >
        {(o) => {
          const groups = groupEndingContracts(o.contractsEndingSoon);
          const isNation = o.region.code === NATION_CODE;
          return (
            <>
              <table className="table table--stack">
                <thead>
                  <tr>
                    <th scope="col">{t.contracts.batch}</th>
                    <th scope="col">{t.contracts.endsOn}</th>
                    <th scope="col">{t.contracts.daysLeft}</th>
                    {isNation ? <th scope="col">{t.contracts.regions}</th> : null}
                    <th scope="col">{t.contracts.renewal}</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((g) => (
                    <tr key={g.batchCode}>
                      <th scope="row" data-label={t.contracts.batch}>
                        <span className="cell-main" lang="zh-CN">
                          {g.batchNameZh}
                        </span>
                        <span className="cell-sub">
                          <BatchLink code={g.batchCode} />
                        </span>
                      </th>
                      <td data-label={t.contracts.endsOn}>{formatDate(g.contractEndOn)}</td>
                      <td data-label={t.contracts.daysLeft} className="num">
                        {formatDays(g.daysLeft, lang)}
                      </td>
                      {isNation ? (
                        <td data-label={t.contracts.regions} className="num">
                          {t.contracts.regionCount(g.regionCount, g.renewedCount)}
                        </td>
                      ) : null}
                      <td data-label={t.contracts.renewal}>
                        {g.renewedBy.length > 0 ? g.renewedBy.join(', ') : <span className="tag tag--warn">{t.overview.notRenewed}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {o.contractsEndUnknown > 0 ? (
                <p className="muted" data-testid="contracts-end-unknown">
                  {t.overview.endingUnknown(o.contractsEndUnknown)}
                </p>
              ) : null}
            </>
          );
        }}
      </QueryContent>
    </Panel>
  );
}
