import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { UPLOAD_KIND_LABELS, UPLOAD_KINDS, UPLOAD_STATUSES, type UploadKind, type UploadList, type UploadStatus } from '@vbp/contracts/uploads';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { StackTable } from '../../../components/ui/table';
import { useCan } from '../../../lib/auth/can';
import { formatCount, formatDateTime } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUploads } from '../api/get-uploads';
import { useUploadText } from '../i18n/use-upload-text';
import { hasUploadFilters, parseUploadFilters, uploadFiltersToParams, type UploadFilters } from '../utils/upload-filters';
import { formatRowProgress } from '../utils/progress';
import { isInProgress } from '../utils/upload-status';
import { RevertButton } from './revert-button';
import { UploadStatusBadge } from './upload-status-badge';
import './uploads.css';

type UploadItem = UploadList['items'][number];

/**
 * 上传记录 (/uploads): every upload the user may see (the API scopes it), newest first, filtered by kind
 * and status in the URL; each with its status, its row counts, who and when, and 撤销 for committed
 * ones where the user may revert.
 */
export function UploadsHistoryPage() {
  const { t, u } = useUploadText();
  const [params, setParams] = useSearchParams();
  const filters = parseUploadFilters(params);
  const uploads = useUploads(filters);
  const canUpload = useCan('upload:data');
  const busy = uploads.isPlaceholderData;

  useEffect(() => {
    document.title = `${u.historyTitle} · ${t.app.name}`;
  }, [t, u]);

  const go = (next: UploadFilters) => setParams(uploadFiltersToParams(next));

  return (
    <div className="page" data-testid="uploads-page">
      <div className="page__head page__head--actions">
        <div>
          <h1 className="page__title">{u.historyTitle}</h1>
          <p className="page__subtitle">{u.historyIntro}</p>
        </div>
        {canUpload ? (
          <Link className="button button--primary" to="/uploads/new" data-testid="new-upload">
            {u.newUpload}
          </Link>
        ) : null}
      </div>

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
  const id = useId();
  const [draft, setDraft] = useState(filters);
  const key = uploadFiltersToParams({ ...filters, page: 1 }).toString();
  // A new URL (back button, a link) resets the draft to what the list shows.
  useEffect(() => setDraft(filters), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ ...draft, page: 1 });
  };
  return (
    <form className="filters" onSubmit={onSubmit} role="search" aria-label={u.historyTitle} data-testid="uploads-filters">
      <div className="filters__field">
        <label htmlFor={`${id}-kind`}>{u.filterKind}</label>
        <select
          id={`${id}-kind`}
          className="input"
          value={draft.kind ?? ''}
          onChange={(e) => setDraft({ ...draft, kind: (e.target.value || undefined) as UploadKind | undefined })}
          data-testid="filter-kind"
        >
          <option value="">{u.anyKind}</option>
          {UPLOAD_KINDS.map((k) => (
            <option key={k} value={k}>
              {UPLOAD_KIND_LABELS[k][lang]}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-status`}>{u.filterStatus}</label>
        <select
          id={`${id}-status`}
          className="input"
          value={draft.status ?? ''}
          onChange={(e) => setDraft({ ...draft, status: (e.target.value || undefined) as UploadStatus | undefined })}
          data-testid="filter-status"
        >
          <option value="">{u.anyStatus}</option>
          {UPLOAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {u.status[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__buttons">
        <button type="submit" className="button button--primary" data-testid="filter-apply">
          {u.apply}
        </button>
        <button type="button" className="button" onClick={() => onApply({ page: 1 })} disabled={!hasUploadFilters(filters)}>
          {u.clear}
        </button>
      </div>
    </form>
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
              {item.batchCode ? <code className="cell-main">{item.batchCode}</code> : null}
              <span className={item.batchCode ? 'cell-sub' : undefined}>{regionLabel(item.regionCode)}</span>
            </span>
          </td>
          <td data-label={u.colStatus}>
            <span>
              <UploadStatusBadge status={item.status} testId="upload-row-status" />
              {isInProgress(item.status) && item.progress ? <span className="cell-sub num">{formatRowProgress(item.progress, u, lang)}</span> : null}
            </span>
          </td>
          <td data-label={u.colRows} className="num">
            <span data-testid="upload-row-counts">
              {item.counts.rows > 0 || !isInProgress(item.status)
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
