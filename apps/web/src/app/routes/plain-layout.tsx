import { Outlet } from 'react-router';
import { AppHeader } from '../../components/layout/app-header';
import { LanguageSwitch } from '../../components/layout/language-switch';
import { useI18n } from '../../lib/i18n/i18n-context';

/** The frame of the sign-in and change-password pages: the product bar with the language switch only. */
export function PlainLayout() {
  const { t } = useI18n();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <AppHeader name={t.app.name} tagline={t.app.tagline} homeHref="/" aside={<LanguageSwitch />} />
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>{t.app.footer}</p>
      </footer>
    </div>
  );
}
