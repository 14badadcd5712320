import type { ReactNode } from 'react';
import { ApiRequestError } from '../../lib/api';
import { useI18n } from '../../lib/i18n/i18n-context';
import { CrossCircleIcon } from './icons';

/** The API's message in the reader's language (messageZh or message); any other error's own message. */
export function errorText(error: unknown, lang: 'zh' | 'en'): string {
  if (error instanceof ApiRequestError) return lang === 'zh' ? error.messageZh : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Asking again can help after a network failure, a server error or a rate limit, not after a refusal. */
function retryable(error: unknown): boolean {
  if (!(error instanceof ApiRequestError)) return true;
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

/**
 * A failed request: the API's message in the reader's language, its code and the request id to quote.
 * `title` replaces the generic "could not be loaded" (a failed save, a refused sign-in); `children` adds a line.
 */
export function ErrorNotice({ error, onRetry, title, children, testId }: { error: unknown; onRetry?: () => void; title?: ReactNode; children?: ReactNode; testId?: string }) {
  const { t, lang } = useI18n();
  const api = error instanceof ApiRequestError ? error : null;
  const message = errorText(error, lang);
  return (
    <div className="notice notice--error" role="alert" data-testid={testId}>
      <CrossCircleIcon size={20} className="notice__icon" />
      <div>
        <p className="notice__title">{title ?? t.common.errorTitle}</p>
        <p className="notice__message" data-testid="error-message">
          {message}
        </p>
        {children}
        {api && api.issues.length > 0 && (
          <ul className="notice__issues">
            {api.issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <code>{i.path}</code> {i.message}
              </li>
            ))}
          </ul>
        )}
        {api === null ? null : api.status === 0 || api.status >= 500 ? (
          <ErrorMeta api={api} />
        ) : (
          // a refusal the reader can act on is said in words; its code and request id are for support
          <details className="notice__details">
            <summary>{t.common.technicalDetails}</summary>
            <ErrorMeta api={api} />
          </details>
        )}
        {onRetry && retryable(error) && (
          <button type="button" className="button button--small" onClick={onRetry}>
            {t.common.retry}
          </button>
        )}
      </div>
    </div>
  );
}

/** The error's code and request id, to quote to support. */
function ErrorMeta({ api }: { api: ApiRequestError }) {
  const { t } = useI18n();
  return (
    <p className="notice__meta">
      {t.common.errorCode}: <code>{api.code}</code>
      {api.requestId ? (
        <>
          {' · '}
          {t.common.requestId}: <code data-testid="error-request-id">{api.requestId}</code>
        </>
      ) : null}
    </p>
  );
}
