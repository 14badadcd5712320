import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Action } from '@vbp/contracts/policy';
import { AppHeader } from '../../components/layout/app-header';
import { LanguageSwitch } from '../../components/layout/language-switch';
import { ErrorNotice } from '../../components/ui/error-notice';
import { Skeleton } from '../../components/ui/skeleton';
import { useCan } from '../../lib/auth/can';
import { useMe } from '../../lib/auth/me';
import { loginPath } from '../../lib/auth/redirect';
import { SessionProvider } from '../../lib/auth/session-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { ForbiddenPage } from './forbidden';

/**
 * The route guard. Nobody signed in → /login?next=<here>; a password that must change → the form for it
 * first; otherwise the session is provided to everything below. The API is the real guard: this only
 * spares users pages that would answer 401.
 */
export function RequireAuth({ children, allowPasswordChange = false }: { children?: ReactNode; allowPasswordChange?: boolean }) {
  const me = useMe();
  const location = useLocation();
  if (me.data === undefined) {
    return me.isError ? <SessionError error={me.error} onRetry={() => void me.refetch()} /> : <SessionLoading />;
  }
  if (me.data === null) return <Navigate to={loginPath(location)} replace />;
  if (me.data.user.mustChangePassword && !allowPasswordChange) {
    const here = `${location.pathname}${location.search}`;
    return <Navigate to={here === '/' ? '/change-password' : `/change-password?next=${encodeURIComponent(here)}`} replace />;
  }
  return <SessionProvider me={me.data}>{children ?? <Outlet />}</SessionProvider>;
}

/** Pages for some roles only: others get a 403 page (the nav does not offer them the link either). */
export function RequirePermission({ action, children }: { action: Action; children: ReactNode }) {
  const allowed = useCan(action);
  return <>{allowed ? children : <ForbiddenPage />}</>;
}

/** While the session is asked for: the product bar and grey lines where the page will be, so nothing jumps. */
function SessionShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="app">
      <AppHeader name={t.app.name} tagline={t.app.tagline} homeHref="/" aside={<LanguageSwitch />} />
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function SessionLoading() {
  const { t } = useI18n();
  return (
    <SessionShell>
      <div className="page" aria-busy="true" data-testid="session-loading">
        <span className="visually-hidden" role="status">
          {t.auth.checking}
        </span>
        <div className="page__head">
          <Skeleton lines={2} />
        </div>
        <Skeleton lines={8} />
      </div>
    </SessionShell>
  );
}

function SessionError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <SessionShell>
      <div className="page page--narrow">
        <ErrorNotice error={error} onRetry={onRetry} />
      </div>
    </SessionShell>
  );
}
