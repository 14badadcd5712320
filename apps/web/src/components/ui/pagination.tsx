import { useI18n } from '../../lib/i18n/i18n-context';

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

/** Previous / next with "page 2 of 5 · 120 in all". Both buttons keep their place when disabled. */
export function Pagination(props: { page: number; pageSize: number; total: number; onPage: (page: number) => void; busy?: boolean }) {
  const { t } = useI18n();
  const pages = pageCount(props.total, props.pageSize);
  return (
    <nav className="pagination" aria-label={t.pagination.label} data-testid="pagination">
      <button type="button" className="button button--small" onClick={() => props.onPage(props.page - 1)} disabled={props.page <= 1 || props.busy}>
        {t.pagination.previous}
      </button>
      <span className="pagination__status" aria-live="polite">
        {t.pagination.page(props.page, pages)} · {t.pagination.total(props.total)}
      </span>
      <button type="button" className="button button--small" onClick={() => props.onPage(props.page + 1)} disabled={props.page >= pages || props.busy}>
        {t.pagination.next}
      </button>
    </nav>
  );
}
