import { CreateUserInput, UpdateUserInput, type UserView } from '@vbp/contracts/auth';
import type { Role } from '@vbp/contracts/roles';
import type { Lang } from '../../../lib/i18n/types';
import type { Dictionary } from '../../../lib/i18n/zh';
import { validateWith, type FieldErrors } from '../../../lib/validation';

export interface UserFormValues {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  password: string;
}
export type UserField = keyof UserFormValues;
export const USER_FIELDS: readonly UserField[] = ['username', 'displayName', 'role', 'regionCode', 'password'];

export function emptyUserForm(): UserFormValues {
  return { username: '', displayName: '', role: 'office', regionCode: '', password: '' };
}

export function userFormFromView(u: UserView): UserFormValues {
  return { username: u.username, displayName: u.displayName, role: u.role, regionCode: u.regionCode, password: '' };
}

export function validateNewUser(
  v: UserFormValues,
  lang: Lang,
  t: Dictionary['validation'],
): { ok: true; input: CreateUserInput } | { ok: false; errors: FieldErrors<UserField> } {
  const checked = validateWith<CreateUserInput, UserField>(
    CreateUserInput,
    { username: v.username.trim(), displayName: v.displayName, role: v.role, regionCode: v.regionCode || undefined, password: v.password },
    lang,
    t,
  );
  return checked.ok ? { ok: true, input: checked.data } : { ok: false, errors: checked.errors };
}

/** Only what changed is sent, so the audit log records the change and nothing else. */
export function validateUserChange(
  original: UserView,
  v: UserFormValues,
  lang: Lang,
  t: Dictionary['validation'],
): { ok: true; input: UpdateUserInput } | { ok: false; errors: FieldErrors<UserField> } {
  const raw: Record<string, unknown> = {};
  if (v.displayName.trim() !== original.displayName) raw.displayName = v.displayName;
  if (v.role !== original.role) raw.role = v.role;
  if (v.regionCode !== original.regionCode) raw.regionCode = v.regionCode || undefined;
  const checked = validateWith<UpdateUserInput, UserField>(UpdateUserInput, raw, lang, t);
  return checked.ok ? { ok: true, input: checked.data } : { ok: false, errors: checked.errors };
}
