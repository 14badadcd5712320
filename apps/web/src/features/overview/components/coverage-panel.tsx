import { lazy, Suspense, useMemo, useState } from 'react';
import type { Overview } from '@vbp/contracts/api';
import { PRODUCT_TYPES, type ProductType, type TargetUnit } from '@vbp/contracts/enums';
import { ChartDataTable } from '../../../components/charts/chart-data-table';
import { EmptyState, Panel } from '../../../components/ui/panel';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatApprox, formatCount, formatDate } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useCoverageSeries } from '../api/get-coverage-series';
import { buildCoverageChartData, summaryRows, type CoverageChartData } from '../utils/coverage-chart-data';
import { pickHeadlineTarget } from '../utils/targets';
import { Segmented } from '../../../components/ui/segmented';

const CoverageChart = lazy(() => import('../../../components/charts/coverage-chart'));

const CHART_HEIGHT = 340;

/**
 * Cumulative coverage over time for one product type, against the target's goal line and projection.
 * `overview` may be the previous region's while the next loads; the series query follows the URL's
 * region directly so the two never disagree for long, and both keep their previous data meanwhile.
 */
export function CoveragePanel({ region, date, overview }: { region: string; date: string | null; overview: Overview | undefined }) {
  const { t, lang } = useI18n();
  const [type, setType] = useState<ProductType>('drug');
  const current = overview && overview.region.code === region ? overview : undefined;
  const target = current ? pickHeadlineTarget(current.targets, type, current.date) : null;
  // Consumables are counted in the unit of the target they are measured against (categories by default).
  const unit: TargetUnit = type === 'drug' ? 'variety' : (target?.unit ?? 'category');
  const series = useCoverageSeries({ region, type, unit, to: date });

  const chartTarget = target && target.progress !== null ? target : null;
  const asOf = series.data?.points.at(-1)?.date ?? current?.date ?? null;
  const data: CoverageChartData | null = useMemo(() => {
    if (!series.data || !asOf) return null;
    return buildCoverageChartData({ points: series.data.points, target: series.data.region === current?.region.code ? chartTarget : null, asOf });
  }, [series.data, chartTarget, asOf, current?.region.code]);

  const busy = series.isPlaceholderData || (series.isFetching && series.data !== undefined);
  const typeSwitch = (
    <Segmented
      label={t.coverageChart.typeSwitch}
      options={PRODUCT_TYPES}
      value={type}
      onChange={setType}
      text={(value) => t.types[value]}
      optionTestId={(value) => `chart-type-${value}`}
    />
  );

  const title = `${t.coverageChart.title}（${t.types[type]}，${t.unitNames[unit]}）`;
  return (
    <Panel title={lang === 'zh' ? title : `${t.coverageChart.title} (${t.types[type].toLowerCase()}, ${t.unitNames[unit]})`} description={t.coverageChart.description} actions={typeSwitch} busy={busy} className="panel--chart" testId="coverage-panel">
      <div className="chart-frame" style={{ minHeight: CHART_HEIGHT }}>
        {series.isError && !series.data ? (
          <ErrorNotice error={series.error} onRetry={() => void series.refetch()} />
        ) : !data ? (
          <Skeleton height={CHART_HEIGHT} />
        ) : !data.hasCoverage ? (
          <EmptyState>{t.coverageChart.empty}</EmptyState>
        ) : (
          <ChartFigure data={data} regionLabel={current ? regionName(current.region, lang) : ''} typeLabel={t.types[type]} unit={unit} />
        )}
      </div>
    </Panel>
  );
}

function ChartFigure({ data, regionLabel, typeLabel, unit }: { data: CoverageChartData; regionLabel: string; typeLabel: string; unit: TargetUnit }) {
  const { t, lang } = useI18n();
  const unitText = t.units[unit];
  const last = [...data.rows].reverse().find((r) => r.projected !== null);
  const summary = t.coverageChart.summary({
    region: regionLabel,
    type: typeLabel,
    date: formatDate(data.asOf),
    total: `${formatCount(data.latest?.actual ?? 0, lang)}${unitText}`,
    target: data.target ? `${formatCount(data.target.count, lang)}${unitText}` : null,
    due: data.target ? formatDate(data.target.dueOn) : null,
    projected: last && last.projected !== null && data.target ? `${formatApprox(last.projected)}${unitText}` : null,
  });
  const table = summaryRows(data);
  return (
    <figure className="chart-figure">
      <figcaption className="chart-figure__summary" data-testid="chart-summary">
        {summary}
      </figcaption>
      <div className="chart-figure__plot" aria-hidden="true">
        <Suspense fallback={<Skeleton height={CHART_HEIGHT - 40} />}>
          <CoverageChart
            rows={data.rows}
            yMax={data.yMax}
            targetCount={data.target?.count ?? null}
            asOfMonth={data.asOf.slice(0, 7)}
            height={CHART_HEIGHT - 40}
            formatValue={(v) => formatApprox(v)}
            labels={{
              national: t.levels.national,
              alliance: t.levels.alliance,
              provincial: t.levels.provincial,
              expected: t.coverageChart.expected,
              projected: t.coverageChart.projected,
              target: t.coverageChart.target,
              asOf: formatDate(data.asOf),
            }}
          />
        </Suspense>
      </div>
      <ChartDataTable
        toggle={t.common.showData}
        caption={summary}
        columns={[t.coverageChart.month, t.levels.national, t.levels.alliance, t.levels.provincial, t.coverageChart.total, t.coverageChart.expected, t.coverageChart.projected]}
      >
        {table.map((r) => (
          <tr key={r.month}>
            <th scope="row">{r.month}</th>
            <td className="num">{formatApprox(r.national)}</td>
            <td className="num">{formatApprox(r.alliance)}</td>
            <td className="num">{formatApprox(r.provincial)}</td>
            <td className="num">{formatApprox(r.actual)}</td>
            <td className="num">{formatApprox(r.expected)}</td>
            <td className="num">{formatApprox(r.projected)}</td>
          </tr>
        ))}
      </ChartDataTable>
    </figure>
  );
}
