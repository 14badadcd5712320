/**
 * What the signed-in user may see and do, for hiding controls (the API is the guard; the UI only hides).
 * Built on the contracts' role table (`can`) plus the region rule: a national user (region 100000) acts on
 * every region; anyone else on their own province only, and reads their province and the whole country.
 */
import type { SessionUser } from '@vbp/contracts/auth';
import { can, type Permission } from '@vbp/contracts/roles';
import { NATION_CODE } from '@vbp/contracts/enums';

export type Actor = Pick<SessionUser, 'role' | 'regionCode'>;

export function isNationalUser(user: Actor): boolean {
  return user.regionCode === NATION_CODE;
}

/** May the user read data of this region? Provincial users: their province and 全国. */
export function mayReadRegion(user: Actor, region: string): boolean {
  return isNationalUser(user) || region === user.regionCode || region === NATION_CODE;
}

/**
 * May the user do `permission`, and (when `region` is given) do it for data owned by that region?
 * Acting is stricter than reading: a provincial user may read 全国 but not change national data.
 */
export function mayAct(user: Actor, permission: Permission, region?: string | null): boolean {
  if (!can(user.role, permission)) return false;
  if (region === undefined || region === null) return true;
  return isNationalUser(user) || region === user.regionCode;
}

/** The regions a selector offers: every region for national users, else 全国 and their own province. */
export function readableRegions<T extends { code: string }>(user: Actor, regions: readonly T[]): T[] {
  return regions.filter((r) => mayReadRegion(user, r.code));
}

/** The first candidate the user may read (URL, remembered choice…), else their own region. */
export function pickReadableRegion(user: Actor, ...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) if (c && mayReadRegion(user, c)) return c;
  return user.regionCode;
}
