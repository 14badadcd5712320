import { useId, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useI18n } from '../../lib/i18n/i18n-context';
import { ErrorNotice } from './error-notice';
import { Skeleton } from './skeleton';

/** A titled section of a page. `busy` shows a quiet "updating" mark while previous data stays on screen. */
export function Panel(props: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  busy?: boolean;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className={`panel ${props.className ?? ''}`} aria-labelledby={id} aria-busy={props.busy ?? false} data-testid={props.testId}>
      <header className="panel__head">
        <h2 id={id} className="panel__title">
          {props.title}
        </h2>
        <span className="panel__updating" role="status" aria-live="polite">
          {props.busy ? t.common.updating : ''}
        </span>
        {props.actions ? <div className="panel__actions">{props.actions}</div> : null}
      </header>
      {props.description ? <p className="panel__desc">{props.description}</p> : null}
      {props.children}
    </section>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="empty" data-testid="empty-state">
      <svg width="20" height="20" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <rect x="2" y="3" width="12" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M2 6.5h12" stroke="currentColor" strokeWidth="1.3" />
      </svg>
      <p>{children}</p>
    </div>
  );
}

/**
 * The loading / error / empty / data states of one query, in one place. While a new key loads with
 * `keepPreviousData`, the previous data stays (the panel marks itself busy instead of blanking).
 */
export function QueryContent<T>(props: {
  query: Pick<UseQueryResult<T>, 'data' | 'error' | 'isError' | 'refetch'>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  skeleton?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isError && query.data === undefined) {
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (query.data === undefined) return <>{props.skeleton ?? <Skeleton />}</>;
  if (props.isEmpty?.(query.data)) return <EmptyState>{props.empty}</EmptyState>;
  return (
    <>
      {query.isError ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
      {props.children(query.data)}
    </>
  );
}
