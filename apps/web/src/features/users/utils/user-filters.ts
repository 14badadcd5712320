import { ROLES, type Role } from '@vbp/contracts/roles';
import { parseRegionParam } from '../../../lib/view-params';
import { readOneOf, readPage, readText, toSearchParams } from '../../../lib/search-params';

export const USERS_PAGE_SIZE = 50;

/** The user list's filters, as the URL carries them: /admin/users?q=li&role=office&region=320000&page=2. */
export interface UserFilters {
  q?: string | undefined;
  role?: Role | undefined;
  region?: string | undefined;
  page: number;
}

export function parseUserFilters(params: URLSearchParams): UserFilters {
  return {
    q: readText(params.get('q'), 64),
    role: readOneOf(params.get('role'), ROLES),
    region: parseRegionParam(params.get('region')) ?? undefined,
    page: readPage(params.get('page')),
  };
}

export function userFiltersToParams(f: UserFilters): URLSearchParams {
  return toSearchParams({ q: f.q, role: f.role, region: f.region, page: f.page });
}
