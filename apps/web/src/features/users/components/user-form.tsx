import type { UserView } from '@vbp/contracts/auth';
import { ROLE_LABELS, ROLE_PERMISSIONS, ROLES } from '@vbp/contracts/roles';
import { Field } from '../../../components/ui/field';
import { FormActions } from '../../../components/ui/form-actions';
import { FormErrorSummary, SaveError, useFieldForm } from '../../../components/ui/field-form';
import { isNationalUser, mayAct } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useCreateUser, useUpdateUser } from '../api/user-mutations';
import { generatePassword } from '../utils/generate-password';
import { emptyUserForm, USER_FIELDS, userFormFromView, validateNewUser, validateUserChange, type UserFormValues } from '../utils/user-form';
import { GeneratedPasswordInput } from './generated-password-input';

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
  const regionOptions = (regions.data?.items ?? []).filter((r) => mayAct(me, 'manage:user', r.code));
  const { ref, values, set, errors, onApiError, handleSubmit } = useFieldForm<UserFormValues>(
    () => (user ? userFormFromView(user) : { ...emptyUserForm(), regionCode: isNationalUser(me) ? '' : me.regionCode, password: generatePassword() }),
    USER_FIELDS,
  );
  const create = useCreateUser();
  const update = useUpdateUser();
  const mutation = user ? update : create;
  const u = t.users;

  const onSubmit = user
    ? handleSubmit(
        () => validateUserChange(user, values, lang, t.validation),
        // Nothing changed: nothing to send (and nothing for the audit log).
        (input) => (Object.keys(input).length === 0 ? props.onCancel() : update.mutate({ id: user.id, input }, { onSuccess: props.onDone, onError: onApiError })),
      )
    : handleSubmit(
        () => validateNewUser(values, lang, t.validation),
        (input) => create.mutate(input, { onSuccess: props.onDone, onError: onApiError }),
      );

  return (
    <form className="form" onSubmit={onSubmit} noValidate ref={ref} data-testid="user-form">
      <FormErrorSummary errors={errors} />
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
            {(p) => <GeneratedPasswordInput control={p} value={values.password} onChange={(v) => set('password', v)} testId="user-password" />}
          </Field>
        )}
      </div>
      <SaveError error={mutation.error} fields={USER_FIELDS} testId="user-save-error" />
      <FormActions onCancel={props.onCancel} submitLabel={u.save} pendingLabel={u.saving} pending={mutation.isPending} submitTestId="user-save" />
    </form>
  );
}
