import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/i18n-context';
import { QueryContent } from './panel';
import { Skeleton } from './skeleton';

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

/** One page of a list as the API sends it. */
export interface ListPage {
  items: readonly unknown[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * A paged list query's states (placeholder lines while loading, the error, `empty` when the page has no
 * items), then the items as the caller draws them and the pagination below them.
 */
export function PagedQueryContent<D extends ListPage>(props: {
  query: Pick<UseQueryResult<D>, 'data' | 'error' | 'isError' | 'refetch'>;
  empty: ReactNode;
  skeletonLines: number;
  busy: boolean;
  onPage: (page: number) => void;
  children: (items: D['items']) => ReactNode;
}) {
  return (
    <QueryContent query={props.query} isEmpty={(d) => d.items.length === 0} empty={props.empty} skeleton={<Skeleton lines={props.skeletonLines} />}>
      {(data) => (
        <>
          {props.children(data.items)}
          <Pagination page={data.page} pageSize={data.pageSize} total={data.total} busy={props.busy} onPage={props.onPage} />
        </>
      )}
    </QueryContent>
  );
}
