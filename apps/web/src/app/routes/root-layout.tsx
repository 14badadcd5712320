import { Outlet, useLocation } from 'react-router';
import { AppHeader } from '../../components/layout/app-header';
import { AppNav, type NavItem } from '../../components/layout/app-nav';
import { DateControl } from '../../components/layout/date-control';
import { LanguageSwitch } from '../../components/layout/language-switch';
import { UserMenu } from '../../features/auth/components/user-menu';
import { RegionSelect } from '../../features/regions/components/region-select';
import { todayInChina } from '@vbp/contracts/dates';
import { useCan } from '../../lib/auth/can';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useViewParams } from '../../lib/view-params';

const VIEW_PAGES = new Set(['/', '/execution', '/contracts', '/reconciliation']);

/** Header with navigation, the view's controls (on the overview), the account; the page; a footer naming the sources. */
export function RootLayout() {
  const { t } = useI18n();
  const location = useLocation();
  const onOverview = location.pathname === '/';
  // Pages that show one region as of one date carry the region selector and the date in the header.
  const hasViewControls = VIEW_PAGES.has(location.pathname);
  const canManageUsers = useCan('manage:user');
  const canReadAudit = useCan('read:audit');
  // Clerks upload; offices review the history and revert (`revert:uploads`); both read it (`read:uploads`).
  const canUpload = useCan('create:upload');
  const canReadUploads = useCan('read:upload');
  const nav: NavItem[] = [
    { to: '/', label: t.nav.overview, testId: 'nav-overview', end: true },
    { to: '/targets', label: t.nav.targets, testId: 'nav-targets' },
    { to: '/batches', label: t.nav.batches, testId: 'nav-batches' },
    { to: '/execution', label: t.nav.execution, testId: 'nav-execution' },
    { to: '/follow-ups', label: t.nav.followUps, testId: 'nav-follow-ups' },
    { to: '/contracts', label: t.nav.contracts, testId: 'nav-contracts' },
    { to: '/reconciliation', label: t.nav.reconciliation, testId: 'nav-reconciliation' },
    { to: '/settings', label: t.nav.settings, testId: 'nav-settings' },
    ...(canUpload ? [{ to: '/uploads/new', label: t.nav.upload, testId: 'nav-upload' }] : []),
    ...(canReadUploads ? [{ to: '/uploads', label: t.nav.uploads, testId: 'nav-uploads', end: true }] : []),
    ...(canManageUsers ? [{ to: '/admin/users', label: t.nav.users, testId: 'nav-users' }] : []),
    ...(canReadAudit ? [{ to: '/admin/audit', label: t.nav.audit, testId: 'nav-audit' }] : []),
  ];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <AppHeader
        name={t.app.name}
        tagline={t.app.tagline}
        homeHref={onOverview ? `/${location.search}` : '/'}
        nav={<AppNav items={nav} label={t.nav.label} />}
        aside={
          <>
            <LanguageSwitch />
            <UserMenu />
          </>
        }
      >
        {hasViewControls ? <ViewControls /> : null}
      </AppHeader>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>{t.app.footer}</p>
        <p className="print-only">{t.app.printedAt(todayInChina())}</p>
      </footer>
    </div>
  );
}

function ViewControls() {
  const { region, date, setRegion, setDate } = useViewParams();
  return (
    <>
      <RegionSelect value={region} onChange={setRegion} />
      <DateControl value={date} onChange={setDate} />
    </>
  );
}
