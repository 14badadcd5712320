import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, closes on Escape and returns
 * focus to the button that opened it. Mounted only while open, so a form inside starts fresh each time.
 */
export function Dialog(props: { open: boolean; onClose: () => void; title: ReactNode; children: ReactNode; testId?: string; wide?: boolean }) {
  if (!props.open) return null;
  return <OpenDialog {...props} />;
}

function OpenDialog({ onClose, title, children, testId, wide }: { onClose: () => void; title: ReactNode; children: ReactNode; testId?: string; wide?: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog--wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: let React decide (the parent unmounts the dialog), so state and DOM agree.
        e.preventDefault();
        onCloseRef.current();
      }}
    >
      <div className="dialog__head">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button type="button" className="dialog__close" onClick={() => onCloseRef.current()} aria-label={t.dialog.close} title={t.dialog.close}>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      <div className="dialog__body">{children}</div>
    </dialog>
  );
}

/** "Are you sure?" with the consequence spelled out; the confirming button names the action. */
export function ConfirmDialog(props: {
  open: boolean;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error?: ReactNode;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Dialog open={props.open} onClose={props.onClose} title={props.title} testId={props.testId}>
      <p className="dialog__text">{props.body}</p>
      {props.error ?? null}
      <div className="form-actions">
        <button type="button" className="button" onClick={props.onClose} autoFocus>
          {t.dialog.cancel}
        </button>
        <button
          type="button"
          className={`button ${props.danger ? 'button--danger' : 'button--primary'}`}
          onClick={props.onConfirm}
          disabled={props.pending}
          data-testid="confirm-button"
        >
          {props.pending ? props.pendingLabel : props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
