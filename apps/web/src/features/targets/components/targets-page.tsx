import { lazy, Suspense, useEffect, useId, useMemo } from 'react';
import type { Region, TargetView } from '@vbp/contracts/api';
import { NATION_CODE, PRODUCT_TYPES, TARGET_STATUSES, type TargetStatus as Status } from '@vbp/contracts/enums';
import { ChartDataTable } from '../../../components/charts/chart-data-table';
import { PageHead } from '../../../components/layout/page-head';
import { FilterBar, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { Footnote } from '../../../components/ui/footnote';
import { Pagination } from '../../../components/ui/pagination';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { SourceRef } from '../../../components/ui/source-ref';
import { StatusBadge } from '../../../components/ui/status-badge';
import { useCan } from '../../../lib/auth/can';
import { mayAct } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { formatCount, formatDate, formatPercent } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { ScenariosPanel } from '../../scenarios/components/scenarios-panel';
import { readScenarioSelection, writeScenarioSelection } from '../../scenarios/utils/scenario-selection';
import { readPage, useUrlFilters } from '../../../lib/search-params';
import { useAllTargets } from '../api/get-targets';
import { useTargetsText } from '../i18n/use-targets-text';
import { buildProvinceChartData, chartScopes, comparisonEnds, pickChartScope, provinceChartHeight, type ProvinceChartData } from '../utils/province-chart-data';
import { targetLabel } from '../utils/target-label';
import {
  filterTargets,
  hasTargetFilters,
  nextSort,
  parseTargetFilters,
  sortTargetRows,
  TARGET_SORT_KEYS,
  targetFiltersToParams,
  targetRowKey,
  type TargetFilters,
  type TargetSortKey,
} from '../utils/targets-table';
import { TargetDue, TargetProgress, TargetProjection, TargetStatus } from './target-cells';
import { AddTargetButton, TargetDialogs, TargetRowActions, useTargetEditing } from './target-dialogs';
import './targets.css';

const ProvinceChart = lazy(() => import('./province-chart'));

const PAGE_SIZE = 40;

/** `scenarios`: the 规划 selection (`?scenario=` / `?compare=`), kept while the filters change. */
type Filters = TargetFilters & { page: number; scenarios: number[] };

function parseFilters(params: URLSearchParams): Filters {
  return { ...parseTargetFilters(params), page: readPage(params.get('page')), scenarios: readScenarioSelection(params) };
}
function filtersToParams(f: Filters): URLSearchParams {
  const params = targetFiltersToParams(f);
  if (f.page > 1) params.set('page', String(f.page));
  return writeScenarioSelection(params, f.scenarios);
}

/** Region names and the code table's order, for labels and the region sort. */
function useRegionLookup() {
  const { lang } = useTargetsText();
  const regions = useRegions();
  return useMemo(() => {
    const items = regions.data?.items ?? [];
    const byCode = new Map(items.map((r) => [r.code, r]));
    return {
      items,
      order: new Map(items.map((r, i) => [r.code, i])),
      region: (code: string): Region | undefined => byCode.get(code),
      name: (code: string, short = true) => {
        const r = byCode.get(code);
        return r ? regionName(r, lang, short) : code;
      },
    };
  }, [regions.data, lang]);
}

/**
 * 目标 (/targets): every target the user may see, one row per region it is measured for (a national
 * per-province requirement once per province), sortable by any column and filtered by type, status and
 * region, all in the URL; the status rule spelled out; a chart comparing provinces on one target. Offices
 * add and edit their province's targets here as on the overview (the same dialogs).
 */
export function TargetsPage() {
  const { t, g } = useTargetsText();
  const [filters, go] = useUrlFilters(parseFilters, filtersToParams);
  const targets = useAllTargets();
  const regions = useRegionLookup();
  const user = useSessionUser();
  const { editing, setEditing, close } = useTargetEditing();
  const busy = targets.isPlaceholderData || (targets.isFetching && targets.data !== undefined);

  useEffect(() => {
    document.title = `${g.title} · ${t.app.name}`;
  }, [g, t]);

  // New targets are for the user's own province; a national user adds for the region filtered on (else 全国).
  const createCode = user.regionCode === NATION_CODE ? (filters.region ?? NATION_CODE) : user.regionCode;
  const createRegion = regions.region(createCode);
  const canCreate = useCan('write:target', createCode);
  const asOf = targets.data?.items.find((x) => x.progress)?.progress?.asOf;

  return (
    <div className="page" data-testid="targets-page" aria-busy={busy}>
      <PageHead
        title={g.title}
        intro={
          <>
            {g.intro}
            {asOf ? <span className="targets-asof"> {g.asOf(formatDate(asOf))}</span> : null}
          </>
        }
        actions={canCreate && createRegion ? <AddTargetButton onClick={() => setEditing({ kind: 'create', region: createRegion })} disabled={busy} /> : null}
      />

      <StatusRules />

      <TargetFiltersBar filters={filters} regionOptions={regions.items.filter((r) => targets.data?.items.some((x) => x.regionCode === r.code))} onApply={go} />

      <Panel
        title={g.listTitle}
        busy={busy}
        testId="targets-table-panel"
        actions={<SortControl filters={filters} onSort={(s) => go({ ...filters, ...s, page: 1 })} />}
      >
        <QueryContent query={targets} isEmpty={(d) => d.items.length === 0} empty={g.emptyAll} skeleton={<Skeleton lines={10} />}>
          {(data) => (
            <TargetsTable
              items={data.items}
              filters={filters}
              regionOrder={regions.order}
              regionLabel={regions.name}
              onSort={(key) => go({ ...filters, ...nextSort(filters, key), page: 1 })}
              onPage={(page) => go({ ...filters, page })}
              mayEdit={(x) => mayAct(user, 'write:target', x.ownerRegionCode)}
              onEdit={(target) => setEditing({ kind: 'edit', target })}
              onDelete={(target) => setEditing({ kind: 'delete', target })}
            />
          )}
        </QueryContent>
      </Panel>

      <ComparisonPanel query={targets} busy={busy} filters={filters} onScope={(chart) => go({ ...filters, chart })} regionOrder={regions.order} regionLabel={regions.name} />

      {/* 规划: the province's what-if plans beside the baseline (a national user picks the province in the filter) */}
      <ScenariosPanel region={user.regionCode !== NATION_CODE ? user.regionCode : filters.region && filters.region !== NATION_CODE ? filters.region : null} />

      <TargetDialogs editing={editing} onClose={close} cited={targets.data?.items ?? []} />
    </div>
  );
}

/** The four statuses, each with its shape, word and rule: the table's statuses are read against this. */
function StatusRules() {
  const { t, g } = useTargetsText();
  return (
    <section className="panel targets-rules" aria-labelledby="targets-rules-title" data-testid="status-rules">
      <h2 id="targets-rules-title" className="panel__title">
        {g.ruleTitle}
      </h2>
      <dl className="targets-rules__list">
        {TARGET_STATUSES.map((s) => (
          <div key={s} className="targets-rules__item">
            <dt>
              <StatusBadge status={s} label={t.status[s]} />
            </dt>
            <dd>{g.rules[s]}</dd>
          </div>
        ))}
      </dl>
      <Footnote summary={g.progressNote} label={g.ruleTitle} />
    </section>
  );
}

function TargetFiltersBar({ filters, regionOptions, onApply }: { filters: Filters; regionOptions: Region[]; onApply: (f: Filters) => void }) {
  const { t, g, lang } = useTargetsText();
  const [draft, setDraft] = useFilterDraft(filters, filtersToParams);
  return (
    <FilterBar
      label={g.filters}
      testId="targets-filters"
      onApply={() => onApply({ ...draft, page: 1 })}
      onClear={() => onApply({ ...filters, type: undefined, status: undefined, region: undefined, page: 1 })}
      active={hasTargetFilters(filters)}
      applyLabel={g.apply}
      clearLabel={g.clear}
      applyTestId="filter-apply"
    >
      <FilterSelect label={g.filterType} anyLabel={g.anyType} value={draft.type} options={PRODUCT_TYPES.map((v) => ({ value: v, label: t.types[v] }))} onChange={(type) => setDraft({ ...draft, type })} testId="filter-type" />
      <FilterSelect
        label={g.filterStatus}
        anyLabel={g.anyStatus}
        value={draft.status}
        options={TARGET_STATUSES.map((v) => ({ value: v, label: t.status[v] }))}
        onChange={(status) => setDraft({ ...draft, status })}
        testId="filter-status"
      />
      {regionOptions.length > 1 ? (
        <FilterSelect
          label={g.filterRegion}
          anyLabel={g.anyRegion}
          value={draft.region}
          options={regionOptions.map((r) => ({ value: r.code, label: regionName(r, lang, true) }))}
          onChange={(region) => setDraft({ ...draft, region })}
          testId="filter-region"
        />
      ) : null}
    </FilterBar>
  );
}

function useColumnLabels(): Record<TargetSortKey, string> {
  const { t, g } = useTargetsText();
  return {
    region: g.colRegion,
    type: g.colType,
    unit: g.colUnit,
    count: g.colCount,
    due: t.targets.due,
    progress: t.targets.progress,
    status: t.targets.status,
    projection: t.targets.projection,
    source: t.targets.source,
  };
}

/** Sorting without the column headings (they are hidden when the table stacks on a phone). */
function SortControl({ filters, onSort }: { filters: Filters; onSort: (s: Pick<Filters, 'sort' | 'dir'>) => void }) {
  const { g } = useTargetsText();
  const labels = useColumnLabels();
  const id = useId();
  return (
    <div className="targets-sort">
      <label htmlFor={id} className="visually-hidden">
        {g.sortLabel}
      </label>
      <select id={id} className="input" value={filters.sort} onChange={(e) => onSort({ sort: e.target.value as TargetSortKey, dir: filters.dir })} data-testid="sort-select">
        {TARGET_SORT_KEYS.map((k) => (
          <option key={k} value={k}>
            {g.sortBy(labels[k])}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        onClick={() => onSort({ sort: filters.sort, dir: filters.dir === 'asc' ? 'desc' : 'asc' })}
        aria-label={filters.dir === 'asc' ? g.sortAsc : g.sortDesc}
        data-testid="sort-dir"
      >
        {filters.dir === 'asc' ? '↑' : '↓'}
      </button>
    </div>
  );
}

function TargetsTable(props: {
  items: TargetView[];
  filters: Filters;
  regionOrder: ReadonlyMap<string, number>;
  regionLabel: (code: string) => string;
  onSort: (key: TargetSortKey) => void;
  onPage: (page: number) => void;
  mayEdit: (t: TargetView) => boolean;
  onEdit: (t: TargetView) => void;
  onDelete: (t: TargetView) => void;
}) {
  const { t, g, lang } = useTargetsText();
  const { filters } = props;
  const labels = useColumnLabels();
  const rows = useMemo(
    () => sortTargetRows(filterTargets(props.items, filters), filters.sort, filters.dir, props.regionOrder),
    [props.items, filters, props.regionOrder],
  );
  if (rows.length === 0) return <EmptyState>{g.empty}</EmptyState>;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(filters.page, pages);
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const anyEditable = rows.some(props.mayEdit);

  const header = (key: TargetSortKey) => {
    const active = filters.sort === key;
    return (
      <th key={key} scope="col" aria-sort={active ? (filters.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        <button type="button" className="sort-button" onClick={() => props.onSort(key)} data-testid={`sort-${key}`} data-active={active || undefined}>
          {labels[key]}
          <span className="sort-button__mark" aria-hidden="true">
            {active ? (filters.dir === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <>
      <p className="targets-count muted" aria-live="polite" data-testid="targets-count">
        {g.count(rows.length, props.items.length)}
      </p>
      <div className="table-scroll">
        <table className="table table--stack targets-table" data-testid="targets-table">
          <thead>
            <tr>
              {TARGET_SORT_KEYS.map(header)}
              {anyEditable ? (
                <th scope="col">
                  <span className="visually-hidden">{g.colActions}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((target) => (
              <tr key={targetRowKey(target)} data-testid="target-row" data-code={target.code} data-region={target.regionCode} data-status={target.progress?.status ?? ''}>
                <th scope="row" data-label={labels.region}>
                  <span>
                    <span className="cell-main" data-testid="target-region">
                      {target.regionCode === NATION_CODE ? g.national : props.regionLabel(target.regionCode)}
                    </span>
                    <span className="cell-sub">{target.scope === 'each_province' ? t.targets.scopeEachProvince : t.targets.scopeRegion}</span>
                  </span>
                </th>
                <td data-label={labels.type}>{t.types[target.productType]}</td>
                <td data-label={labels.unit}>{t.unitNames[target.unit]}</td>
                <td data-label={labels.count} className="num" data-testid="row-count">
                  {formatCount(target.count, lang)}
                </td>
                <td data-label={labels.due}>
                  <TargetDue target={target} showNote />
                </td>
                <td data-label={labels.progress} className="targets-table__progress">
                  <TargetProgress target={target} />
                </td>
                <td data-label={labels.status} className="targets-table__status">
                  <TargetStatus target={target} />
                </td>
                <td data-label={labels.projection}>
                  <TargetProjection target={target} />
                </td>
                <td data-label={labels.source}>
                  <SourceRef source={target.source} />
                </td>
                {anyEditable ? (
                  <td data-label={g.colActions}>
                    {props.mayEdit(target) ? <TargetRowActions target={target} onEdit={() => props.onEdit(target)} onDelete={() => props.onDelete(target)} /> : <span className="muted">—</span>}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? <Pagination page={page} pageSize={PAGE_SIZE} total={rows.length} onPage={props.onPage} /> : null}
    </>
  );
}

function ComparisonPanel(props: {
  query: ReturnType<typeof useAllTargets>;
  busy: boolean;
  filters: Filters;
  onScope: (code: string) => void;
  regionOrder: ReadonlyMap<string, number>;
  regionLabel: (code: string) => string;
}) {
  const { t, g } = useTargetsText();
  const id = useId();
  const items = props.query.data?.items;
  const scopes = useMemo(() => chartScopes(items ?? []), [items]);
  const scope = pickChartScope(scopes, props.filters.chart);
  const data = useMemo(
    () => (scope && items ? buildProvinceChartData(items, scope.code, props.regionLabel, props.regionOrder) : null),
    [scope, items, props.regionLabel, props.regionOrder],
  );

  const picker =
    scopes.length > 0 && scope ? (
      <div className="targets-chart-scope">
        <label htmlFor={id}>{g.chartScope}</label>
        <select id={id} className="input" value={scope.code} onChange={(e) => props.onScope(e.target.value)} data-testid="chart-scope">
          {scopes.map((s) => (
            <option key={s.code} value={s.code}>
              {targetLabel(s.target, t)}
            </option>
          ))}
        </select>
      </div>
    ) : null;

  return (
    <Panel title={g.chartTitle} description={g.chartDescription} actions={picker} busy={props.busy} className="panel--chart" testId="province-chart-panel">
      <QueryContent query={props.query} skeleton={<Skeleton height={320} />}>
        {() =>
          !scope || !data ? (
            <EmptyState>{g.chartNoScope}</EmptyState>
          ) : data.bars.length === 0 ? (
            <EmptyState>{g.chartEmpty}</EmptyState>
          ) : (
            <ComparisonFigure data={data} label={targetLabel(scope.target, t)} />
          )
        }
      </QueryContent>
    </Panel>
  );
}

function ComparisonFigure({ data, label }: { data: ProvinceChartData; label: string }) {
  const { t, g, lang } = useTargetsText();
  // ties are said as ties: 29 provinces at 98.2% have no single lowest
  const ends = comparisonEnds(data.bars);
  const summary = g.chartSummary({
    target: label,
    provinces: data.bars.length,
    met: data.met,
    top: ends.top ? g.chartEnd(ends.top.labels, formatPercent(ends.top.fraction)) : null,
    bottom: ends.bottom ? g.chartEnd(ends.bottom.labels, formatPercent(ends.bottom.fraction)) : null,
    allTied: ends.allTied && ends.top ? g.chartAllTied(data.bars.length, formatPercent(ends.top.fraction)) : null,
  });
  const height = provinceChartHeight(data.bars.length);
  const statusLabels: Record<Status, string> = t.status;
  return (
    <figure className="chart-figure">
      <figcaption className="chart-figure__summary" data-testid="chart-summary">
        {summary}
      </figcaption>
      <div className="chart-figure__plot" aria-hidden="true" style={{ minHeight: height }} data-testid="province-chart">
        <Suspense fallback={<Skeleton height={height} />}>
          <ProvinceChart bars={data.bars} xMax={data.xMax} formatPercent={(v) => formatPercent(v)} labels={{ line: g.chartLine, fraction: g.chartFraction, status: statusLabels }} />
        </Suspense>
      </div>
      <ChartDataTable
        toggle={t.common.showData}
        caption={summary}
        columns={[g.colRegion, g.chartCurrent, g.chartTarget, g.chartFraction, t.targets.status]}
        testId="province-chart-table"
      >
        {data.bars.map((b) => (
          <tr key={b.regionCode} data-region={b.regionCode}>
            <th scope="row">{b.label}</th>
            <td className="num">{formatCount(b.current, lang)}</td>
            <td className="num">{formatCount(b.count, lang)}</td>
            <td className="num">{formatPercent(b.fraction)}</td>
            <td>{t.status[b.status]}</td>
          </tr>
        ))}
      </ChartDataTable>
    </figure>
  );
}
