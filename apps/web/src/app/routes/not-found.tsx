import { Link, useLocation } from 'react-router';
import { useI18n } from '../../lib/i18n/i18n-context';

export function NotFoundPage() {
  const { t } = useI18n();
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  const keep = new URLSearchParams();
  for (const key of ['region', 'date']) {
    const v = search.get(key);
    if (v) keep.set(key, v);
  }
  const qs = keep.toString();
  return (
    <div className="page page--narrow" data-testid="not-found">
      <h1 className="page__title">404 · {t.notFound.title}</h1>
      <p>{t.notFound.body}</p>
      <p>
        <code>{location.pathname}</code>
      </p>
      <Link className="button" to={qs ? `/?${qs}` : '/'}>
        {t.notFound.back}
      </Link>
    </div>
  );
}
