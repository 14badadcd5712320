import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../lib/api';
import { handleSessionError } from '../lib/auth/session-errors';

/**
 * Client errors (4xx) are answers, not accidents: they are not retried. Network and 5xx get two more tries.
 * A lost session (401) or a required password change, from any query or mutation, is handled once here.
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
      },
    },
  });
  return client;
}
