import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../lib/api';
import { handleSessionError } from '../lib/auth/session-errors';

/** Longest wait before asking again, whatever a Retry-After says: the page should not look stuck. */
export const MAX_RETRY_DELAY_MS = 10_000;

/**
 * How long to wait before a query's next try: what the server asked for (Retry-After on a 503 while its
 * database is unreachable), else React Query's own doubling from a second; never more than 10 s.
 */
export function retryDelay(failureCount: number, error: unknown): number {
  const asked = error instanceof ApiRequestError ? error.retryAfterSeconds : null;
  const ms = asked !== null ? asked * 1000 : 1000 * 2 ** failureCount;
  return Math.min(ms, MAX_RETRY_DELAY_MS);
}

/**
 * Client errors (4xx) are answers, not accidents: they are not retried. Network and 5xx get two more tries,
 * after the wait a 503 asks for. A lost session (401) or a required password change, from any query or
 * mutation, is handled once here.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => handleSessionError(client, error) }),
    mutationCache: new MutationCache({ onError: (error) => handleSessionError(client, error) }),
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (error instanceof ApiRequestError && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
        retryDelay,
      },
    },
  });
  return client;
}
