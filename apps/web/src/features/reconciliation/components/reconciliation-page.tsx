import { useEffect, type ComponentType } from 'react';
import { Link, useSearchParams } from 'react-router';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { Reconciliation, ReconciliationItem, ReconciliationStatus } from '@vbp/contracts/reconciliation';
import { PageHead } from '../../../components/layout/page-head';
import { Footnote } from '../../../components/ui/footnote';
import { AlertIcon, CheckCircleIcon, CrossCircleIcon, type IconProps } from '../../../components/ui/icons';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { SourceRef } from '../../../components/ui/source-ref';
import { formatCount, formatDate } from '../../../lib/format';
import { formatDifference, formatPublishedValue, formatReconciledValue, publishedMetricLabel } from '../../../lib/published-figure';
import { useReconciliation } from '../../../lib/reconciliation';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useViewParams, withParam } from '../../../lib/view-params';
import { useReconciliationText } from '../i18n/use-reconciliation-text';
import { readScope, tallyStatuses } from '../utils/reconciliation';
import './reconciliation.css';
import { Segmented } from '../../../components/ui/segmented';

const SCOPES = ['region', 'all'] as const;

/** Each comparison by shape and word, not colour alone: ✓ circle, triangle with !, crossed circle. */
const STATUS_LOOK: Record<ReconciliationStatus, { Icon: ComponentType<IconProps>; tone: string }> = {
  matches: { Icon: CheckCircleIcon, tone: 'met' },
  differs: { Icon: AlertIcon, tone: 'at_risk' },
  not_computed: { Icon: CrossCircleIcon, tone: 'neutral' },
};

function ReconciliationBadge({ status }: { status: ReconciliationStatus }) {
  const { r } = useReconciliationText();
  const { Icon, tone } = STATUS_LOOK[status];
  return (
    <span className={`status status--${tone}`} data-status={status} data-testid="reconciliation-status">
      <Icon />
      <span>{r.status[status]}</span>
    </span>
  );
}

/**
 * 核对 (/reconciliation): the figures the documents publish for the header's region (or, with
 * `?scope=all`, for every region the user may read), each beside the value the data computes for the same
 * region, scope and date, the difference, the document and clause, and the reasons for a gap as the API
 * states them. The regions' own targets are listed apart: numbers in documents that are goals, not results.
 */
export function ReconciliationPage() {
  const { t, r, lang } = useReconciliationText();
  const { region, date } = useViewParams();
  const [params, setParams] = useSearchParams();
  const scope = readScope(params);
  const query = useReconciliation({ region: scope === 'all' ? null : region, date });
  const regions = useRegions();
  const regionLabel = (code: string | null) => {
    if (code === null || code === NATION_CODE) return r.national;
    const found = regions.data?.items.find((x) => x.code === code);
    return found ? regionName(found, lang, true) : code;
  };
  const busy = query.isPlaceholderData || (query.isFetching && query.data !== undefined);

  useEffect(() => {
    document.title = `${r.title} · ${t.app.name}`;
  }, [r, t]);

  const scopeSwitch = (
    <Segmented
      label={r.scopeLabel}
      options={SCOPES}
      value={scope}
      onChange={(value) => setParams((prev) => withParam(prev, 'scope', value === 'all' ? 'all' : null))}
      text={(value) => (value === 'all' ? r.scopeAll : r.scopeRegion(regionLabel(region)))}
      optionTestId={(value) => `scope-${value}`}
    />
  );

  return (
    <div className="page" data-testid="reconciliation-page" data-region={scope === 'all' ? 'all' : region} aria-busy={busy}>
      <PageHead title={r.title} intro={r.intro} actions={scopeSwitch} />

      <Panel title={r.listTitle} busy={busy} testId="reconciliation-panel" description={<Footnote summary={r.methodLabel} label={r.methodLabel}>{r.method}</Footnote>}>
        <QueryContent query={query} isEmpty={(d) => d.items.length === 0} empty={scope === 'all' ? r.emptyAll : r.empty} skeleton={<Skeleton lines={8} />}>
          {(data) => <FiguresTable data={data} showRegion={data.region === null} regionLabel={regionLabel} />}
        </QueryContent>
      </Panel>

      {query.data && query.data.targets.length > 0 ? <TargetsNote data={query.data} regionLabel={regionLabel} /> : null}
    </div>
  );
}

function FiguresTable({ data, showRegion, regionLabel }: { data: Reconciliation; showRegion: boolean; regionLabel: (code: string | null) => string }) {
  const { r } = useReconciliationText();
  const tally = tallyStatuses(data.items);
  return (
    <>
      <p className="reconciliation-summary" data-testid="reconciliation-summary">
        {r.summary({ total: tally.total, matches: tally.matches, differs: tally.differs, notComputed: tally.not_computed })}
      </p>
      <div className="table-scroll">
        <table className="table table--stack reconciliation-table" data-testid="reconciliation-table">
          <thead>
            <tr>
              {showRegion ? <th scope="col">{r.colRegion}</th> : null}
              <th scope="col">{r.colMetric}</th>
              <th scope="col">{r.colPublished}</th>
              <th scope="col">{r.colComputed}</th>
              <th scope="col">{r.colDifference}</th>
              <th scope="col">{r.colCurrent(formatDate(data.date))}</th>
              <th scope="col">{r.colSource}</th>
              <th scope="col">{r.colExplanation}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <FigureRow key={item.figure.code} item={item} date={data.date} showRegion={showRegion} regionLabel={regionLabel} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function FigureRow({ item, date, showRegion, regionLabel }: { item: ReconciliationItem; date: string; showRegion: boolean; regionLabel: (code: string | null) => string }) {
  const { t, r, lang } = useReconciliationText();
  const f = item.figure;
  return (
    <tr data-testid="figure-row" data-code={f.code} data-status={item.status}>
      {showRegion ? (
        <td data-label={r.colRegion}>
          <span className="cell-main">{regionLabel(f.regionCode)}</span>
        </td>
      ) : null}
      <th scope="row" data-label={r.colMetric}>
        <span>
          <span className="cell-main">{publishedMetricLabel(t, f)}</span>
          {f.batchCode ? <code className="cell-sub">{f.batchCode}</code> : null}
          <span className="cell-sub">{f.asOf ? r.asOf(formatDate(f.asOf)) : null}</span>
        </span>
      </th>
      <td data-label={r.colPublished} className="num">
        <span className="cell-main" data-testid="figure-published">
          {formatPublishedValue(f, lang)}
        </span>
      </td>
      <td data-label={r.colComputed} className="num">
        <span>
          <span className="cell-main" data-testid="figure-computed">
            {formatReconciledValue(item, item.computed, lang)}
          </span>
          <ReconciliationBadge status={item.status} />
        </span>
      </td>
      <td data-label={r.colDifference} className="num">
        <span className="cell-main" data-testid="figure-difference">
          {formatDifference(item, lang)}
        </span>
      </td>
      <td data-label={r.colCurrent(formatDate(date))} className="num">
        <span data-testid="figure-current">{formatReconciledValue(item, item.current, lang)}</span>
      </td>
      <td data-label={r.colSource}>
        <SourceRef source={f.source} fallbackUrl={f.sourceUrl} />
      </td>
      <td data-label={r.colExplanation} className="reconciliation-table__why">
        <span>
          {item.explanations.length > 0 ? (
            <ul className="reconciliation-reasons" data-testid="figure-explanations">
              {item.explanations.map((e, i) => (
                <li key={i} data-kind={e.kind}>
                  {lang === 'zh' ? e.messageZh : e.message}
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">{r.noExplanation}</span>
          )}
          {f.note ? (
            <span className="cell-sub" data-testid="figure-note">
              {r.documentNote}：<span lang="zh-CN">{f.note}</span>
            </span>
          ) : null}
        </span>
      </td>
    </tr>
  );
}

function TargetsNote({ data, regionLabel }: { data: Reconciliation; regionLabel: (code: string | null) => string }) {
  const { t, r, lang } = useReconciliationText();
  return (
    <Panel title={r.targetsTitle} description={r.targetsIntro} testId="reconciliation-targets">
      <ul className="reconciliation-targets">
        {data.targets.map((x) => (
          <li key={x.code} data-testid="reconciliation-target" data-code={x.code}>
            <span className="cell-main">
              {regionLabel(x.regionCode)} · {r.targetText(t.types[x.productType], formatCount(x.count, lang), t.units[x.unit], formatDate(x.dueOn))}
            </span>
            <SourceRef source={x.source} /> <Link to={`/targets?region=${x.regionCode}`}>{r.targetsLink}</Link>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
