import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { UserList } from '@vbp/contracts/auth';
import { apiGet } from '../../../lib/api';
import { USERS_PAGE_SIZE, type UserFilters } from '../utils/user-filters';

export function getUsers(f: UserFilters, signal?: AbortSignal): Promise<UserList> {
  return apiGet<UserList>('/api/users', { q: f.q, role: f.role, region: f.region, page: f.page, pageSize: USERS_PAGE_SIZE }, { signal });
}

export const usersQueryOptions = (f: UserFilters) =>
  queryOptions({
    queryKey: ['users', 'list', { q: f.q ?? null, role: f.role ?? null, region: f.region ?? null, page: f.page }],
    queryFn: ({ signal }) => getUsers(f, signal),
    // The previous page stays on screen while the next loads.
    placeholderData: keepPreviousData,
  });

export function useUsers(f: UserFilters) {
  return useQuery(usersQueryOptions(f));
}
