import { useI18n } from '../../lib/i18n/i18n-context';

/** Cancel and submit at the foot of a form; the submit button says it is working while `pending`. */
export function FormActions(props: { onCancel: () => void; submitLabel: string; pendingLabel: string; pending: boolean; submitTestId: string }) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="button" className="button" onClick={props.onCancel}>
        {t.dialog.cancel}
      </button>
      <button type="submit" className="button button--primary" disabled={props.pending} data-testid={props.submitTestId}>
        {props.pending ? props.pendingLabel : props.submitLabel}
      </button>
    </div>
  );
}
