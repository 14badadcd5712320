import { useEffect, useState } from 'react';
import type { UserView } from '@vbp/contracts/auth';
import { ROLE_LABELS, ROLES } from '@vbp/contracts/roles';
import { PageHead } from '../../../components/layout/page-head';
import { ConfirmDialog, Dialog } from '../../../components/ui/dialog';
import { ErrorNotice, errorText } from '../../../components/ui/error-notice';
import { FilterBar, FilterField, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { StackTable } from '../../../components/ui/table';
import { useToast } from '../../../components/ui/toast';
import { isNationalUser } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { formatDateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUrlFilters } from '../../../lib/search-params';
import { useUsers } from '../api/get-users';
import { useUpdateUser } from '../api/user-mutations';
import { parseUserFilters, userFiltersToParams, type UserFilters } from '../utils/user-filters';
import { ResetPasswordForm } from './reset-password-form';
import { UserForm } from './user-form';

type Action = { kind: 'create' } | { kind: 'edit'; user: UserView } | { kind: 'toggle'; user: UserView } | { kind: 'reset'; user: UserView } | null;

/** 用户管理 (manage:users): who may sign in, as what, for which region. Filters and page live in the URL. */
export function UsersPage() {
  const { t } = useI18n();
  const u = t.users;
  const [filters, go] = useUrlFilters(parseUserFilters, userFiltersToParams);
  const users = useUsers(filters);
  const [action, setAction] = useState<Action>(null);
  const toast = useToast();
  const toggle = useUpdateUser();
  const me = useSessionUser();
  const busy = users.isPlaceholderData || (users.isFetching && users.data !== undefined);

  useEffect(() => {
    document.title = `${u.title} · ${t.app.name}`;
  }, [t, u.title]);

  const close = () => {
    setAction(null);
    toggle.reset();
  };

  return (
    <div className="page" data-testid="users-page">
      <PageHead
        title={u.title}
        intro={u.intro}
        actions={
          <button type="button" className="button button--primary" onClick={() => setAction({ kind: 'create' })} data-testid="create-user">
            {u.create}
          </button>
        }
      />

      <UserFilterForm filters={filters} onApply={(f) => go({ ...f, page: 1 })} />

      <Panel title={u.listTitle} busy={busy} testId="users-panel">
        <PagedQueryContent query={users} empty={u.empty} skeletonLines={8} busy={busy} onPage={(page) => go({ ...filters, page })}>
          {(items) => <UsersTable users={items} onAction={setAction} />}
        </PagedQueryContent>
      </Panel>

      <Dialog open={action?.kind === 'create' || action?.kind === 'edit'} onClose={close} wide title={action?.kind === 'edit' ? u.editTitle(action.user.username) : u.createTitle} testId="user-dialog">
        {action?.kind === 'create' || action?.kind === 'edit' ? (
          <UserForm
            user={action.kind === 'edit' ? action.user : undefined}
            self={action.kind === 'edit' && action.user.id === me.id}
            onCancel={close}
            onDone={(saved) => {
              close();
              toast.notify(action.kind === 'create' ? u.created(saved.username) : u.updated(saved.username));
            }}
          />
        ) : null}
      </Dialog>

      <Dialog open={action?.kind === 'reset'} onClose={close} title={action?.kind === 'reset' ? u.resetTitle(action.user.username) : ''} testId="reset-dialog">
        {action?.kind === 'reset' ? <ResetPasswordForm user={action.user} onClose={close} /> : null}
      </Dialog>

      <ConfirmDialog
        open={action?.kind === 'toggle' && !action.user.disabled}
        onClose={close}
        title={u.disableTitle}
        body={action?.kind === 'toggle' ? u.disableBody(action.user.username) : ''}
        confirmLabel={u.disable}
        pendingLabel={u.saving}
        pending={toggle.isPending}
        danger
        error={toggle.isError ? <ErrorNotice error={toggle.error} title={t.dialog.saveFailed} /> : null}
        testId="disable-dialog"
        onConfirm={() => {
          if (action?.kind !== 'toggle') return;
          const user = action.user;
          toggle.mutate({ id: user.id, input: { disabled: true } }, { onSuccess: () => (close(), toast.notify(u.disabledDone(user.username))) });
        }}
      />
    </div>
  );
}

function UserFilterForm({ filters, onApply }: { filters: UserFilters; onApply: (f: UserFilters) => void }) {
  const { t, lang } = useI18n();
  const u = t.users;
  const regions = useRegions();
  const national = isNationalUser(useSessionUser());
  const [draft, setDraft] = useFilterDraft(filters, userFiltersToParams);
  return (
    <FilterBar
      label={u.search}
      testId="user-filters"
      onApply={() => onApply({ ...draft, q: draft.q?.trim() || undefined, page: 1 })}
      onClear={() => onApply({ page: 1 })}
      active={Boolean(filters.q || filters.role || filters.region)}
      applyLabel={u.apply}
      clearLabel={u.clear}
    >
      <FilterField label={u.search}>
        {(id) => <input id={id} className="input" type="search" placeholder={u.searchPlaceholder} value={draft.q ?? ''} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />}
      </FilterField>
      <FilterSelect label={u.role} anyLabel={u.anyRole} value={draft.role} options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r][lang] }))} onChange={(role) => setDraft({ ...draft, role })} />
      {national ? (
        <FilterSelect
          label={u.region}
          anyLabel={u.anyRegion}
          value={draft.region}
          options={(regions.data?.items ?? []).map((r) => ({ value: r.code, label: regionName(r, lang, true) }))}
          onChange={(region) => setDraft({ ...draft, region })}
        />
      ) : null}
    </FilterBar>
  );
}

function UsersTable({ users, onAction }: { users: UserView[]; onAction: (a: Action) => void }) {
  const { t, lang } = useI18n();
  const u = t.users;
  const me = useSessionUser();
  const regions = useRegions();
  const regionLabel = (code: string) => {
    const r = regions.data?.items.find((x) => x.code === code);
    return r ? regionName(r, lang, true) : code;
  };
  return (
    <StackTable columns={[u.username, u.displayName, u.role, u.region, u.status, u.lastLogin, u.actions]}>
      {users.map((user) => {
        const isSelf = user.id === me.id;
        return (
          <tr key={user.id} data-testid={`user-row-${user.username}`}>
            <th scope="row" data-label={u.username}>
              <span>
                <code>{user.username}</code>
                {isSelf ? <span className="muted">{u.you}</span> : null}
              </span>
            </th>
            <td data-label={u.displayName}>{user.displayName}</td>
            <td data-label={u.role}>{ROLE_LABELS[user.role][lang]}</td>
            <td data-label={u.region}>{regionLabel(user.regionCode)}</td>
            <td data-label={u.status}>
              <span className="tag-list">
                <span className={`tag ${user.disabled ? 'tag--warn' : 'tag--ok'}`} data-testid="user-status">
                  {user.disabled ? u.disabled : u.active}
                </span>
                {user.mustChangePassword ? (
                  <span className="tag" data-testid="user-must-change">
                    {u.mustChange}
                  </span>
                ) : null}
              </span>
            </td>
            <td data-label={u.lastLogin} className="nowrap">
              {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : <span className="muted">{u.never}</span>}
            </td>
            <td data-label={u.actions}>
              <span className="row-actions">
                <button type="button" className="button button--small" onClick={() => onAction({ kind: 'edit', user })} aria-label={`${u.edit} ${user.username}`} data-testid="edit-user">
                  {u.edit}
                </button>
                {isSelf ? null : (
                  <>
                    <ToggleButton user={user} onAction={onAction} />
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => onAction({ kind: 'reset', user })}
                      aria-label={`${u.resetPassword} ${user.username}`}
                      data-testid="reset-user-password"
                    >
                      {u.resetPassword}
                    </button>
                  </>
                )}
              </span>
            </td>
          </tr>
        );
      })}
    </StackTable>
  );
}

/** Disabling asks first (it ends the user's sessions); enabling happens at once. */
function ToggleButton({ user, onAction }: { user: UserView; onAction: (a: Action) => void }) {
  const { t, lang } = useI18n();
  const u = t.users;
  const toast = useToast();
  const enable = useUpdateUser();
  if (!user.disabled) {
    return (
      <button type="button" className="button button--small button--danger-quiet" onClick={() => onAction({ kind: 'toggle', user })} aria-label={`${u.disable} ${user.username}`} data-testid="disable-user">
        {u.disable}
      </button>
    );
  }
  return (
    <button
      type="button"
      className="button button--small"
      disabled={enable.isPending}
      onClick={() => enable.mutate({ id: user.id, input: { disabled: false } }, { onSuccess: () => toast.notify(u.enabledDone(user.username)), onError: (e) => toast.notify(errorText(e, lang)) })}
      aria-label={`${u.enable} ${user.username}`}
      data-testid="enable-user"
    >
      {u.enable}
    </button>
  );
}
