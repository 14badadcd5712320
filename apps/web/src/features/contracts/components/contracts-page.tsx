import { useEffect, useId, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ContractPeriod, ContractPeriods } from '@vbp/contracts/contract-periods';
import { NATION_CODE } from '@vbp/contracts/enums';
import { Footnote } from '../../../components/ui/footnote';
import { PageHead } from '../../../components/layout/page-head';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatCount, formatDate, formatDays } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { thresholdSourceLabel } from '../../../lib/threshold';
import { useViewParams, withParam } from '../../../lib/view-params';
import { useContracts } from '../api/get-contracts';
import { useContractsText } from '../i18n/use-contracts-text';
import {
  buildTimeline,
  countPeriods,
  filterPeriods,
  needsAttention,
  parseShowFilter,
  parseTypeFilter,
  SHOW_FILTERS,
  TYPE_FILTERS,
  type ShowFilter,
  type TypeFilter,
} from '../utils/timeline';
import { ContractAlertsPanel } from './contract-alerts-panel';
import { ContractTimeline } from './contract-timeline';
import { RenewalText, StateText } from './contract-status';
import './contracts.css';
import { BatchLink } from '../../../components/ui/batch-link';
import { Segmented } from '../../../components/ui/segmented';

/** 合同: the contract periods of the batches implemented in a region, expiry and renewal, as of a date. */
export function ContractsPage() {
  const { t, c, lang } = useContractsText();
  const { region, date } = useViewParams();
  const query = useContracts(region, date);
  const data = query.data;
  const busy = query.isPlaceholderData || (query.isFetching && data !== undefined);
  const [params, setParams] = useSearchParams();
  const type = parseTypeFilter(params.get('type'));
  const show = parseShowFilter(params.get('show'));
  const name = data ? regionName(data.region, lang) : '';

  useEffect(() => {
    document.title = `${name ? c.title(name) : t.nav.contracts} · ${t.app.name}`;
  }, [name, c, t]);

  const set = (key: string, value: string | null) => setParams((prev) => withParam(prev, key, value), { replace: true });

  return (
    <div className="page contracts-page" data-testid="contracts-page" data-region={data?.region.code ?? ''} aria-busy={busy}>
      <PageHead
        title={data ? <span data-testid="contracts-title">{c.title(name)}</span> : t.nav.contracts}
        intro={data ? (data.region.code === NATION_CODE ? c.introNation(formatDate(data.date)) : c.intro(formatDate(data.date))) : '\u00a0'}
      />
      <QueryContent query={query} skeleton={<Skeleton lines={6} />}>
        {(d) => (
          <>
            <Counts data={d} />
            <div className="contracts-filters" role="group" aria-label={c.filters.label}>
              <Choice label={c.filters.type} value={type} options={TYPE_FILTERS} text={(v) => (v === 'all' ? c.filters.all : t.types[v])} onChange={(v) => set('type', v === 'all' ? null : v)} testId="filter-type" />
              <Choice label={c.filters.show} value={show} options={SHOW_FILTERS} text={(v) => (v === 'all' ? c.filters.all : c.filters.attention)} onChange={(v) => set('show', v === 'all' ? null : v)} testId="filter-show" />
            </div>
            <Periods data={d} type={type} show={show} busy={busy} />
          </>
        )}
      </QueryContent>
      <ContractAlertsPanel key={`${region}:${date ?? 'today'}`} region={region} date={date} />
    </div>
  );
}

function Counts({ data }: { data: ContractPeriods }) {
  const { c, lang } = useContractsText();
  const counts = countPeriods(data.items);
  const cards: { key: keyof typeof counts; label: string; warn: boolean }[] = [
    { key: 'total', label: c.counts.total, warn: false },
    { key: 'endingSoon', label: c.counts.endingSoon(formatDays(data.windowDays, lang)), warn: counts.endingSoon > 0 },
    { key: 'endingUnrenewed', label: c.counts.endingUnrenewed, warn: counts.endingUnrenewed > 0 },
    { key: 'endedUnrenewed', label: c.counts.endedUnrenewed, warn: counts.endedUnrenewed > 0 },
    { key: 'unknownEnd', label: c.counts.unknownEnd, warn: false },
  ];
  return (
    <dl className="contract-counts" data-testid="contract-counts" data-window-days={data.windowDays} data-window-source={data.windowSource}>
      {cards.map(({ key, label, warn }) => (
        <div key={key} className={warn ? 'contract-counts__item contract-counts__item--warn' : 'contract-counts__item'}>
          <dt>{label}</dt>
          <dd data-testid={`count-${key}`}>{formatCount(counts[key], lang)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Choice<V extends string>(props: { label: string; value: V; options: readonly V[]; text: (v: V) => string; onChange: (v: V) => void; testId: string }) {
  const id = useId();
  return (
    <div className="contracts-filters__field">
      <span id={id} className="contracts-filters__label">
        {props.label}
      </span>
      <Segmented label={{ labelledBy: id }} options={props.options} value={props.value} onChange={props.onChange} text={props.text} testId={props.testId} />
    </div>
  );
}

function Periods({ data, type, show, busy }: { data: ContractPeriods; type: TypeFilter; show: ShowFilter; busy: boolean }) {
  const { t, c, lang } = useContractsText();
  const items = useMemo(() => filterPeriods(data.items, type, show), [data.items, type, show]);
  const windowText = formatDays(data.windowDays, lang);
  const timeline = useMemo(() => buildTimeline(items, data.date, data.windowDays), [items, data.date, data.windowDays]);
  const counts = countPeriods(items);
  const isNation = data.region.code === NATION_CODE;
  return (
    <>
      <Panel title={c.timeline.title} description={c.timeline.description} busy={busy} testId="timeline-panel">
        {items.length === 0 ? (
          <EmptyState>{c.timeline.empty}</EmptyState>
        ) : (
          <figure className="chart-figure">
            <figcaption className="chart-figure__summary" data-testid="timeline-summary">
              {c.timeline.summary(counts.total, counts.endingSoon, counts.endingUnrenewed, formatDate(data.date), windowText)}
            </figcaption>
            <ContractTimeline timeline={timeline} todayLabel={`${c.timeline.today} ${formatDate(data.date)}`} windowLabel={windowText} />
          </figure>
        )}
        <Footnote label={`${t.common.details}: ${c.timeline.title}`} summary={`${t.common.asOf} ${formatDate(data.date)}`}>
          <p data-testid="contracts-window-rule">{c.fn(formatDate(data.date), windowText, thresholdSourceLabel(data.windowSource, lang))}</p>
        </Footnote>
      </Panel>
      <Panel title={c.table.title} busy={busy} testId="periods-panel">
        {items.length === 0 ? <EmptyState>{c.timeline.empty}</EmptyState> : <PeriodTable items={items} isNation={isNation} />}
      </Panel>
    </>
  );
}

function PeriodTable({ items, isNation }: { items: ContractPeriod[]; isNation: boolean }) {
  const { t, c } = useContractsText();
  return (
    <table className="table table--stack contracts-table" data-testid="periods-table">
      <thead>
        <tr>
          <th scope="col">{c.table.batch}</th>
          <th scope="col">{c.table.type}</th>
          <th scope="col">{c.table.start}</th>
          <th scope="col">{c.table.end}</th>
          {isNation ? <th scope="col">{c.table.regions}</th> : null}
          <th scope="col">{c.table.state}</th>
          <th scope="col">{c.table.renewal}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.batchCode} data-testid={`period-${p.batchCode}`} className={needsAttention(p) ? 'contracts-table__row--attention' : undefined}>
            <th scope="row" data-label={c.table.batch}>
              <span className="cell-main" lang="zh-CN">
                {p.batchNameZh}
              </span>
              <span className="cell-sub">
                <BatchLink code={p.batchCode} /> · {t.levels[p.level]}
                {p.renewalOf ? ` · ${c.table.renewalOf(p.renewalOf)}` : ''}
              </span>
            </th>
            <td data-label={c.table.type}>{t.types[p.productType]}</td>
            <td data-label={c.table.start} data-testid="period-start" title={sourceTitle(p, c.table.source)}>
              {formatDate(p.startOn)}
            </td>
            <td data-label={c.table.end} title={sourceTitle(p, c.table.source)}>
              <span data-testid="period-end">{p.contractEndOn === null ? c.table.unknown : formatDate(p.contractEndOn)}</span>
              {p.estimated ? <span className="tag">{c.table.estimated}</span> : null}
            </td>
            {isNation ? (
              <td data-label={c.table.regions} className="num">
                {c.table.regionCount(p.regionCount, p.renewedRegionCount)}
              </td>
            ) : null}
            <td data-label={c.table.state} data-testid="period-state">
              <StateText period={p} />
            </td>
            <td data-label={c.table.renewal} data-testid="period-renewal">
              <RenewalText period={p} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a period's dates come from (the implementation record's source, without the loader's machine prefix). */
function sourceTitle(p: ContractPeriod, label: string): string | undefined {
  const source = p.source?.replace(/^seed:reference;\s*/, '').trim();
  return source ? `${label}: ${source}` : undefined;
}
