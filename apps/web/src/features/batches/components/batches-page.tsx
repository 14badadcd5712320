import { useEffect } from 'react';
import type { BatchListItem } from '@vbp/contracts/api';
import { BATCH_STATUS_RULE_ORDER, BATCH_STATUSES } from '@vbp/contracts/batch-status';
import { todayInChina } from '@vbp/contracts/dates';
import { BATCH_LEVELS, PRODUCT_TYPES } from '@vbp/contracts/enums';
import { PageHead } from '../../../components/layout/page-head';
import { FilterBar, FilterField, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { Footnote } from '../../../components/ui/footnote';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { StackTable } from '../../../components/ui/table';
import { readableRegions } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { formatCount, formatPercent } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUrlFilters } from '../../../lib/search-params';
import { useBatchList } from '../api/get-batches';
import { useBatchText } from '../i18n/use-batch-text';
import { formatDateAt, shownStart } from '../utils/batch-dates';
import { batchFiltersToParams, batchYears, hasBatchFilters, parseBatchFilters, type BatchFilters } from '../utils/batch-filters';
import { BatchStatusBadge } from './batch-status-badge';
import './batches.css';
import { BatchLink } from '../../../components/ui/batch-link';

/**
 * 集采批次 (/batches): every batch the user may see (the API scopes it), newest first, filtered by text,
 * level, type, year, region and status in the URL, 20 a page. Status is measured today in the chosen region
 * (every region without one); the rule is in the footnote and in @vbp/contracts/batch-status.
 */
export function BatchesPage() {
  const { t, b } = useBatchText();
  const [filters, go] = useUrlFilters(parseBatchFilters, batchFiltersToParams);
  const list = useBatchList(filters);
  const busy = list.isPlaceholderData;

  useEffect(() => {
    document.title = `${b.listTitle} · ${t.app.name}`;
  }, [t, b]);

  return (
    <div className="page" data-testid="batches-page" data-busy={busy}>
      <PageHead title={b.listTitle} intro={b.listIntro} />
      <ListFilters filters={filters} onApply={(f) => go({ ...f, page: 1 })} />
      <Panel title={b.listPanel} busy={busy} testId="batches-panel">
        <StatusRule region={filters.region} asOf={list.data?.asOf ?? todayInChina()} />
        <PagedQueryContent query={list} empty={hasBatchFilters(filters) ? b.empty : b.emptyAll} skeletonLines={10} busy={busy} onPage={(page) => go({ ...filters, page })}>
          {(items) => <BatchesTable items={items} />}
        </PagedQueryContent>
      </Panel>
    </div>
  );
}

/** Which region and day the statuses are measured in, and the rule (in @vbp/contracts/batch-status's order). */
function StatusRule({ region, asOf }: { region: string | undefined; asOf: string }) {
  const { b, lang } = useBatchText();
  const regions = useRegions();
  const named = region ? regions.data?.items.find((r) => r.code === region) : undefined;
  // 全国 (100000) measures every region, as no region does
  const scopeText = named && named.kind !== 'nation' ? regionName(named, lang) : region && !named ? region : b.statusScopeAll;
  return (
    <Footnote summary={<span data-testid="status-rule-summary">{b.statusSummary(scopeText, asOf)}</span>} label={b.statusRuleLabel}>
      <p>{b.statusRuleTitle}</p>
      <ol className="batches-rule">
        {BATCH_STATUS_RULE_ORDER.map((s) => (
          <li key={s}>{b.statusRule[s]}</li>
        ))}
      </ol>
    </Footnote>
  );
}

function ListFilters({ filters, onApply }: { filters: BatchFilters; onApply: (f: BatchFilters) => void }) {
  const { t, b, lang } = useBatchText();
  const [draft, setDraft] = useFilterDraft(filters, batchFiltersToParams);
  const user = useSessionUser();
  const regions = useRegions();
  const readable = readableRegions(user, regions.data?.items ?? []);
  const thisYear = Number(todayInChina().slice(0, 4));
  return (
    <FilterBar
      label={b.listTitle}
      testId="batches-filters"
      onApply={() => onApply({ ...draft, page: 1 })}
      onClear={() => onApply({ page: 1 })}
      active={hasBatchFilters(filters)}
      applyLabel={b.apply}
      clearLabel={b.clear}
      applyTestId="filter-apply"
    >
      <FilterField label={b.search}>
        {(id) => (
          <input
            id={id}
            type="search"
            className="input batches-search"
            value={draft.q ?? ''}
            maxLength={100}
            placeholder={b.searchPlaceholder}
            onChange={(e) => setDraft({ ...draft, q: e.target.value || undefined })}
            data-testid="filter-q"
          />
        )}
      </FilterField>
      <FilterSelect
        label={b.filterLevel}
        anyLabel={b.anyLevel}
        value={draft.level}
        options={BATCH_LEVELS.map((l) => ({ value: l, label: t.levels[l] }))}
        onChange={(level) => setDraft({ ...draft, level })}
        testId="filter-level"
      />
      <FilterSelect
        label={b.filterType}
        anyLabel={b.anyType}
        value={draft.type}
        options={PRODUCT_TYPES.map((p) => ({ value: p, label: t.types[p] }))}
        onChange={(type) => setDraft({ ...draft, type })}
        testId="filter-type"
      />
      <FilterSelect
        label={b.filterYear}
        anyLabel={b.anyYear}
        value={draft.year === undefined ? undefined : String(draft.year)}
        options={batchYears(thisYear).map((y) => ({ value: String(y), label: String(y) }))}
        onChange={(year) => setDraft({ ...draft, year: year === undefined ? undefined : Number(year) })}
        testId="filter-year"
      />
      <FilterSelect
        label={b.filterRegion}
        anyLabel={b.anyRegion}
        value={draft.region}
        options={readable.map((r) => ({ value: r.code, label: regionName(r, lang, true) }))}
        onChange={(region) => setDraft({ ...draft, region })}
        testId="filter-region"
      />
      <FilterSelect
        label={b.filterStatus}
        anyLabel={b.anyStatus}
        value={draft.status}
        options={BATCH_STATUSES.map((s) => ({ value: s, label: b.status[s] }))}
        onChange={(status) => setDraft({ ...draft, status })}
        testId="filter-status"
      />
    </FilterBar>
  );
}

function BatchesTable({ items }: { items: BatchListItem[] }) {
  const { t, b, lang } = useBatchText();
  return (
    <>
      <StackTable className="batches-table" columns={[b.colBatch, b.colLevel, b.colDates, b.colStatus, { label: b.colVarieties, className: 'num' }, { label: b.colProducts, className: 'num' }, { label: b.colCut, className: 'num' }]}>
        {items.map((item) => {
          const start = shownStart(item);
          const placeholders = item.varietiesArePlaceholders || item.placeholderCount > 0;
          return (
            <tr key={item.code} data-testid="batch-row" data-code={item.code} data-status={item.status}>
              <th scope="row" data-label={b.colBatch}>
                <span>
                  <BatchLink code={item.code} className="cell-main" asCode />
                  <span className="cell-sub batches-table__name">{lang === 'en' && item.nameEn ? item.nameEn : item.nameZh}</span>
                </span>
              </th>
              <td data-label={b.colLevel}>
                <span>
                  <span className="cell-main">{t.levels[item.level]}</span>
                  <span className="cell-sub">{t.types[item.productType]}</span>
                </span>
              </td>
              <td data-label={b.colDates} className="num nowrap">
                <span>
                  <span className="cell-main">
                    {b.announced} {formatDateAt(item.announcedOn, item.announcedPrecision)}
                  </span>
                  <span className="cell-sub" data-testid="batch-start">
                    {b.implemented} {formatDateAt(start.date, start.precision)}
                    {start.estimated ? (
                      <abbr className="tag tag--warn batches-est" title={b.estimatedTitle}>
                        {b.estimated}
                      </abbr>
                    ) : null}
                  </span>
                </span>
              </td>
              <td data-label={b.colStatus}>
                <BatchStatusBadge status={item.status} label={b.status[item.status]} testId="batch-status" />
              </td>
              <td data-label={b.colVarieties} className="num">
                <span>
                  <span className="cell-main" data-testid="batch-varieties">
                    {formatCount(item.varietyCount, lang)}
                  </span>
                  {placeholders ? (
                    <span className="cell-sub">
                      <span className="tag tag--warn" title={b.listNotLoadedTitle(item.placeholderCount)} data-testid="list-not-loaded">
                        {b.listNotLoaded}
                      </span>
                    </span>
                  ) : null}
                  {item.failedCount > 0 ? <span className="cell-sub">{b.failed(item.failedCount)}</span> : null}
                </span>
              </td>
              <td data-label={b.colProducts} className="num">
                <span>
                  <span className="cell-main" data-testid="batch-products">
                    {formatCount(item.productCount, lang)}
                  </span>
                  {item.syntheticProductCount > 0 ? (
                    <span className="cell-sub" title={b.productsSynthetic(item.syntheticProductCount)}>
                      <span className="tag">{b.syntheticShort}</span>
                    </span>
                  ) : null}
                </span>
              </td>
              <td data-label={b.colCut} className="num nowrap">
                <span>
                  <span className="cell-main" title={b.computed} data-testid="batch-cut-computed">
                    {formatPercent(item.computedAvgCut)}
                  </span>
                  <span className="cell-sub" title={item.published.cutNote ?? undefined} data-testid="batch-cut-published">
                    {b.published} {formatPercent(item.published.avgCut)}
                  </span>
                </span>
              </td>
            </tr>
          );
        })}
      </StackTable>
      <p className="batches-foot muted">{b.cutFootnote}</p>
    </>
  );
}
