import { useState } from 'react';
import type { ContractAlert, ContractAlerts } from '@vbp/contracts/contract-alerts';
import { BatchLink } from '../../../components/ui/batch-link';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { formatCount, formatDate } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { contractAlertsExportUrl, useContractAlerts } from '../api/get-contract-alerts';
import { CONTRACT_ALERTS_TEXT } from '../i18n/alerts';

/**
 * 合同到期预警 on the contracts page: the periods within the province's alert days by stage (a chip per stage
 * with its count filters the list), soonest first, paginated, with the XLSX export of the same filter.
 */
export function ContractAlertsPanel({ region, date }: { region: string; date: string | null }) {
  const { lang } = useI18n();
  const a = CONTRACT_ALERTS_TEXT[lang];
  const [stage, setStage] = useState<number | undefined>(undefined);
  const [page, setPage] = useState(1);
  const query = useContractAlerts({ region, date, page, stage });
  const data = query.data;
  const busy = query.isPlaceholderData || (query.isFetching && data !== undefined);
  const choose = (next: number | undefined) => {
    setStage(next);
    setPage(1);
  };
  return (
    <Panel
      title={<span id="alerts">{a.title}</span>}
      description={data ? a.description(data.alertDays.join('、'), data.alertDaysSource) : undefined}
      busy={busy}
      testId="contract-alerts-panel"
      actions={
        <a className="button" href={contractAlertsExportUrl(region, date, stage)} download data-testid="contract-alerts-export">
          {a.export}
        </a>
      }
    >
      {data ? <StageChips data={data} stage={stage} onChoose={choose} /> : null}
      <PagedQueryContent query={query} empty={a.empty} skeletonLines={4} busy={busy} onPage={setPage}>
        {(items) => <AlertTable items={items} />}
      </PagedQueryContent>
    </Panel>
  );
}

function StageChips({ data, stage, onChoose }: { data: ContractAlerts; stage: number | undefined; onChoose: (stage: number | undefined) => void }) {
  const { lang } = useI18n();
  const a = CONTRACT_ALERTS_TEXT[lang];
  return (
    <div className="alert-stages" role="group" aria-label={a.filterLabel} data-testid="contract-alert-stages">
      <button type="button" className="button button--small" aria-pressed={stage === undefined} onClick={() => onChoose(undefined)}>
        {a.all}
      </button>
      {data.stages.map((s) => (
        <button
          key={s.days}
          type="button"
          className={`button button--small${s.pending > 0 ? ' alert-stages__warn' : ''}`}
          aria-pressed={stage === s.days}
          onClick={() => onChoose(s.days)}
          data-testid={`contract-alert-stage-${s.days}`}
          data-count={s.count}
        >
          {a.stageCount(s.days, formatCount(s.count, lang))}
          {s.pending > 0 ? ` · ${a.pendingOf(formatCount(s.pending, lang))}` : ''}
        </button>
      ))}
    </div>
  );
}

function AlertTable({ items }: { items: readonly ContractAlert[] }) {
  const { t, lang } = useI18n();
  const a = CONTRACT_ALERTS_TEXT[lang];
  return (
    <table className="table table--stack contracts-table" data-testid="contract-alerts-table">
      <thead>
        <tr>
          <th scope="col">{a.batch}</th>
          <th scope="col">{a.end}</th>
          <th scope="col" className="num">
            {a.daysLeft}
          </th>
          <th scope="col">{a.stageCol}</th>
          <th scope="col">{a.renewal}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={`${r.batchCode}:${r.regionCode}`} data-testid="contract-alert-row" data-stage={r.stage} className={r.renewal === 'pending' ? 'contracts-table__row--attention' : undefined}>
            <th scope="row" data-label={a.batch}>
              <span className="cell-main" lang="zh-CN">
                {r.batchNameZh}
              </span>
              <span className="cell-sub">
                <BatchLink code={r.batchCode} /> · {t.levels[r.level]}
              </span>
            </th>
            <td data-label={a.end}>
              {formatDate(r.contractEndOn)}
              {r.estimated ? <span className="tag">{a.estimated}</span> : null}
            </td>
            <td data-label={a.daysLeft} className="num">
              {a.days(formatCount(r.daysLeft, lang))}
            </td>
            <td data-label={a.stageCol} data-testid="contract-alert-stage">
              {a.stage(r.stage)}
            </td>
            <td data-label={a.renewal}>{r.renewedBy ? a.renewed(r.renewedBy.nameZh, formatDate(r.renewedBy.startOn)) : a.pending}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
