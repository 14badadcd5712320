import { useEffect } from 'react';
import { Link } from 'react-router';
import { UPLOAD_KIND_LABELS, UPLOAD_KINDS, UPLOAD_STATUSES, type UploadList } from '@vbp/contracts/uploads';
import { PageHead } from '../../../components/layout/page-head';
import { FilterBar, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { StackTable } from '../../../components/ui/table';
import { useCan } from '../../../lib/auth/can';
import { formatCount, formatDateTime } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUrlFilters } from '../../../lib/search-params';
import { useUploads } from '../api/get-uploads';
import { useUploadText } from '../i18n/use-upload-text';
import { hasUploadFilters, parseUploadFilters, uploadFiltersToParams, type UploadFilters } from '../utils/upload-filters';
import { formatRowProgress } from '../utils/progress';
import { hasCounts, isInProgress } from '../utils/upload-status';
import { RevertButton } from './revert-button';
import { UploadStatusBadge } from './upload-status-badge';
import './uploads.css';
import { BatchLink } from '../../../components/ui/batch-link';

type UploadItem = UploadList['items'][number];

/**
 * 上传记录 (/uploads): every upload the user may see (the API scopes it), newest first, filtered by kind
 * and status in the URL; each with its status (and, interrupted, that it must be validated again), its
 * row counts, who and when, and 撤销 for committed ones where the user may revert.
 */
export function UploadsHistoryPage() {
  const { t, u } = useUploadText();
  const [filters, go] = useUrlFilters(parseUploadFilters, uploadFiltersToParams);
  const uploads = useUploads(filters);
  const canUpload = useCan('create:upload');
  const busy = uploads.isPlaceholderData;

  useEffect(() => {
    document.title = `${u.historyTitle} · ${t.app.name}`;
  }, [t, u]);

  return (
    <div className="page" data-testid="uploads-page">
      <PageHead
        title={u.historyTitle}
        intro={u.historyIntro}
        actions={
          canUpload ? (
            <Link className="button button--primary" to="/uploads/new" data-testid="new-upload">
              {u.newUpload}
            </Link>
          ) : null
        }
      />

      <HistoryFilters filters={filters} onApply={(f) => go({ ...f, page: 1 })} />

      <Panel title={u.listTitle} busy={busy} testId="uploads-panel">
        <PagedQueryContent query={uploads} empty={hasUploadFilters(filters) ? u.empty : u.emptyAll} skeletonLines={8} busy={busy} onPage={(page) => go({ ...filters, page })}>
          {(items) => <UploadsTable items={items} />}
        </PagedQueryContent>
      </Panel>
    </div>
  );
}

function HistoryFilters({ filters, onApply }: { filters: UploadFilters; onApply: (f: UploadFilters) => void }) {
  const { u, lang } = useUploadText();
  const [draft, setDraft] = useFilterDraft(filters, uploadFiltersToParams);
  return (
    <FilterBar
      label={u.historyTitle}
      testId="uploads-filters"
      onApply={() => onApply({ ...draft, page: 1 })}
      onClear={() => onApply({ page: 1 })}
      active={hasUploadFilters(filters)}
      applyLabel={u.apply}
      clearLabel={u.clear}
      applyTestId="filter-apply"
    >
      <FilterSelect
        label={u.filterKind}
        anyLabel={u.anyKind}
        value={draft.kind}
        options={UPLOAD_KINDS.map((k) => ({ value: k, label: UPLOAD_KIND_LABELS[k][lang] }))}
        onChange={(kind) => setDraft({ ...draft, kind })}
        testId="filter-kind"
      />
      <FilterSelect
        label={u.filterStatus}
        anyLabel={u.anyStatus}
        value={draft.status}
        options={UPLOAD_STATUSES.map((s) => ({ value: s, label: u.status[s] }))}
        onChange={(status) => setDraft({ ...draft, status })}
        testId="filter-status"
      />
    </FilterBar>
  );
}

function UploadsTable({ items }: { items: UploadItem[] }) {
  const { u, lang } = useUploadText();
  const regions = useRegions();
  const regionLabel = (code: string | null) => {
    if (!code) return u.national;
    const r = regions.data?.items.find((x) => x.code === code);
    return r ? regionName(r, lang, true) : code;
  };
  return (
    <StackTable className="uploads-table" columns={[u.colFile, u.colKind, u.colScope, u.colStatus, u.colRows, u.colBy, u.colAt, { label: u.colActions, hidden: true }]}>
      {items.map((item) => (
        <tr key={item.id} data-testid="upload-row" data-upload-id={item.id} data-status={item.status} data-kind={item.kind}>
          <th scope="row" data-label={u.colFile}>
            <span>
              <Link to={`/uploads/${item.id}`} className="cell-main uploads-table__file">
                {item.fileName}
              </Link>
              <span className="cell-sub num">#{item.id}</span>
            </span>
          </th>
          <td data-label={u.colKind}>
            <span>{UPLOAD_KIND_LABELS[item.kind][lang]}</span>
          </td>
          <td data-label={u.colScope}>
            <span>
              {item.batchCode ? (
                <code className="cell-main">
                  <BatchLink code={item.batchCode} />
                </code>
              ) : null}
              <span className={item.batchCode ? 'cell-sub' : undefined}>{regionLabel(item.regionCode)}</span>
            </span>
          </td>
          <td data-label={u.colStatus}>
            <span>
              <UploadStatusBadge status={item.status} testId="upload-row-status" />
              {isInProgress(item.status) && item.progress ? <span className="cell-sub num">{formatRowProgress(item.progress, u, lang)}</span> : null}
              {item.status === 'interrupted' ? (
                <span className="cell-sub" data-testid="upload-row-hint">
                  {u.interruptedHint}
                </span>
              ) : null}
            </span>
          </td>
          <td data-label={u.colRows} className="num">
            <span data-testid="upload-row-counts">
              {hasCounts(item)
                ? u.rowsSummary(formatCount(item.counts.rows, lang), formatCount(item.counts.valid, lang), formatCount(item.counts.invalid, lang))
                : '—'}
            </span>
          </td>
          <td data-label={u.colBy}>
            <code>{item.createdBy}</code>
          </td>
          <td data-label={u.colAt} className="nowrap num">
            <span>
              <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
              {item.revertedAt ? (
                <span className="cell-sub">
                  {u.revertedAt} {formatDateTime(item.revertedAt)}
                </span>
              ) : item.committedAt ? (
                <span className="cell-sub">
                  {u.committedAt} {formatDateTime(item.committedAt)}
                </span>
              ) : null}
            </span>
          </td>
          <td data-label={u.colActions}>
            <span className="row-actions">
              <Link className="button button--small" to={`/uploads/${item.id}`} data-testid="open-upload">
                {u.open}
              </Link>
              <RevertButton view={item} small />
            </span>
          </td>
        </tr>
      ))}
    </StackTable>
  );
}
