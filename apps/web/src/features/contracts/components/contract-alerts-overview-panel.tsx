import { Link } from 'react-router';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatCount } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { useContractAlerts } from '../api/get-contract-alerts';
import { CONTRACT_ALERTS_TEXT } from '../i18n/alerts';
import './contracts.css';

/** 合同到期预警 on the overview: the count in each alert stage, with a link to the list on the contracts page. */
export function ContractAlertsOverviewPanel({ region, date }: { region: string; date: string | null }) {
  const { lang } = useI18n();
  const a = CONTRACT_ALERTS_TEXT[lang];
  const query = useContractAlerts({ region, date, page: 1, pageSize: 1 });
  const busy = query.isPlaceholderData || (query.isFetching && query.data !== undefined);
  const search = new URLSearchParams({ region, ...(date ? { date } : {}) }).toString();
  return (
    <Panel
      title={a.title}
      busy={busy}
      testId="contract-alerts-overview"
      actions={
        <Link to={`/contracts?${search}#alerts`} data-testid="contract-alerts-overview-link">
          {a.overviewLink} →
        </Link>
      }
    >
      <QueryContent query={query} skeleton={<Skeleton lines={1} />} isEmpty={(d) => d.total === 0} empty={a.empty}>
        {(d) => (
          <dl className="contract-counts">
            {d.stages.map((s) => (
              <div key={s.days} className={s.pending > 0 ? 'contract-counts__item contract-counts__item--warn' : 'contract-counts__item'}>
                <dt>{a.stage(s.days)}</dt>
                <dd data-testid={`contract-alerts-stage-${s.days}`}>
                  {formatCount(s.count, lang)}
                  {s.pending > 0 ? <span className="cell-sub">{a.pendingOf(formatCount(s.pending, lang))}</span> : null}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </QueryContent>
    </Panel>
  );
}
