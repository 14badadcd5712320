import { useState } from 'react';
import type { UploadView } from '@vbp/contracts/uploads';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { useToast } from '../../../components/ui/toast';
import { useCan } from '../../../lib/auth/can';
import { useRevertUpload } from '../api/upload-mutations';
import { useUploadText } from '../i18n/use-upload-text';
import { isRevertible, uploadDataRegion } from '../utils/upload-status';

/**
 * 撤销, with a confirmation that spells out what happens, for a committed upload and a user with
 * `revert:uploads` for the region whose data it changed. Nothing is rendered otherwise.
 */
export function RevertButton({ view, small = false }: { view: Pick<UploadView, 'id' | 'status' | 'regionCode' | 'fileName'>; small?: boolean }) {
  const { u } = useUploadText();
  const allowed = useCan('revert:upload', uploadDataRegion(view));
  const [open, setOpen] = useState(false);
  const revert = useRevertUpload();
  const toast = useToast();
  if (!allowed || !isRevertible(view.status)) return null;
  const close = () => {
    setOpen(false);
    revert.reset();
  };
  return (
    <>
      <button type="button" className={`button button--danger-quiet${small ? ' button--small' : ''}`} onClick={() => setOpen(true)} data-testid="revert-upload">
        {u.revert}
      </button>
      <ConfirmDialog
        open={open}
        title={`${u.revertTitle} · #${view.id}`}
        body={u.revertBody(view.fileName)}
        confirmLabel={u.revertConfirm}
        pendingLabel={u.reverting}
        pending={revert.isPending}
        danger
        error={revert.isError ? <ErrorNotice error={revert.error} title={u.revertFailed} /> : undefined}
        onConfirm={() =>
          revert.mutate(view.id, {
            onSuccess: () => {
              toast.notify(u.revertDone(view.id));
              close();
            },
          })
        }
        onClose={close}
        testId="revert-dialog"
      />
    </>
  );
}
