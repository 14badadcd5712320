/**
 * What the signed-in user may see and do, for hiding controls: the contracts' policy (@vbp/contracts/policy),
 * the same table the API asks before it acts. The API is the guard; the UI only hides.
 */
import type { SessionUser } from '@vbp/contracts/auth';
import { NATION_CODE } from '@vbp/contracts/enums';
import { may, type Action } from '@vbp/contracts/policy';

export type Actor = Pick<SessionUser, 'role' | 'regionCode'>;

export function isNationalUser(user: Actor): boolean {
  return user.regionCode === NATION_CODE;
}

/** May the user read the figures of this region? Provincial users: their province and 全国. */
export function mayReadRegion(user: Actor, region: string): boolean {
  return may(user, 'read:figures', { regionCode: region });
}

/**
 * May the user do `action`, and (when `region` is given) do it to data of that region (全国 / null: national
 * data)? Acting is stricter than reading: a provincial user may read 全国 but not change national data.
 */
export function mayAct(user: Actor, action: Action, region?: string | null): boolean {
  return may(user, action, region === undefined ? undefined : { regionCode: region });
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
