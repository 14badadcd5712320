import { useState, type FormEvent } from 'react';
import type { UserView } from '@vbp/contracts/auth';
import { ROLE_LABELS, ROLE_PERMISSIONS, ROLES } from '@vbp/contracts/roles';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { useFocusFirstInvalid } from '../../../components/ui/use-focus-first-invalid';
import { isNationalUser, mayAct } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { fieldErrorsFromApi, hasErrors, type FieldErrors } from '../../../lib/validation';
import { useCreateUser, useUpdateUser } from '../api/user-mutations';
import { generatePassword } from '../utils/generate-password';
import { emptyUserForm, USER_FIELDS, userFormFromView, validateNewUser, validateUserChange, type UserField, type UserFormValues } from '../utils/user-form';
import { FormActions } from '../../../components/ui/form-actions';

/**
 * New user, or a change of name / role / region. Whether a user is enabled and their password are
 * separate actions (with their own confirmation). `self`: an administrator does not demote or move
 * their own account from here (they could lock themselves out).
 */
export function UserForm(props: { user?: UserView | undefined; self?: boolean; onDone: (user: UserView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const { user } = props;
  const me = useSessionUser();
  const regions = useRegions();
  // A provincial administrator manages their own province's accounts only.
  const regionOptions = (regions.data?.items ?? []).filter((r) => mayAct(me, 'manage:users', r.code));
  const [values, setValues] = useState<UserFormValues>(() =>
    user ? userFormFromView(user) : { ...emptyUserForm(), regionCode: isNationalUser(me) ? '' : me.regionCode, password: generatePassword() },
  );
  const [errors, setErrors] = useState<FieldErrors<UserField>>({});
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const { ref, focusFirstInvalid } = useFocusFirstInvalid<HTMLFormElement>();
  const u = t.users;

  const set = <K extends UserField>(field: K, value: UserFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const onSubmit = (ev: FormEvent) => {
    ev.preventDefault();
    const onError = (err: unknown) => {
      const fromApi = fieldErrorsFromApi(err, USER_FIELDS, lang);
      if (hasErrors(fromApi)) {
        setErrors(fromApi);
        focusFirstInvalid();
      }
    };
    if (user) {
      const checked = validateUserChange(user, values, lang, t.validation);
      if (!checked.ok) {
        setErrors(checked.errors);
        focusFirstInvalid();
        return;
      }
      if (Object.keys(checked.input).length === 0) {
        props.onCancel();
        return;
      }
      update.mutate({ id: user.id, input: checked.input }, { onSuccess: props.onDone, onError });
    } else {
      const checked = validateNewUser(values, lang, t.validation);
      if (!checked.ok) {
        setErrors(checked.errors);
        focusFirstInvalid();
        return;
      }
      create.mutate(checked.input, { onSuccess: props.onDone, onError });
    }
    setErrors({});
  };

  const apiFieldErrors = mutation.isError ? fieldErrorsFromApi(mutation.error, USER_FIELDS, lang) : {};
  const errorCount = Object.values(errors).filter(Boolean).length;

  return (
    <form className="form" onSubmit={onSubmit} noValidate ref={ref} data-testid="user-form">
      {errorCount > 0 ? (
        <p className="form__summary" role="alert">
          {t.validation.summary(errorCount)}
        </p>
      ) : null}
      <div className="form-grid">
        <Field label={u.username} error={errors.username} hint={user ? undefined : u.usernameHint} required={!user}>
          {(p) => (
            <input
              {...p}
              className="input"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
              readOnly={Boolean(user)}
              value={values.username}
              onChange={(e) => set('username', e.target.value)}
              data-testid="user-username"
            />
          )}
        </Field>
        <Field label={u.displayName} error={errors.displayName} required>
          {(p) => <input {...p} className="input" maxLength={64} value={values.displayName} onChange={(e) => set('displayName', e.target.value)} data-testid="user-display-name" />}
        </Field>
        <Field label={u.role} error={errors.role} required>
          {(p) => (
            <select {...p} className="input" value={values.role} disabled={props.self} onChange={(e) => set('role', e.target.value as UserFormValues['role'])} data-testid="user-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r][lang]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={u.region} error={errors.regionCode} required>
          {(p) => (
            <select {...p} className="input" value={values.regionCode} disabled={props.self || regions.isPending} onChange={(e) => set('regionCode', e.target.value)} data-testid="user-region">
              <option value="" disabled>
                {regions.isPending ? t.app.loadingRegions : t.validation.choose}
              </option>
              {regionOptions.map((r) => (
                <option key={r.code} value={r.code}>
                  {regionName(r, lang, true)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-grid__wide role-permissions">
          <p className="role-permissions__title">{u.permissions}:</p>
          <ul className="role-permissions__list">
            {ROLE_PERMISSIONS[values.role].map((perm) => (
              <li key={perm}>{u.permissionNames[perm]}</li>
            ))}
          </ul>
        </div>
        {user ? null : (
          <Field label={u.password} error={errors.password} hint={u.passwordHint} required className="form-grid__wide">
            {(p) => (
              <span className="input-row">
                <input
                  {...p}
                  className="input input--mono"
                  autoComplete="new-password"
                  spellCheck={false}
                  value={values.password}
                  onChange={(e) => set('password', e.target.value)}
                  data-testid="user-password"
                />
                <button type="button" className="button" onClick={() => set('password', generatePassword())}>
                  {u.generate}
                </button>
              </span>
            )}
          </Field>
        )}
      </div>
      {mutation.isError && !hasErrors(apiFieldErrors) ? <ErrorNotice error={mutation.error} title={t.dialog.saveFailed} testId="user-save-error" /> : null}
      <FormActions onCancel={props.onCancel} submitLabel={u.save} pendingLabel={u.saving} pending={mutation.isPending} submitTestId="user-save" />
    </form>
  );
}
