import { lazy, Suspense, useState } from 'react';
import type { Overview, TargetView } from '@vbp/contracts/api';
import { ConfirmDialog, Dialog } from '../../../components/ui/dialog';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { StatusBadge } from '../../../components/ui/status-badge';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatApprox, formatCount, formatDate, formatPercent } from '../../../lib/format';
import { useToast } from '../../../components/ui/toast';
import { Can } from '../../../lib/auth/can';
import { mayAct } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useDeleteTarget } from '../api/target-mutations';
import { useDocuments } from '../api/get-documents';
import { targetLabel } from '../utils/targets';
import { sortTargets } from '../utils/targets';
import { SourceRef } from './source-ref';
import type { OverviewQuery } from './overview-query';

// The form is for the few who set targets: its code loads when first opened (or hovered).
const loadTargetForm = () => import('./target-form');
const TargetForm = lazy(loadTargetForm);

type Editing = { kind: 'create' } | { kind: 'edit'; target: TargetView } | { kind: 'delete'; target: TargetView } | null;

/**
 * Every target the region is measured against: its own and the national per-province ones. Users who
 * may set targets for the region (write:targets, own province; national users everywhere) can add, edit
 * and delete; everyone else sees the table only.
 */
export function TargetsPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const region = query.data?.region;
  const [editing, setEditing] = useState<Editing>(null);
  const remove = useDeleteTarget();
  const close = () => {
    setEditing(null);
    remove.reset();
  };
  // the reference documents once the form opens; until then (or if that fails) the ones cited on the page
  const documentList = useDocuments(editing !== null);
  const cited = (query.data?.targets ?? []).flatMap((x) => (x.source.documentCode ? [{ code: x.source.documentCode, titleZh: x.source.titleZh }] : []));
  const documents = [...new Map([...cited, ...(documentList.data?.items ?? [])].map((d) => [d.code, d])).values()].sort((a, b) => a.code.localeCompare(b.code));

  return (
    <Panel
      title={t.targets.title}
      busy={busy}
      testId="targets-panel"
      actions={
        region ? (
          <Can permission="write:targets" region={region.code}>
            <button
              type="button"
              className="button button--small"
              onClick={() => setEditing({ kind: 'create' })}
              onPointerEnter={() => void loadTargetForm()}
              onFocus={() => void loadTargetForm()}
              disabled={busy}
              data-testid="add-target"
            >
              <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
              </svg>
              {t.targetEdit.add}
            </button>
          </Can>
        ) : null
      }
    >
      <QueryContent query={query} isEmpty={(o) => o.targets.length === 0} empty={t.targets.empty} skeleton={<Skeleton lines={4} />}>
        {(o) => <TargetsTable overview={o} onEdit={(target) => setEditing({ kind: 'edit', target })} onDelete={(target) => setEditing({ kind: 'delete', target })} />}
      </QueryContent>

      <Dialog
        open={editing?.kind === 'create' || editing?.kind === 'edit'}
        onClose={close}
        wide
        testId="target-dialog"
        title={
          editing?.kind === 'edit'
            ? t.targetEdit.editTitle(targetLabel(editing.target, t))
            : t.targetEdit.addTitle(region ? regionName(region, lang) : '')
        }
      >
        <Suspense fallback={<Skeleton lines={8} />}>
          {region && (editing?.kind === 'create' || editing?.kind === 'edit') ? (
            <TargetForm
              regionCode={region.code}
              target={editing.kind === 'edit' ? editing.target : undefined}
              documents={documents}
              onCancel={close}
              onDone={(outcome) => {
                close();
                toast.notify(outcome === 'created' ? t.targetEdit.created : t.targetEdit.updated);
              }}
            />
          ) : null}
        </Suspense>
      </Dialog>

      <ConfirmDialog
        open={editing?.kind === 'delete'}
        onClose={close}
        testId="delete-target-dialog"
        title={t.targetEdit.deleteTitle}
        body={editing?.kind === 'delete' ? t.targetEdit.deleteBody(targetLabel(editing.target, t)) : ''}
        confirmLabel={t.targetEdit.deleteConfirm}
        pendingLabel={t.targetEdit.deleting}
        pending={remove.isPending}
        danger
        error={remove.isError ? <ErrorNotice error={remove.error} title={t.dialog.saveFailed} /> : null}
        onConfirm={() => {
          if (editing?.kind !== 'delete') return;
          remove.mutate(editing.target.id, {
            onSuccess: () => {
              close();
              toast.notify(t.targetEdit.deleted);
            },
          });
        }}
      />
    </Panel>
  );
}

function TargetsTable({ overview, onEdit, onDelete }: { overview: Overview; onEdit: (t: TargetView) => void; onDelete: (t: TargetView) => void }) {
  const { t, lang } = useI18n();
  const user = useSessionUser();
  const targets = sortTargets(overview.targets);
  const editable = (target: TargetView) => mayAct(user, 'write:targets', target.ownerRegionCode);
  const anyEditable = targets.some(editable);
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
          {anyEditable ? <th scope="col">{t.targetEdit.actions}</th> : null}
        </tr>
      </thead>
      <tbody>
        {targets.map((target) => {
          const p = target.progress;
          return (
            <tr key={target.id} data-testid={`target-${target.code}`}>
              <th scope="row" data-label={t.targets.target}>
                <span className="cell-main nowrap">
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
              {anyEditable ? (
                <td data-label={t.targetEdit.actions}>
                  {editable(target) ? (
                    <span className="row-actions">
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => onEdit(target)}
                        aria-label={`${t.targetEdit.edit} ${targetLabel(target, t)}`}
                        data-testid="edit-target"
                      >
                        {t.targetEdit.edit}
                      </button>
                      <button
                        type="button"
                        className="button button--small button--danger-quiet"
                        onClick={() => onDelete(target)}
                        aria-label={`${t.targetEdit.delete} ${targetLabel(target, t)}`}
                        data-testid="delete-target"
                      >
                        {t.targetEdit.delete}
                      </button>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
