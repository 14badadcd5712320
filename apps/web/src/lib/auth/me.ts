/**
 * The session, as the API sees it: `GET /api/auth/me` → `Me`, or null when nobody is signed in. Cached
 * under ['auth', 'me']; the API client reads the CSRF token from this entry, and any 401 from another
 * query sets it to null (see session-errors.ts), which sends the user to /login.
 */
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { Me } from '@vbp/contracts/auth';
import { apiGet, isApiError } from '../api';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

export async function getMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await apiGet<Me>('/api/auth/me', undefined, { signal });
  } catch (err) {
    if (isApiError(err) && err.status === 401) return null;
    throw err;
  }
}

/** Answers cached for another user must not show under this one (a sign-in in another tab). */
const isUserData = (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== 'auth' && q.queryKey[0] !== 'health';

export const meQueryOptions = () =>
  queryOptions({
    queryKey: ME_QUERY_KEY,
    queryFn: async ({ signal, client }) => {
      const me = await getMe(signal);
      const before = cachedMe(client);
      // Someone else signed in meanwhile: what was loaded for the previous user is fetched again.
      if (before && me && before.user.id !== me.user.id) void client.resetQueries({ predicate: isUserData });
      return me;
    },
    staleTime: 5 * 60_000,
    // Coming back to the tab notices a sign-out (or a new sign-in) made in another tab.
    refetchOnWindowFocus: true,
  });

export function useMe() {
  return useQuery(meQueryOptions());
}

export function cachedMe(client: QueryClient): Me | null {
  return client.getQueryData<Me | null>(ME_QUERY_KEY) ?? null;
}

/**
 * Starts a fresh session in the cache: whatever the previous user loaded is dropped, so nothing of theirs
 * can show (or be revalidated) under the new one. `me = null` signs out.
 */
export function replaceSession(client: QueryClient, me: Me | null): void {
  client.removeQueries({ predicate: isUserData });
  client.setQueryData(ME_QUERY_KEY, me);
}
