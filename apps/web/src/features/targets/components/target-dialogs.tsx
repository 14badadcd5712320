import { lazy, Suspense, useState } from 'react';
import type { Region, TargetView } from '@vbp/contracts/api';
import { ConfirmDialog, Dialog } from '../../../components/ui/dialog';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Skeleton } from '../../../components/ui/skeleton';
import { useToast } from '../../../components/ui/toast';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useDocuments } from '../api/get-documents';
import { useDeleteTarget } from '../api/target-mutations';
import { targetLabel } from '../utils/target-label';

// The form is for the few who set targets: its code loads when first opened (or hovered).
const loadTargetForm = () => import('./target-form');
const TargetForm = lazy(loadTargetForm);

export type TargetEditing = { kind: 'create'; region: Region } | { kind: 'edit'; target: TargetView } | { kind: 'delete'; target: TargetView } | null;

/** What is being added, edited or deleted, and the way to close it (used by the overview and the targets page). */
export function useTargetEditing() {
  const [editing, setEditing] = useState<TargetEditing>(null);
  return { editing, setEditing, close: () => setEditing(null) };
}

/** "新增目标": loads the form's code as soon as the pointer or focus comes near. */
export function AddTargetButton({ onClick, disabled }: { onClick: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button button--small"
      onClick={onClick}
      onPointerEnter={() => void loadTargetForm()}
      onFocus={() => void loadTargetForm()}
      disabled={disabled}
      data-testid="add-target"
    >
      <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      {t.targetEdit.add}
    </button>
  );
}

/** 修改 / 删除 for one target row (only rendered for targets the user may change). */
export function TargetRowActions({ target, onEdit, onDelete }: { target: TargetView; onEdit: () => void; onDelete: () => void }) {
  const { t } = useI18n();
  const label = targetLabel(target, t);
  return (
    <span className="row-actions">
      <button
        type="button"
        className="button button--small"
        onClick={onEdit}
        onPointerEnter={() => void loadTargetForm()}
        aria-label={`${t.targetEdit.edit} ${label}`}
        data-testid="edit-target"
      >
        {t.targetEdit.edit}
      </button>
      <button type="button" className="button button--small button--danger-quiet" onClick={onDelete} aria-label={`${t.targetEdit.delete} ${label}`} data-testid="delete-target">
        {t.targetEdit.delete}
      </button>
    </span>
  );
}

/**
 * The add / edit dialog (the lazily loaded form) and the delete confirmation. `cited` are the targets on
 * screen: their documents are offered until the reference list arrives (or if it fails).
 */
export function TargetDialogs({ editing, onClose, cited }: { editing: TargetEditing; onClose: () => void; cited: readonly TargetView[] }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const remove = useDeleteTarget();
  const close = () => {
    onClose();
    remove.reset();
  };
  const documentList = useDocuments(editing !== null);
  const citedDocuments = cited.flatMap((x) => (x.source.documentCode ? [{ code: x.source.documentCode, titleZh: x.source.titleZh }] : []));
  const documents = [...new Map([...citedDocuments, ...(documentList.data?.items ?? [])].map((d) => [d.code, d])).values()].sort((a, b) => a.code.localeCompare(b.code));
  const formOpen = editing?.kind === 'create' || editing?.kind === 'edit';

  return (
    <>
      <Dialog
        open={formOpen}
        onClose={close}
        wide
        testId="target-dialog"
        title={
          editing?.kind === 'edit'
            ? t.targetEdit.editTitle(targetLabel(editing.target, t))
            : t.targetEdit.addTitle(editing?.kind === 'create' ? regionName(editing.region, lang) : '')
        }
      >
        <Suspense fallback={<Skeleton lines={8} />}>
          {editing?.kind === 'create' || editing?.kind === 'edit' ? (
            <TargetForm
              regionCode={editing.kind === 'create' ? editing.region.code : editing.target.ownerRegionCode}
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
    </>
  );
}
