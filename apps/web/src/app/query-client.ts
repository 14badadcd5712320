import { QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../lib/api';

/** Client errors (4xx) are answers, not accidents: they are not retried. Network and 5xx get two more tries. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
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
}
