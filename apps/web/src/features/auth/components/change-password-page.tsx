import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ChangePasswordInput } from '@vbp/contracts/auth';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { useToast } from '../../../components/ui/toast';
import { safeNextPath } from '../../../lib/auth/redirect';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { fieldErrorsFromApi, hasErrors, validateWith, type FieldErrors } from '../../../lib/validation';
import { useChangePassword } from '../api/change-password';
import { SignOutButton } from './sign-out-button';

type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword';
const FIELDS: PasswordField[] = ['currentPassword', 'newPassword', 'confirmPassword'];

/**
 * 修改密码. Forced (the guard sends users here while `mustChangePassword`): no way round it but signing
 * out. Otherwise reached from the header, with a way back.
 */
export function ChangePasswordPage() {
  const { t, lang } = useI18n();
  const user = useSessionUser();
  const forced = user.mustChangePassword;
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next')) ?? '/';
  const navigate = useNavigate();
  const toast = useToast();
  const change = useChangePassword();
  const [values, setValues] = useState<Record<PasswordField, string>>({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const [errors, setErrors] = useState<FieldErrors<PasswordField>>({});
  const refs = { currentPassword: useRef<HTMLInputElement>(null), newPassword: useRef<HTMLInputElement>(null), confirmPassword: useRef<HTMLInputElement>(null) };

  useEffect(() => {
    document.title = `${t.auth.changeTitle} · ${t.app.name}`;
  }, [t]);

  const set = (field: PasswordField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateWith<ChangePasswordInput, PasswordField>(ChangePasswordInput, values, lang, t.validation);
    const found: FieldErrors<PasswordField> = checked.ok ? {} : { ...checked.errors };
    if (!found.confirmPassword && values.confirmPassword !== values.newPassword) found.confirmPassword = t.auth.mismatch;
    if (!found.newPassword && values.newPassword && values.newPassword === values.currentPassword) found.newPassword = t.auth.sameAsCurrent;
    if (!checked.ok || hasErrors(found)) {
      setErrors(found);
      const first = FIELDS.find((f) => found[f]);
      if (first) refs[first].current?.focus();
      return;
    }
    setErrors({});
    change.mutate(checked.data, {
      onSuccess: () => {
        toast.notify(t.auth.changed);
        navigate(next, { replace: true });
      },
      onError: (err) => setErrors(fieldErrorsFromApi(err, FIELDS, lang)),
    });
  };

  const input = (field: PasswordField, autoComplete: string, testId: string) => (p: Parameters<Parameters<typeof Field>[0]['children']>[0]) => (
    <input
      {...p}
      ref={refs[field]}
      className="input"
      type="password"
      autoComplete={autoComplete}
      value={values[field]}
      onChange={(e) => set(field, e.target.value)}
      data-testid={testId}
    />
  );

  return (
    <div className="auth-page" data-testid="change-password-page" data-forced={forced}>
      <div className="auth-card">
        <h1 className="page__title">{t.auth.changeTitle}</h1>
        <p className="auth-card__intro">
          {user.displayName} <span className="muted">({user.username})</span>
        </p>
        <p className={forced ? 'banner' : 'auth-card__intro'} data-testid={forced ? 'must-change-notice' : undefined}>
          {forced ? t.auth.mustChangeIntro : t.auth.changeIntro}
        </p>
        <form className="form" onSubmit={onSubmit} noValidate>
          <Field label={t.auth.currentPassword} error={errors.currentPassword} required>
            {input('currentPassword', 'current-password', 'current-password')}
          </Field>
          <Field label={t.auth.newPassword} error={errors.newPassword} hint={t.auth.passwordHint} required>
            {input('newPassword', 'new-password', 'new-password')}
          </Field>
          <Field label={t.auth.confirmPassword} error={errors.confirmPassword} required>
            {input('confirmPassword', 'new-password', 'confirm-password')}
          </Field>
          {change.isError && !hasErrors(fieldErrorsFromApi(change.error, FIELDS, lang)) ? (
            <ErrorNotice error={change.error} title={t.auth.changeTitle} testId="change-password-error" />
          ) : null}
          <div className="form-actions form-actions--start">
            <button type="submit" className="button button--primary" disabled={change.isPending} data-testid="change-password-submit">
              {change.isPending ? t.auth.saving : t.auth.save}
            </button>
            {forced ? (
              <SignOutButton className="button" />
            ) : (
              <Link className="button" to={next}>
                {t.auth.back}
              </Link>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
