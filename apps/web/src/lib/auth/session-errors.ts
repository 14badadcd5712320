import type { QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../api';
import { ME_QUERY_KEY } from './me';

/**
 * Session failures reported by any query or mutation, handled in one place (the query client's caches):
 * - 401 (session missing or expired): the cached session becomes null; the route guard then sends the
 *   user to /login?next=…, and signing in again starts from an empty cache (`replaceSession`).
 * - PASSWORD_CHANGE_REQUIRED: the session is read again; it says mustChangePassword and the guard sends
 *   the user to the change-password form.
 * A failed sign-in (INVALID_CREDENTIALS, also 401) is the login form's business, not a lost session.
 */
export function handleSessionError(client: QueryClient, error: unknown): void {
  if (!(error instanceof ApiRequestError)) return;
  if (error.status === 401 && error.code !== 'INVALID_CREDENTIALS') {
    if (client.getQueryData(ME_QUERY_KEY) !== null) client.setQueryData(ME_QUERY_KEY, null);
  } else if (error.code === 'PASSWORD_CHANGE_REQUIRED') {
    void client.invalidateQueries({ queryKey: ME_QUERY_KEY });
  }
}
