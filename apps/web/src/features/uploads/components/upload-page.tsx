import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { BatchSummary } from '@vbp/contracts/api';
import { NATION_CODE } from '@vbp/contracts/enums';
import { UPLOAD_COLUMNS, UPLOAD_KIND_LABELS, UPLOAD_KINDS, type UploadKind } from '@vbp/contracts/uploads';
import { PageHead } from '../../../components/layout/page-head';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { useToast } from '../../../components/ui/toast';
import { isApiError } from '../../../lib/api';
import { isNationalUser } from '../../../lib/auth/permissions';
import { useSession, useSessionUser } from '../../../lib/auth/session-context';
import { formatDate, formatPercent } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { readOneOf } from '../../../lib/search-params';
import type { TransferProgress } from '../../../lib/upload-file';
import { withParam } from '../../../lib/view-params';
import { batchSearchQueryOptions } from '../api/get-batches';
import { useSavedMappings } from '../api/get-mappings';
import { useCreateUpload } from '../api/upload-mutations';
import { useUploadText } from '../i18n/use-upload-text';
import type { UploadsDictionary } from '../i18n/zh';
import { columnLabel, joinNames } from '../utils/mapping';
import { formatBytes, formatTransfer, progressFraction } from '../utils/progress';
import { batchNeed, draftProblems, needsBatchList, regionNeeded, templateUrl, uploadFields, type DraftProblem, type UploadDraft } from '../utils/upload-form';
import { BatchPicker } from './batch-picker';
import { FileDrop } from './file-drop';
import './uploads.css';

function problemText(problem: DraftProblem | undefined, field: 'kind' | 'batch' | 'region' | 'file', u: UploadsDictionary, choose: string, maxBytes: number, batchCode: string | null): string | undefined {
  switch (problem) {
    case undefined:
      return undefined;
    case 'list-not-loaded':
      return u.batchListNotLoaded(batchCode ?? '');
    case 'required':
      return field === 'file' ? u.fileRequired : choose;
    case 'xls':
      return u.fileXls;
    case 'type':
      return u.fileType;
    case 'empty':
      return u.fileEmpty;
    case 'too-large':
      return u.fileTooLarge(formatBytes(maxBytes));
  }
}

/**
 * 数据上传 (upload:data): choose the kind (with its template), the batch and, for national users, the
 * province; then the file. It goes up with a progress bar (bytes), and the report page takes over at
 * /uploads/:id (the server's own progress, which survives leaving the page).
 */
export function UploadPage() {
  const { t, u, lang } = useUploadText();
  const user = useSessionUser();
  const maxBytes = useSession().limits.maxUploadBytes;
  const national = isNationalUser(user);
  const navigate = useNavigate();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const kind = readOneOf(params.get('kind'), UPLOAD_KINDS) ?? null;
  const [batch, setBatch] = useState<BatchSummary | null>(null);
  const [regionCode, setRegionCode] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mappingId, setMappingId] = useState<number | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [transfer, setTransfer] = useState<TransferProgress | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  const formRef = useRef<HTMLFormElement>(null);
  const create = useCreateUpload({
    onUploaded: (view) => {
      if (!mounted.current) toast.notify(u.uploadedAway(view.id));
    },
  });
  // another kind (the link to a batch's results, the back button) is another upload: its refusal goes
  const resetCreate = create.reset;
  useEffect(() => resetCreate(), [kind, resetCreate]);
  const mappings = useSavedMappings(kind);
  const mapping = mappings.data?.items.find((m) => m.id === mappingId)?.mapping ?? null;

  useEffect(() => {
    document.title = `${u.newTitle} · ${t.app.name}`;
  }, [t, u]);

  // Leaving the page (reload, close) would cut the file off mid-way: the browser asks first.
  useEffect(() => {
    if (!create.isPending) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = u.leaveWarning;
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [create.isPending, u.leaveWarning]);

  // Leaving within the app lets the file finish going up; the clerk is told where to find its report.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useBatchFromUrl(params.get('batch'), batch, setBatch);
  const draft: UploadDraft = { kind, batchCode: batch?.code ?? null, regionCode, file, mapping, batchListLoaded: batch ? !batch.varietiesArePlaceholders : undefined };
  const problems = draftProblems(draft, national, maxBytes);
  // A file's own problem (.xls, too large) shows as soon as it is chosen; missing fields after a submit.
  const shown = (field: 'kind' | 'batch' | 'region' | 'file') => {
    const p = problems[field];
    if (!p || (p === 'required' && !submitted)) return undefined;
    return problemText(p, field, u, t.validation.choose, maxBytes, batch?.code ?? null);
  };

  const setKind = (next: UploadKind) => {
    setMappingId(null);
    create.reset();
    setParams((prev) => withParam(prev, 'kind', next), { replace: true });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length > 0 || !file) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const controller = new AbortController();
    abortRef.current = controller;
    setTransfer({ loaded: 0, total: file.size });
    create.mutate(
      { file, fields: uploadFields(draft, national), onProgress: setTransfer, signal: controller.signal },
      {
        onSuccess: (view) => navigate(`/uploads/${view.id}`),
        onError: (err) => {
          if (err instanceof DOMException && err.name === 'AbortError') {
            toast.notify(u.cancelled);
            create.reset();
          }
        },
        onSettled: () => {
          abortRef.current = null;
        },
      },
    );
  };

  const sending = create.isPending;
  const sentAll = transfer !== null && transfer.total !== null && transfer.loaded >= transfer.total;
  const ownRegion = useRegions().data?.items.find((r) => r.code === user.regionCode);

  return (
    <div className="page upload-page" data-testid="upload-page">
      <PageHead
        title={u.newTitle}
        intro={u.newIntro}
        actions={
          <Link className="button" to="/uploads">
            {u.toHistory}
          </Link>
        }
      />

      <form ref={formRef} className="form upload-form" onSubmit={onSubmit} noValidate aria-busy={sending} data-testid="upload-form">
        <fieldset className="panel upload-step" disabled={sending}>
          <legend className="panel__title upload-step__title">{u.stepKind}</legend>
          <div className="kind-grid" role="radiogroup" aria-label={u.stepKind} aria-invalid={shown('kind') ? true : undefined}>
            {UPLOAD_KINDS.map((k) => (
              <KindCard key={k} kind={k} checked={kind === k} onChoose={() => setKind(k)} />
            ))}
          </div>
          {shown('kind') ? <p className="field__error">{shown('kind')}</p> : null}
          <p className="field__hint upload-step__hint">{u.templateHint}</p>
        </fieldset>

        <fieldset className="panel upload-step" disabled={sending}>
          <legend className="panel__title upload-step__title">{u.stepScope}</legend>
          {kind === null ? (
            <p className="muted">{t.validation.choose}</p>
          ) : (
            <div className="form-grid">
              {batchNeed(kind) !== 'none' ? (
                <div className="form-grid__wide">
                  <BatchPicker
                    value={batch}
                    onChange={setBatch}
                    label={u.batch}
                    hint={batchNeed(kind) === 'required' ? u.batchHintRequired : u.batchHintOptional}
                    required={batchNeed(kind) === 'required'}
                    error={shown('batch')}
                  />
                  {problems.batch === 'list-not-loaded' && batch ? <LoadResultsLink code={batch.code} /> : null}
                  {kind === 'batch-results' && !national && batch && batch.level !== 'provincial' ? (
                    <p className="notice notice--warn upload-step__notice" role="status">
                      {u.batchNationalOnly}
                    </p>
                  ) : null}
                </div>
              ) : null}
              {regionNeeded(kind, national) ? (
                <RegionChoice value={regionCode} onChange={setRegionCode} error={shown('region')} />
              ) : kind === 'agreed-volumes' || kind === 'purchases' ? (
                <p className="upload-step__fact" data-testid="own-region">
                  {u.ownRegion(ownRegion ? regionName(ownRegion, lang) : user.regionCode)}
                </p>
              ) : batchNeed(kind) === 'none' ? (
                <p className="muted form-grid__wide">{u.regionNotNeeded}</p>
              ) : null}
              {mappings.data && mappings.data.items.length > 0 ? (
                <Field label={u.savedMapping} hint={u.savedMappingHint}>
                  {(control) => (
                    <select
                      {...control}
                      className="input"
                      value={mappingId ?? ''}
                      onChange={(e) => setMappingId(e.target.value ? Number(e.target.value) : null)}
                      data-testid="saved-mapping"
                    >
                      <option value="">{u.savedMappingAuto}</option>
                      {mappings.data.items.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name} · {m.createdBy} · {formatDate(m.createdAt)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              ) : null}
            </div>
          )}
        </fieldset>

        <fieldset className="panel upload-step" disabled={sending}>
          <legend className="panel__title upload-step__title">{u.stepFile}</legend>
          <FileDrop
            maxBytes={maxBytes}
            file={file}
            onFile={(f) => {
              setFile(f);
              create.reset();
            }}
            error={shown('file')}
            disabled={sending}
          />
        </fieldset>

        <div className="upload-send" data-testid="upload-send">
          <div className="upload-send__progress" aria-live="polite">
            {sending && transfer ? (
              <>
                <ProgressBar
                  value={transfer.total ? transfer.loaded : 0}
                  max={transfer.total ?? 1}
                  label={u.sendLabel}
                  valueText={sentAll ? u.sentWaiting : formatTransfer(transfer.loaded, transfer.total, u)}
                />
                <p className="upload-send__text num" data-testid="upload-transfer">
                  {sentAll ? u.sentWaiting : formatTransfer(transfer.loaded, transfer.total, u)}
                </p>
              </>
            ) : create.isError && !(create.error instanceof DOMException) ? (
              <ErrorNotice error={create.error} title={u.uploadFailed} testId="upload-error">
                {isApiError(create.error, 'FORBIDDEN') && kind === 'batch-results' ? <p>{u.batchNationalOnly}</p> : null}
                {isApiError(create.error, 'CONFLICT') && kind && needsBatchList(kind) && batch ? <LoadResultsLink code={batch.code} /> : null}
              </ErrorNotice>
            ) : null}
          </div>
          <div className="form-actions">
            {sending ? (
              <button type="button" className="button" onClick={() => abortRef.current?.abort()} data-testid="upload-cancel">
                {u.cancelUpload}
              </button>
            ) : null}
            <button type="submit" className="button button--primary" disabled={sending} data-testid="upload-submit">
              {sending ? `${u.submitting}${transfer && transfer.total ? ` ${formatPercent(progressFraction(transfer.loaded, transfer.total), 0)}` : ''}` : u.submit}
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}

/** One kind as a radio card: its name, what it holds, its required columns and its templates. */
function KindCard({ kind, checked, onChoose }: { kind: UploadKind; checked: boolean; onChoose: () => void }) {
  const { u, lang } = useUploadText();
  const id = useId();
  const required = UPLOAD_COLUMNS[kind].filter((c) => c.required).map((c) => columnLabel(c, lang));
  return (
    <div className={`kind-card${checked ? ' is-checked' : ''}`} data-testid={`kind-${kind}`}>
      <label className="kind-card__choice" htmlFor={id}>
        <input id={id} type="radio" name="kind" value={kind} checked={checked} onChange={onChoose} data-testid={`kind-radio-${kind}`} />
        <span className="kind-card__text">
          <span className="kind-card__name">{UPLOAD_KIND_LABELS[kind][lang]}</span>
          <span className="kind-card__desc">{u.kinds[kind]}</span>
          <span className="kind-card__cols">
            {u.columnsRequired}
            {lang === 'zh' ? '：' : ': '}
            {joinNames(required, lang)}
          </span>
        </span>
      </label>
      <p className="kind-card__templates">
        <span className="visually-hidden">
          {UPLOAD_KIND_LABELS[kind][lang]} {u.template}:
        </span>
        <a href={templateUrl(kind, 'xlsx')} download data-testid={`template-${kind}-xlsx`}>
          {u.templateXlsx}
        </a>
        <a href={templateUrl(kind, 'csv')} download data-testid={`template-${kind}-csv`}>
          {u.templateCsv}
        </a>
      </p>
    </div>
  );
}

/** National users: which province the file's data belongs to. */
/**
 * `?batch=D3` chooses the batch (a link from a batch page, or from the refusal below): once, for each
 * code the address names, so the clerk can still clear it.
 */
function useBatchFromUrl(code: string | null, batch: BatchSummary | null, setBatch: (b: BatchSummary) => void) {
  const applied = useRef<string | null>(null);
  const wanted = code && applied.current !== code && batch?.code !== code ? code : null;
  const found = useQuery({ ...batchSearchQueryOptions({ q: wanted ?? '', type: null }), enabled: wanted !== null });
  useEffect(() => {
    if (!wanted) return;
    const match = found.data?.items.find((b) => b.code === wanted);
    if (!match) return;
    applied.current = wanted;
    setBatch(match);
  }, [wanted, found.data, setBatch]);
}

/** The way out of "this batch's list is not loaded": its results upload, with the batch chosen. */
function LoadResultsLink({ code }: { code: string }) {
  const { u } = useUploadText();
  return (
    <p className="upload-step__notice">
      <Link className="button button--small" to={`/uploads/new?kind=batch-results&batch=${encodeURIComponent(code)}`} data-testid="load-batch-results">
        {u.batchListLoadResults(code)}
      </Link>
    </p>
  );
}

function RegionChoice({ value, onChange, error }: { value: string | null; onChange: (code: string | null) => void; error?: string | undefined }) {
  const { t, u, lang } = useUploadText();
  const regions = useRegions();
  return (
    <Field label={u.region} hint={u.regionHint} error={error} required testId="upload-region-field">
      {(control) => (
        <select {...control} className="input" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid="upload-region">
          <option value="">{regions.data ? t.validation.choose : t.app.loadingRegions}</option>
          {(regions.data?.items ?? [])
            .filter((r) => r.code !== NATION_CODE)
            .map((r) => (
              <option key={r.code} value={r.code}>
                {regionName(r, lang)}
              </option>
            ))}
        </select>
      )}
    </Field>
  );
}
