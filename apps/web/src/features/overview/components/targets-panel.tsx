import type { Overview } from '@vbp/contracts/api';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { StatusBadge } from '../../../components/ui/status-badge';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatApprox, formatCount, formatDate, formatPercent } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { sortTargets } from '../utils/targets';
import { SourceRef } from './source-ref';
import type { OverviewQuery } from './overview-query';

/** Every target the region is measured against: its own and the national per-province ones. */
export function TargetsPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t } = useI18n();
  return (
    <Panel title={t.targets.title} busy={busy} testId="targets-panel">
      <QueryContent query={query} isEmpty={(o) => o.targets.length === 0} empty={t.targets.empty} skeleton={<Skeleton lines={4} />}>
        {(o) => <TargetsTable overview={o} />}
      </QueryContent>
    </Panel>
  );
}

function TargetsTable({ overview }: { overview: Overview }) {
  const { t, lang } = useI18n();
  const targets = sortTargets(overview.targets);
  return (
    <table className="table table--stack">
      <thead>
        <tr>
          <th scope="col">{t.targets.target}</th>
          <th scope="col">{t.targets.due}</th>
          <th scope="col">{t.targets.progress}</th>
          <th scope="col">{t.targets.status}</th>
          <th scope="col">{t.targets.projection}</th>
          <th scope="col">{t.targets.source}</th>
        </tr>
      </thead>
      <tbody>
        {targets.map((target) => {
          const p = target.progress;
          return (
            <tr key={target.id} data-testid={`target-${target.code}`}>
              <th scope="row" data-label={t.targets.target}>
                <span className="cell-main">
                  {t.types[target.productType]} ≥ {formatCount(target.count, lang)}
                  {t.units[target.unit]}
                </span>
                <span className="cell-sub">{target.scope === 'each_province' ? t.targets.scopeEachProvince : t.targets.scopeRegion}</span>
              </th>
              <td data-label={t.targets.due}>
                <span className="cell-main">{formatDate(target.dueOn)}</span>
                {target.dueAssumed ? (
                  <span className="tag" title={target.dueNote ?? undefined} data-testid="due-assumed">
                    {t.targets.dueAssumed}
                  </span>
                ) : null}
              </td>
              <td data-label={t.targets.progress}>
                {p ? (
                  <>
                    <span className="cell-main num">
                      {formatCount(p.current, lang)} / {formatCount(target.count, lang)} · {formatPercent(p.fraction)}
                    </span>
                    <ProgressBar
                      value={p.current}
                      max={target.count}
                      expected={p.expectedNow}
                      tone={p.status}
                      label={t.targets.progress}
                      valueText={t.overview.progressLabel(formatCount(p.current, lang), formatCount(target.count, lang), formatPercent(p.fraction))}
                      expectedText={t.overview.expectedNowMark(formatApprox(p.expectedNow))}
                    />
                  </>
                ) : (
                  <span className="muted">{t.targets.notMeasured}</span>
                )}
              </td>
              <td data-label={t.targets.status}>
                {p ? (
                  <>
                    <StatusBadge status={p.status} label={t.status[p.status]} />
                    <span className="cell-sub">{lang === 'zh' ? p.statusReasonZh : p.statusReason}</span>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td data-label={t.targets.projection}>
                {!p ? (
                  <span className="muted">—</span>
                ) : p.status === 'met' ? (
                  <span>{p.projectedMetOn ? t.targets.metOn(formatDate(p.projectedMetOn)) : t.status.met}</span>
                ) : (
                  <>
                    {p.projectedAtDue !== null ? <span className="cell-main">{t.targets.projectedAtDue(formatApprox(p.projectedAtDue))}</span> : null}
                    <span className="cell-sub">{p.projectedMetOn ? t.targets.projectedMetOn(formatDate(p.projectedMetOn)) : t.targets.noProjection}</span>
                  </>
                )}
              </td>
              <td data-label={t.targets.source}>
                <SourceRef source={target.source} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
