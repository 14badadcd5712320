import { Outlet, useLocation } from 'react-router';
import { AppHeader } from '../../components/layout/app-header';
import { DateControl } from '../../components/layout/date-control';
import { LanguageSwitch } from '../../components/layout/language-switch';
import { RegionSelect } from '../../features/regions/components/region-select';
import { todayInChina } from '@vbp/contracts/dates';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useViewParams } from '../../lib/view-params';

/** Header with the view's controls, the page, and a footer that names the sources. */
export function RootLayout() {
  const { t } = useI18n();
  const { region, date, setRegion, setDate } = useViewParams();
  const location = useLocation();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <AppHeader name={t.app.name} tagline={t.app.tagline} homeHref={`/${location.search}`} aside={<LanguageSwitch />}>
        <RegionSelect value={region} onChange={setRegion} />
        <DateControl value={date} onChange={setDate} />
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
