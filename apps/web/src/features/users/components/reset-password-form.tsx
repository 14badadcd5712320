import { useState, type FormEvent } from 'react';
import { ResetPasswordInput, type UserView } from '@vbp/contracts/auth';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { fieldErrorsFromApi, validateWith, type FieldErrors } from '../../../lib/validation';
import { useResetPassword } from '../api/user-mutations';
import { generatePassword } from '../utils/generate-password';
import { FormActions } from '../../../components/ui/form-actions';
import { GeneratedPasswordInput } from './generated-password-input';

/** A temporary password for `user`; once set, says plainly that they must change it at next sign-in. */
export function ResetPasswordForm({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { t, lang } = useI18n();
  const u = t.users;
  const reset = useResetPassword();
  const [password, setPassword] = useState(generatePassword);
  const [errors, setErrors] = useState<FieldErrors<'newPassword'>>({});

  if (reset.isSuccess) {
    return (
      <div className="form" data-testid="reset-done">
        <p className="notice notice--ok" role="status">
          {u.resetDone(user.username)}
        </p>
        <p>
          {u.newPassword}: <code className="input--mono" data-testid="reset-password-value">{password}</code>
        </p>
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={onClose} autoFocus>
            {t.dialog.close}
          </button>
        </div>
      </div>
    );
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateWith<{ newPassword: string }, 'newPassword'>(ResetPasswordInput, { newPassword: password }, lang, t.validation);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    reset.mutate({ id: user.id, newPassword: checked.data.newPassword }, { onError: (err) => setErrors(fieldErrorsFromApi(err, ['newPassword'], lang)) });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="reset-password-form">
      <p>{u.resetBody}</p>
      <Field label={u.newPassword} error={errors.newPassword} hint={t.auth.passwordHint} required>
        {(p) => <GeneratedPasswordInput control={p} value={password} onChange={setPassword} testId="reset-password-input" />}
      </Field>
      {reset.isError && !errors.newPassword ? <ErrorNotice error={reset.error} title={t.dialog.saveFailed} /> : null}
      <FormActions onCancel={onClose} submitLabel={u.resetPassword} pendingLabel={u.saving} pending={reset.isPending} submitTestId="reset-password-submit" />
    </form>
  );
}
