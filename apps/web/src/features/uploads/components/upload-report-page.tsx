import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { NATION_CODE } from '@vbp/contracts/enums';
import { UPLOAD_COLUMNS, UPLOAD_KIND_LABELS, type UploadView } from '@vbp/contracts/uploads';
import { PageHead } from '../../../components/layout/page-head';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { AlertIcon, PauseCircleIcon } from '../../../components/ui/icons';
import { Panel } from '../../../components/ui/panel';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { Skeleton } from '../../../components/ui/skeleton';
import { useToast } from '../../../components/ui/toast';
import { isApiError } from '../../../lib/api';
import { useCan } from '../../../lib/auth/can';
import { formatCount, formatDateTime } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUpload } from '../api/get-upload';
import { useReprocessUpload } from '../api/upload-mutations';
import { useUploadText } from '../i18n/use-upload-text';
import { issueTotal } from '../utils/issues';
import { mappingRows, missingRequired } from '../utils/mapping';
import { formatBytes, formatRowProgress, phaseLabel } from '../utils/progress';
import { canCommit, canReprocess, hasCounts, isInProgress, needsRevalidation, reasonLook, reasonMessage, showsComparison, uploadDataRegion } from '../utils/upload-status';
import { CommitPanel } from './commit-panel';
import { IssuesTable } from './issues-table';
import { MappingSection, type EncodingChoice } from './mapping-editor';
import { ReadOptions } from './read-options';
import { RevertButton } from './revert-button';
import { UploadCounts } from './upload-counts';
import { UploadStatusBadge } from './upload-status-badge';
import './uploads.css';

function parseId(raw: string | undefined): number | null {
  return raw && /^\d{1,10}$/.test(raw) ? Number(raw) : null;
}

/**
 * 上传报告 (/uploads/:id): the upload's state, asked for every second while the server works on it, so
 * the clerk may leave and come back. Why it stopped or failed (and 重新校验), counts, errors and warnings,
 * the header mapping (and its editor), the read options, then commit; after a commit, the way to the
 * overview and (for those allowed) revert.
 */
export function UploadReportPage() {
  const { t, u } = useUploadText();
  const id = parseId(useParams().id);
  const upload = useUpload(id ?? 0);

  useEffect(() => {
    document.title = `${u.reportTitle}${id ? ` #${id}` : ''} · ${t.app.name}`;
  }, [t, u, id]);

  if (id === null || (upload.isError && isApiError(upload.error, 'NOT_FOUND'))) {
    return (
      <div className="page page--narrow" data-testid="upload-not-found">
        <h1 className="page__title">{u.notFoundTitle}</h1>
        <p>
          <Link className="button" to="/uploads">
            {u.toHistory}
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="page upload-report" data-testid="upload-report" data-upload-id={id} data-status={upload.data?.status ?? ''}>
      {upload.data === undefined ? (
        upload.isError ? (
          <>
            <ReportTitle />
            <ErrorNotice error={upload.error} onRetry={() => void upload.refetch()} />
          </>
        ) : (
          <ReportSkeleton />
        )
      ) : (
        <Report view={upload.data} refreshError={upload.isError ? upload.error : null} onRetry={() => void upload.refetch()} />
      )}
    </div>
  );
}

function ReportTitle({ children }: { children?: ReactNode }) {
  const { u } = useUploadText();
  // an office reads reports but does not upload: no button that would be refused
  const canUpload = useCan('create:upload');
  return (
    <PageHead
      title={children ?? u.reportTitle}
      actions={
        <nav className="row-actions" aria-label={u.reportTitle}>
          <Link className="button" to="/uploads">
            {u.toHistory}
          </Link>
          {canUpload ? (
            <Link className="button" to="/uploads/new" data-testid="report-new-upload">
              {u.newUpload}
            </Link>
          ) : null}
        </nav>
      }
    />
  );
}

function ReportSkeleton() {
  return (
    <>
      <ReportTitle />
      <div className="panel" aria-busy="true">
        <Skeleton lines={3} />
      </div>
      <div className="panel" aria-busy="true">
        <Skeleton height={160} />
      </div>
    </>
  );
}

function Report({ view, refreshError, onRetry }: { view: UploadView; refreshError: unknown; onRetry: () => void }) {
  const { u, lang } = useUploadText();
  // validating again and committing: the same clerks, on the upload's own region (national uploads: national clerks)
  const mayUpload = useCan('commit:upload', uploadDataRegion(view));
  const canUpload = useCan('create:upload');
  const editable = mayUpload && canReprocess(view);
  const [encoding, setEncoding] = useState<EncodingChoice>('auto');
  const errorCount = issueTotal(view.errors.length, view.moreErrors);
  const checked = view.status === 'validated' || view.status === 'invalid';
  const columns = UPLOAD_COLUMNS[view.kind];
  // Required columns not found: mapping them is the next step, so the editor comes before the errors.
  // Stopped before the headers were read: there is nothing to map yet, and 重新校验 above is the way on.
  const headersUnread = view.status === 'interrupted' && view.mapping === null;
  const needsMapping = editable && !headersUnread && missingRequired(mappingRows(view.mapping, columns), columns).length > 0;
  const mappingPanel = isInProgress(view.status) || headersUnread ? null : (
    <Panel title={u.mappingTitle} description={u.mappingIntro} testId="mapping-panel">
      <ReadOptions key={`read-${view.sheet ?? ''}`} view={view} editable={editable} encoding={encoding} onEncoding={setEncoding} />
      <MappingSection key={`map-${view.sheet ?? ''}-${JSON.stringify(view.mapping)}-${view.status}`} view={view} editable={editable} encoding={encoding} />
    </Panel>
  );

  return (
    <>
      <ReportTitle>
        {u.reportTitle} <span className="muted num">#{view.id}</span>
      </ReportTitle>
      {refreshError ? <ErrorNotice error={refreshError} onRetry={onRetry} /> : null}

      <ReportSummary view={view} />

      <StatusReasonNotice view={view} mayUpload={mayUpload} />

      {view.duplicateOf !== null ? (
        <div className="notice notice--warn" role="note" data-testid="duplicate-notice">
          <p>
            {u.duplicate(view.duplicateOf)}{' '}
            <Link to={`/uploads/${view.duplicateOf}`} data-testid="duplicate-link">
              {u.duplicateLink}
            </Link>
            <br />
            <span className="muted">{u.duplicateHint}</span>
          </p>
        </div>
      ) : null}

      {view.fileRemovedAt !== null ? (
        <div className="notice notice--warn" role="note" data-testid="file-removed-notice">
          <p className="notice__title">{u.fileRemovedTitle}</p>
          <p>{u.fileRemovedBody(formatDateTime(view.fileRemovedAt))}</p>
        </div>
      ) : null}

      {isInProgress(view.status) ? <ProgressPanel view={view} /> : null}

      {view.status === 'committed' ? (
        <div className="notice notice--ok upload-outcome" role="status" data-testid="upload-committed">
          <div>
            <p className="notice__title">{u.committedTitle}</p>
            <p>{u.committedBody(view.committedAt ? formatDateTime(view.committedAt) : '—')}</p>
            <p className="row-actions upload-outcome__links">
              <Link className="button button--small" to={`/?region=${view.regionCode ?? NATION_CODE}`} data-testid="committed-overview">
                {view.batchCode ? u.viewBatch(view.batchCode) : u.viewOverview}
              </Link>
              {canUpload ? (
                <Link className="button button--small" to="/uploads/new">
                  {u.anotherUpload}
                </Link>
              ) : null}
              <RevertButton view={view} small />
            </p>
          </div>
        </div>
      ) : null}

      {view.status === 'reverted' ? (
        <div className="notice notice--warn" role="status" data-testid="upload-reverted">
          <div>
            <p className="notice__title">{u.revertedTitle}</p>
            <p>{u.revertedBody(view.revertedAt ? formatDateTime(view.revertedAt) : '—')}</p>
          </div>
        </div>
      ) : null}

      {hasCounts(view) ? (
        <Panel title={u.countsTitle} testId="counts-panel">
          <UploadCounts counts={view.counts} kind={view.kind} compared={showsComparison(view.status)} />
          {view.counts.invalid > 0 ? <p className="upload-counts__errors">{u.errorsRows(formatCount(view.counts.invalid, lang))}</p> : null}
        </Panel>
      ) : null}

      {needsMapping ? mappingPanel : null}

      {(checked || view.status === 'failed') && errorCount > 0 ? (
        <Panel title={u.titleWithCount(u.errorsTitle, formatCount(errorCount, lang))} testId="errors-panel">
          <IssuesTable issues={view.errors} more={view.moreErrors} empty={u.errorsNone} testId="errors" />
        </Panel>
      ) : null}

      {needsMapping ? null : mappingPanel}

      {!isInProgress(view.status) && issueTotal(view.warnings.length, view.moreWarnings) > 0 ? (
        <Panel title={u.titleWithCount(u.warningsTitle, formatCount(issueTotal(view.warnings.length, view.moreWarnings), lang))} testId="warnings-panel">
          <IssuesTable issues={view.warnings} more={view.moreWarnings} empty={u.warningsNone} testId="warnings" />
        </Panel>
      ) : null}

      {!isInProgress(view.status) && issueTotal(view.notices.length, view.moreNotices) > 0 ? (
        <Panel title={u.titleWithCount(u.noticesTitle, formatCount(issueTotal(view.notices.length, view.moreNotices), lang))} description={u.noticesIntro} testId="notices-panel">
          <IssuesTable issues={view.notices} more={view.moreNotices} empty={u.noticesNone} testId="notices" />
        </Panel>
      ) : null}

      {/* A new reason (a commit that did not go through) starts the panel afresh: the notice above says why. */}
      {canCommit(view) && mayUpload ? <CommitPanel key={`commit-${view.status}-${view.warnings.length}-${view.statusReason?.at ?? ''}`} view={view} /> : null}
    </>
  );
}

/** What was uploaded, by whom and when, and its status. */
function ReportSummary({ view }: { view: UploadView }) {
  const { u, lang } = useUploadText();
  const regions = useRegions();
  const region = view.regionCode ? regions.data?.items.find((r) => r.code === view.regionCode) : null;
  const item = (label: string, value: ReactNode, testId?: string) => (
    <div className="report-meta__item">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <section className="panel report-summary" aria-label={u.fileLabel} data-testid="report-summary">
      <div className="report-summary__head">
        <p className="report-summary__file">
          <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M14 3H6.5A1.5 1.5 0 0 0 5 4.5v15A1.5 1.5 0 0 0 6.5 21h11a1.5 1.5 0 0 0 1.5-1.5V8z M14 3v5h5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
          </svg>
          <span className="report-summary__name" data-testid="report-file-name">
            {view.fileName}
          </span>
        </p>
        <UploadStatusBadge status={view.status} testId="report-status" />
      </div>
      <dl className="report-meta">
        {item(u.kind, UPLOAD_KIND_LABELS[view.kind][lang], 'report-kind')}
        {view.batchCode ? item(u.batch, <code>{view.batchCode}</code>, 'report-batch') : null}
        {item(u.region, view.regionCode ? (region ? regionName(region, lang) : view.regionCode) : u.national, 'report-region')}
        {item(u.size, <span className="num">{formatBytes(view.sizeBytes)}</span>)}
        {view.sheet ? item(u.sheet, view.sheet) : null}
        {item(u.uploadedBy, <code>{view.createdBy}</code>)}
        {item(u.uploadedAt, <time dateTime={view.createdAt}>{formatDateTime(view.createdAt)}</time>)}
        {view.committedAt ? item(u.committedAt, <time dateTime={view.committedAt}>{formatDateTime(view.committedAt)}</time>) : null}
        {view.revertedAt ? item(u.revertedAt, <time dateTime={view.revertedAt}>{formatDateTime(view.revertedAt)}</time>) : null}
      </dl>
    </section>
  );
}

/**
 * Why the upload stopped (interrupted), failed, or was not committed (validated, with the reason), in the
 * server's words in the reader's language, and when. For an interrupted or failed upload, the one thing to
 * do: validate the stored file again (for those who may upload; nothing needs sending again).
 */
function StatusReasonNotice({ view, mayUpload }: { view: UploadView; mayUpload: boolean }) {
  const { u, lang } = useUploadText();
  const reason = view.statusReason;
  const revalidate = needsRevalidation(view.status);
  if (reason === null && !revalidate) return null;
  const look = reasonLook(view.status, u);
  const Icon = view.status === 'interrupted' ? PauseCircleIcon : AlertIcon;
  const colon = lang === 'zh' ? '：' : ': ';
  return (
    <div
      className={`notice notice--${look.tone} status-reason status-reason--${look.tone}`}
      role={look.tone === 'error' ? 'alert' : 'status'}
      data-testid="upload-status-reason"
      data-status={view.status}
      data-code={reason?.code ?? ''}
    >
      <Icon size={20} className="notice__icon" />
      <div className="status-reason__body">
        <p className="notice__title">{look.title}</p>
        <p data-testid="status-reason-message">{reason ? reasonMessage(reason, lang) : view.status === 'failed' ? u.failedBody : u.interruptedBody}</p>
        {reason ? (
          <p className="status-reason__meta">
            {u.reasonAt}
            {colon}
            <time dateTime={reason.at} data-testid="status-reason-at">
              {formatDateTime(reason.at)}
            </time>
            {' · '}
            {u.reasonCode}
            {colon}
            <code>{reason.code}</code>
          </p>
        ) : null}
        {revalidate && mayUpload && view.fileRemovedAt === null ? <RevalidateAction id={view.id} /> : null}
      </div>
    </div>
  );
}

/** 重新校验: the stored file is read again as it is (`{}`: the same sheet, encoding and mapping). */
function RevalidateAction({ id }: { id: number }) {
  const { u } = useUploadText();
  const toast = useToast();
  const reprocess = useReprocessUpload(id);
  return (
    <>
      <p className="status-reason__action">
        <button
          type="button"
          className="button button--primary"
          disabled={reprocess.isPending}
          onClick={() => reprocess.mutate({}, { onSuccess: (v) => (isInProgress(v.status) ? undefined : toast.notify(u.revalidated)) })}
          data-testid="revalidate-upload"
        >
          {reprocess.isPending ? u.revalidating : u.revalidate}
        </button>
        <span className="status-reason__hint">{u.revalidateHint}</span>
      </p>
      {reprocess.isError ? <ErrorNotice error={reprocess.error} title={u.reprocessFailed} testId="revalidate-error" /> : null}
    </>
  );
}

/** The server's progress: the phase by name, rows done (or, committing, written) of the total, and that the clerk may leave. */
function ProgressPanel({ view }: { view: UploadView }) {
  const { u, lang } = useUploadText();
  const p = view.progress ?? { phase: view.status === 'committing' ? 'committing' : 'queued', done: 0, total: null };
  const text = formatRowProgress(p, u, lang);
  return (
    <Panel title={`${u.processingTitle} · ${u.status[view.status]}`} testId="upload-progress">
      <p className="upload-progress__phase">
        {u.phase}
        {lang === 'zh' ? '：' : ': '}
        <strong data-testid="upload-phase" data-phase={p.phase}>
          {phaseLabel(p.phase, u)}
        </strong>
      </p>
      {/* Without a total the bar stays empty (the text says what is known) rather than showing a false 100%. */}
      <ProgressBar value={p.total ? p.done : 0} max={p.total ?? 1} label={u.progressLabel} valueText={text} />
      <p className="upload-progress__text num" data-testid="upload-progress-text">
        {text}
      </p>
      <p className="muted upload-progress__leave">{u.canLeave}</p>
    </Panel>
  );
}
