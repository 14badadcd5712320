import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { CompletionFigures, ExecutionList } from '@vbp/contracts/execution';
import { PageHead } from '../../../components/layout/page-head';
import { FilterBar, FilterField, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { AlertIcon } from '../../../components/ui/icons';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { EmptyState, Panel } from '../../../components/ui/panel';
import { isApiError } from '../../../lib/api';
import { mayReadRegion } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { formatCount, formatDate, formatPercent } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUrlFilters } from '../../../lib/search-params';
import { useViewParams, withParam } from '../../../lib/view-params';
import { useExecutionList } from '../api/get-execution';
import { useExecutionText } from '../i18n/use-execution-text';
import {
  executionExportUrl,
  executionFiltersToParams,
  hasExecutionFilters,
  parseExecutionFilters,
  type ExecutionFilters,
} from '../utils/execution-filters';
import { suggestedDate } from '../../../lib/execution-source';
import { AddFollowUpButton } from '../../follow-ups/components/add-follow-up-button';
import { ExecutionTable } from './execution-table';
import { ExportButton } from './export-button';
import { InstitutionView } from './institution-view';
import { ProvinceCheckPanel } from './province-check-panel';
import { QuantityPair } from './quantity';
import { SourceFootnote } from './source-footnote';
import { formatThreshold } from '../../../lib/threshold';
import './execution.css';

const DEMO_REGION = '320000';

/**
 * 执行: completion of agreed volumes against time progress for the region chosen in the header, by
 * institution, variety, city, province (national view) or batch; filters, page and drill-down in the URL.
 */
export function ExecutionPage() {
  const { t, x, lang } = useExecutionText();
  const { region, date } = useViewParams();
  const [params] = useSearchParams();
  const [filters, setFilters] = useUrlFilters(parseExecutionFilters, (f) => executionFiltersToParams(f, params));
  const regions = useRegions();
  const regionRow = regions.data?.items.find((r) => r.code === region);
  const regionLabel = regionRow ? (region === NATION_CODE ? t.auth.nationalRegion : regionName(regionRow, lang)) : region;

  useEffect(() => {
    document.title = `${x.title} · ${t.app.name}`;
  }, [t, x.title]);

  if (filters.institution !== undefined) {
    return <InstitutionView region={region} regionLabel={regionLabel} date={date} id={filters.institution} onBack={() => setFilters({ ...filters, institution: undefined })} />;
  }
  return <ExecutionListView region={region} regionLabel={regionLabel} date={date} filters={filters} go={setFilters} />;
}

function ExecutionListView({ region, regionLabel, date, filters, go }: { region: string; regionLabel: string; date: string | null; filters: ExecutionFilters; go: (f: ExecutionFilters) => void }) {
  const { x } = useExecutionText();
  const [params] = useSearchParams();
  const list = useExecutionList(region, date, filters);
  const data = list.data;
  const busy = list.isPlaceholderData || (list.isFetching && data !== undefined);
  // which view the figures on screen answer (empty while another loads): tests and tools wait for it
  const shown = data && !busy ? params.toString() : '';
  const groups = region === NATION_CODE ? (['institution', 'variety', 'city', 'province', 'batch'] as const) : (['institution', 'variety', 'city', 'batch'] as const);

  if (isApiError(list.error, 'FORBIDDEN') && !data) return <ExecutionForbidden error={list.error} />;

  return (
    <div className="page" data-testid="execution-page" data-region={region} data-view={shown} aria-busy={busy}>
      <PageHead
        title={
          <>
            {regionLabel} · {x.title}
          </>
        }
        intro={
          <>
            {x.intro} {data ? <time dateTime={data.date} data-testid="exec-as-of">{x.asOf(formatDate(data.date))}</time> : null}
          </>
        }
        actions={<ExportButton url={executionExportUrl(region, date, filters)} />}
      />
      {data?.source.synthetic ? <SyntheticNotice /> : null}

      <div className="segmented exec-groups" role="group" aria-label={x.by} data-testid="exec-by">
        {groups.map((g) => (
          <button key={g} type="button" className="segmented__item" aria-pressed={filters.by === g} onClick={() => go({ ...filters, by: g, page: 1 })} data-testid={`exec-by-${g}`}>
            {x.groups[g]}
          </button>
        ))}
      </div>

      <ExecutionFilterForm filters={filters} options={data?.options} onApply={(f) => go({ ...f, page: 1 })} />

      <Panel title={x.totalsTitle} busy={busy} testId="exec-totals">
        {data ? <TotalsFigures data={data} /> : list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : <div className="exec-totals exec-totals--loading" />}
      </Panel>

      <Panel title={x.listTitle(x.groupName[filters.by])} busy={busy} testId="exec-list">
        {data && data.total === 0 && !hasExecutionFilters(filters) ? (
          <RegionEmpty region={region} regionLabel={regionLabel} data={data} />
        ) : (
          <PagedQueryContent query={list} empty={x.empty} skeletonLines={10} busy={busy} onPage={(page) => go({ ...filters, page })}>
            {(items) => (
              <ExecutionTable
                rows={items}
                by={filters.by}
                onDrill={(id) => go({ ...filters, institution: id })}
                rowAction={(r) =>
                  r.behind && r.institutionId !== null && region !== NATION_CODE ? (
                    <AddFollowUpButton target={{ region, institutionId: r.institutionId, institutionName: r.name, batchCode: filters.batch }} />
                  ) : null
                }
              />
            )}
          </PagedQueryContent>
        )}
      </Panel>

      {filters.batch && region !== NATION_CODE ? <ProvinceCheckPanel region={region} regionLabel={regionLabel} date={date} batch={filters.batch} /> : null}
    </div>
  );
}

function SyntheticNotice() {
  const { x } = useExecutionText();
  return (
    <div className="banner banner--synthetic" role="note" data-testid="exec-synthetic">
      <AlertIcon size={20} />
      <div>
        <strong>{x.synthetic}</strong>
        <span> {x.syntheticBody}</span>
      </div>
    </div>
  );
}

/** The whole filter's figures: completion against time progress, quantities, non-selected share, how many lag. */
function TotalsFigures({ data }: { data: ExecutionList }) {
  const { x, lang } = useExecutionText();
  const totals: CompletionFigures = data.totals;
  return (
    <>
      <dl className="exec-totals">
        <div className="exec-totals__item">
          <dt>{x.completion}</dt>
          <dd className="exec-totals__big" data-testid="exec-total-completion">
            {formatPercent(totals.completion)}
          </dd>
        </div>
        <div className="exec-totals__item">
          <dt>{x.timeProgress}</dt>
          <dd className="exec-totals__big" data-testid="exec-total-progress">
            {formatPercent(totals.timeProgress)}
          </dd>
        </div>
        <div className="exec-totals__item">
          <dt>
            {x.purchased} / {x.agreed}
          </dt>
          <dd data-testid="exec-total-quantities">
            <QuantityPair purchased={totals.purchased} agreed={totals.agreed} />
          </dd>
        </div>
        <div className="exec-totals__item">
          <dt>{x.nonSelectedShare}</dt>
          <dd data-testid="exec-total-nonselected">{formatPercent(totals.nonSelectedShare)}</dd>
        </div>
        <div className="exec-totals__item">
          <dt>{x.status}</dt>
          <dd data-testid="exec-total-behind">{x.behindCount(formatCount(data.behindCount, lang), formatCount(data.allRows, lang))}</dd>
        </div>
        <div className="exec-totals__item">
          <dt>{x.thresholdLabel}</dt>
          <dd data-testid="exec-threshold" data-threshold={data.threshold} data-source={data.thresholdSource}>
            × {formatThreshold(data.threshold, data.thresholdSource, lang)}
          </dd>
        </div>
      </dl>
      <SourceFootnote date={data.date} threshold={data.threshold} thresholdSource={data.thresholdSource} source={data.source} />
    </>
  );
}

function ExecutionFilterForm({ filters, options, onApply }: { filters: ExecutionFilters; options: ExecutionList['options'] | undefined; onApply: (f: ExecutionFilters) => void }) {
  const { x } = useExecutionText();
  const [draft, setDraft] = useFilterDraft(filters, (f) => executionFiltersToParams(f));
  // a value in the URL that the options do not list (yet) stays selectable
  const withCurrent = (list: readonly { value: string; label: string }[], value: string | undefined) =>
    value && !list.some((o) => o.value === value) ? [...list, { value, label: value }] : list;
  return (
    <FilterBar label={x.title} testId="exec-filters" onApply={() => onApply(draft)} onClear={() => onApply({ by: filters.by, sort: filters.sort, page: 1 })} active={hasExecutionFilters(filters)} applyLabel={x.apply} clearLabel={x.clear} applyTestId="exec-apply">
      <FilterSelect label={x.batch} anyLabel={x.anyBatch} value={draft.batch} options={withCurrent(options?.batches.map((b) => ({ value: b.value, label: `${b.value} ${b.label}` })) ?? [], draft.batch)} onChange={(batch) => setDraft({ ...draft, batch })} testId="exec-filter-batch" />
      <FilterSelect label={x.city} anyLabel={x.anyCity} value={draft.city} options={withCurrent(options?.cities ?? [], draft.city)} onChange={(city) => setDraft({ ...draft, city })} testId="exec-filter-city" />
      <FilterSelect label={x.level} anyLabel={x.anyLevel} value={draft.level} options={withCurrent(options?.levels ?? [], draft.level)} onChange={(level) => setDraft({ ...draft, level })} testId="exec-filter-level" />
      <FilterSelect label={x.sort} anyLabel={x.sorts.gap} value={draft.sort === 'gap' ? undefined : draft.sort} options={(['completion', 'agreed', 'purchased', 'nonSelected', 'name'] as const).map((s) => ({ value: s, label: x.sorts[s] }))} onChange={(sort) => setDraft({ ...draft, sort: sort ?? 'gap' })} testId="exec-filter-sort" />
      <FilterField label={x.behindOnly}>
        {(id) => <input id={id} type="checkbox" className="exec-check" checked={draft.behind ?? false} onChange={(e) => setDraft({ ...draft, behind: e.target.checked || undefined })} data-testid="exec-filter-behind" />}
      </FilterField>
    </FilterBar>
  );
}

/** No contract year running for the region at the date: say why and offer a date (or a region) that has data. */
function RegionEmpty({ region, regionLabel, data }: { region: string; regionLabel: string; data: ExecutionList }) {
  const { x } = useExecutionText();
  const user = useSessionUser();
  const [params] = useSearchParams();
  const suggestion = suggestedDate(data.source);
  return (
    <div data-testid="exec-empty">
      <EmptyState>{region === NATION_CODE && !data.source.periodsFrom ? x.emptyNation : x.emptyRegion(regionLabel, formatDate(data.date))}</EmptyState>
      <p className="muted">{x.emptyHint}</p>
      {data.source.periodsFrom && data.source.periodsTo ? <p>{x.emptySpan(data.source.periodsFrom, data.source.periodsTo)}</p> : null}
      <p className="exec-empty__actions">
        {suggestion && suggestion !== data.date ? (
          <Link className="button button--primary" to={`?${withParam(withParam(params, 'date', suggestion), 'page', null).toString()}`} data-testid="exec-empty-go">
            {x.emptyGo(suggestion)}
          </Link>
        ) : null}
        {region !== DEMO_REGION && mayReadRegion(user, DEMO_REGION) && !data.source.periodsFrom ? (
          <Link className="button" to={`?${withParam(params, 'region', DEMO_REGION).toString()}`} data-testid="exec-empty-demo">
            {x.goJiangsu}
          </Link>
        ) : null}
      </p>
    </div>
  );
}

function ExecutionForbidden({ error }: { error: unknown }) {
  const { x, lang } = useExecutionText();
  const user = useSessionUser();
  const regions = useRegions();
  const { setRegion } = useViewParams();
  const home = regions.data?.items.find((r) => r.code === user.regionCode);
  return (
    <div className="page page--narrow" data-testid="exec-forbidden">
      <h1 className="page__title">{x.title}</h1>
      <ErrorNotice error={error} title={x.forbiddenTitle}>
        <p>{x.forbiddenNation}</p>
      </ErrorNotice>
      <p>
        <button type="button" className="button button--primary" onClick={() => setRegion(user.regionCode)}>
          {x.goHome(home ? regionName(home, lang) : user.regionCode)}
        </button>
      </p>
    </div>
  );
}
