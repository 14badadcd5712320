import { useState } from 'react';
import { Link } from 'react-router';
import { addDays, isIsoDate, todayInChina } from '@vbp/contracts/dates';
import { FOLLOW_UP_REASONS, type FollowUpReason } from '@vbp/contracts/enums';
import { Dialog } from '../../../components/ui/dialog';
import { Field } from '../../../components/ui/field';
import { FormActions } from '../../../components/ui/form-actions';
import { FormErrorSummary, SaveError, useFieldForm } from '../../../components/ui/field-form';
import { useToast } from '../../../components/ui/toast';
import { useCan } from '../../../lib/auth/can';
import { useCreateFollowUp } from '../api/follow-up-mutations';
import { useFollowUpsText } from '../i18n/use-follow-ups-text';
import './follow-ups.css';

export interface FollowUpTarget {
  region: string;
  institutionId: number;
  institutionName: string;
  /** An institution × variety row; the institution as a whole without one. */
  variety?: { id: number; name: string } | undefined;
  batchCode?: string | undefined;
}

const FIELDS = ['reason', 'note', 'dueOn'] as const;
type Values = { reason: FollowUpReason; note: string; dueOn: string };

/**
 * 加入督办 on a lagging row of the execution page: a small form (reason, note, due date). Shown only to users
 * who may write follow-ups for the region (the API refuses the rest anyway).
 */
export function AddFollowUpButton({ target }: { target: FollowUpTarget }) {
  const { f } = useFollowUpsText();
  const allowed = useCan('write:follow-up', target.region);
  const [open, setOpen] = useState(false);
  const [added, setAdded] = useState(false);
  if (!allowed) return null;
  return (
    <>
      {added ? (
        <Link className="follow-up-added" to={`/follow-ups?region=${target.region}`} data-testid="follow-up-added">
          {f.added} →
        </Link>
      ) : (
        <button type="button" className="button button--small follow-up-add" onClick={() => setOpen(true)} data-testid="follow-up-add">
          {f.add}
        </button>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} title={f.addTitle(target.institutionName)} testId="follow-up-add-dialog">
        <AddFollowUpForm
          target={target}
          onCancel={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            setAdded(true);
          }}
        />
      </Dialog>
    </>
  );
}

function AddFollowUpForm({ target, onCancel, onDone }: { target: FollowUpTarget; onCancel: () => void; onDone: () => void }) {
  const { f } = useFollowUpsText();
  const toast = useToast();
  const create = useCreateFollowUp();
  const { ref, values, set, errors, onApiError, handleSubmit } = useFieldForm<Values>(() => ({ reason: 'late_purchase', note: '', dueOn: addDays(todayInChina(), 30) }), FIELDS);
  const onSubmit = handleSubmit(
    () => (isIsoDate(values.dueOn) ? { ok: true as const, input: values } : { ok: false as const, errors: { dueOn: f.dueRequired } }),
    (input) =>
      create.mutate(
        {
          regionCode: target.region,
          institutionId: target.institutionId,
          varietyId: target.variety?.id ?? null,
          batchCode: target.batchCode ?? null,
          reason: input.reason,
          note: input.note.trim() || null,
          dueOn: input.dueOn,
        },
        {
          onSuccess: () => {
            toast.notify(f.added);
            onDone();
          },
          onError: onApiError,
        },
      ),
  );
  return (
    <form className="form" onSubmit={onSubmit} noValidate ref={ref} data-testid="follow-up-add-form">
      <FormErrorSummary errors={errors} />
      <p className="muted">{target.variety ? f.varietyScope(target.variety.name) : f.wholeInstitution}</p>
      <div className="form-grid">
        <Field label={f.reason} error={errors.reason} required>
          {(p) => (
            <select {...p} className="input" value={values.reason} onChange={(ev) => set('reason', ev.target.value as FollowUpReason)} data-testid="follow-up-reason">
              {FOLLOW_UP_REASONS.map((r) => (
                <option key={r} value={r}>
                  {f.reasons[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={f.dueOn} error={errors.dueOn} required>
          {(p) => <input {...p} className="input" type="date" value={values.dueOn} onChange={(ev) => set('dueOn', ev.target.value)} data-testid="follow-up-due-on" />}
        </Field>
        <Field label={f.note} error={errors.note} className="form-grid__wide">
          {(p) => <textarea {...p} className="input" rows={3} maxLength={2000} value={values.note} onChange={(ev) => set('note', ev.target.value)} data-testid="follow-up-note" />}
        </Field>
      </div>
      <SaveError error={create.error} fields={FIELDS} testId="follow-up-add-error" />
      <FormActions onCancel={onCancel} submitLabel={f.add} pendingLabel={f.adding} pending={create.isPending} submitTestId="follow-up-add-submit" />
    </form>
  );
}
