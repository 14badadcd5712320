import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import { useI18n } from '../../lib/i18n/i18n-context';

/** 403: the page exists, this account may not open it. */
export function ForbiddenPage() {
  const { t } = useI18n();
  const location = useLocation();
  useEffect(() => {
    document.title = `403 · ${t.forbidden.title} · ${t.app.name}`;
  }, [t]);
  return (
    <div className="page page--narrow" data-testid="forbidden">
      <h1 className="page__title">403 · {t.forbidden.title}</h1>
      <p>{t.forbidden.body}</p>
      <p>
        <code>{location.pathname}</code>
      </p>
      <p>
        <Link className="button" to="/">
          {t.forbidden.back}
        </Link>
      </p>
    </div>
  );
}
