import { lazy, Suspense, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { Overview } from '@vbp/contracts/api';
import { PRODUCT_TYPES, type ProductType } from '@vbp/contracts/enums';
import { ChartDataTable, HistogramTableRows } from '../../../components/charts/chart-data-table';
import { Footnote } from '../../../components/ui/footnote';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatCount, formatDate, formatPercent } from '../../../lib/format';
import { withParam } from '../../../lib/view-params';
import { useOverviewText } from '../i18n/use-overview-text';
import { buildHistogramRows } from '../../../components/charts/histogram-data';
import { barsHeight, buildBatchCutData, type BatchCutChartData } from '../utils/cut-chart-data';
import type { OverviewQuery } from './overview-query';
import './overview-extras.css';
import { BatchLink } from '../../../components/ui/batch-link';
import { Segmented } from '../../../components/ui/segmented';

const CutBarsChart = lazy(() => import('../../../components/charts/cut-bars-chart'));
const CutHistogramChart = lazy(() => import('../../../components/charts/cut-histogram-chart'));

const HISTOGRAM_HEIGHT = 240;
/** The product type of the cut charts, in the URL (`cuts=consumable`) so a shared link shows the same. */
const PARAM = 'cuts';

/** 降价幅度: each batch's average cut (computed beside published) and the distribution of product cuts. */
export function CutsPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t, o } = useOverviewText();
  const [params, setParams] = useSearchParams();
  const type: ProductType = params.get(PARAM) === 'consumable' ? 'consumable' : 'drug';
  const typeSwitch = (
    <Segmented
      label={t.coverageChart.typeSwitch}
      options={PRODUCT_TYPES}
      value={type}
      onChange={(value) => setParams((prev) => withParam(prev, PARAM, value === 'drug' ? null : value), { replace: true })}
      text={(value) => t.types[value]}
      optionTestId={(value) => `cuts-type-${value}`}
    />
  );

  return (
    <Panel title={`${o.cutsByBatch.title}（${t.types[type]}）`} description={o.cutsByBatch.description} actions={typeSwitch} busy={busy} className="panel--cuts" testId="cuts-panel">
      <QueryContent query={query} skeleton={<Skeleton height={320} />}>
        {(overview) => <CutFigures overview={overview} type={type} />}
      </QueryContent>
    </Panel>
  );
}

function CutFigures({ overview, type }: { overview: Overview; type: ProductType }) {
  const { t, o, lang } = useOverviewText();
  const bars = useMemo(() => buildBatchCutData(overview.cutsByBatch, type), [overview.cutsByBatch, type]);
  const histogram = useMemo(() => buildHistogramRows(overview.cutDistribution[type]), [overview.cutDistribution, type]);
  const peak = histogram.rows.reduce<(typeof histogram.rows)[number] | null>((best, r) => (r.count > (best?.count ?? 0) ? r : best), null);
  return (
    <div className="cuts" data-type={type}>
      <figure className="chart-figure cuts__bars" data-testid="cuts-by-batch">
        <figcaption className="chart-figure__summary" data-testid="cuts-summary">
          {o.cutsByBatch.summary(t.types[type], bars.rows.length, bars.rows[0]?.computed != null ? `${bars.rows[0].code} ${formatPercent(bars.rows[0].computed)}` : null)}
        </figcaption>
        {bars.rows.length === 0 ? (
          <EmptyState>{o.cutsByBatch.empty}</EmptyState>
        ) : (
          <>
            <div className="chart-figure__plot" aria-hidden="true" style={{ minHeight: barsHeight(bars.rows.length) }}>
              <Suspense fallback={<Skeleton height={barsHeight(bars.rows.length)} />}>
                <CutBarsChart
                  rows={bars.rows}
                  min={bars.min}
                  height={barsHeight(bars.rows.length)}
                  formatValue={(v) => formatPercent(v)}
                  rowLabel={(r) => (r.synthetic ? `${r.code} *` : r.code)}
                  labels={{ computed: o.cutsByBatch.computed, published: o.cutsByBatch.published, synthetic: o.cutsByBatch.synthetic }}
                />
              </Suspense>
            </div>
            <BatchCutTable data={bars} />
          </>
        )}
        <Footnote
          label={`${t.common.details}: ${o.cutsByBatch.title}`}
          summary={[
            `${t.common.asOf} ${formatDate(overview.date)}`,
            bars.withoutCut > 0 ? o.cutsByBatch.withoutCut(bars.withoutCut) : null,
            bars.anySynthetic ? `* ${o.cutsByBatch.synthetic}` : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        >
          <p>{o.cutsByBatch.fn(formatDate(overview.date))}</p>
          {bars.anySynthetic ? <p>{o.cutsByBatch.syntheticNote}</p> : null}
        </Footnote>
      </figure>

      <figure className="chart-figure cuts__histogram" data-testid="cut-distribution">
        <figcaption className="chart-figure__summary" data-testid="distribution-summary">
          {o.distribution.summary(t.types[type], histogram.total, peak ? peak.label : null)}
        </figcaption>
        <p className="chart-figure__title">{o.distribution.title}</p>
        {histogram.total === 0 ? (
          <EmptyState>{o.distribution.empty}</EmptyState>
        ) : (
          <>
            <div className="chart-figure__plot" aria-hidden="true" style={{ minHeight: HISTOGRAM_HEIGHT }}>
              <Suspense fallback={<Skeleton height={HISTOGRAM_HEIGHT} />}>
                <CutHistogramChart rows={histogram.rows} countLabel={o.distribution.count} formatCount={(v) => formatCount(v, lang)} height={HISTOGRAM_HEIGHT} />
              </Suspense>
            </div>
            <ChartDataTable
              toggle={t.common.showData}
              caption={o.distribution.title}
              columns={[o.distribution.range, o.distribution.count, o.distribution.share]}
              testId="distribution-table"
            >
              <HistogramTableRows rows={histogram.rows} lang={lang} countTestId="bin-count" />
            </ChartDataTable>
          </>
        )}
        <Footnote label={`${t.common.details}: ${o.distribution.title}`} summary={`${t.common.asOf} ${formatDate(overview.date)}`}>
          <p>{o.distribution.description}</p>
        </Footnote>
      </figure>
    </div>
  );
}

function BatchCutTable({ data }: { data: BatchCutChartData }) {
  const { t, o, lang } = useOverviewText();
  return (
    <ChartDataTable
      toggle={t.common.showData}
      caption={o.cutsByBatch.title}
      columns={[o.cutsByBatch.batch, o.cutsByBatch.level, o.cutsByBatch.computed, o.cutsByBatch.volumeWeighted, o.cutsByBatch.published, o.cutsByBatch.products]}
      testId="cuts-table"
    >
      {data.rows.map((r) => (
        <tr key={r.code} data-testid={`cut-row-${r.code}`}>
          <th scope="row">
            <span className="cell-main" lang="zh-CN">
              {r.nameZh}
            </span>
            <span className="cell-sub">
              <BatchLink code={r.code} />
              {r.synthetic ? ` · ${o.cutsByBatch.synthetic}` : ''}
            </span>
          </th>
          <td>{t.levels[r.level]}</td>
          <td className="num" data-testid="cut-computed">
            {formatPercent(r.computed)}
          </td>
          <td className="num" data-testid="cut-weighted">
            {formatPercent(r.volumeWeighted)}
          </td>
          <td className="num" data-testid="cut-published" title={r.publishedNote ?? undefined}>
            {formatPercent(r.published)}
          </td>
          <td className="num">{formatCount(r.productCount, lang)}</td>
        </tr>
      ))}
    </ChartDataTable>
  );
}
