import { NATION_CODE } from '@vbp/contracts/enums';
import { ACTION_LABELS, decide, type Action, type PolicyResource } from '@vbp/contracts/policy';
import type { Role } from '@vbp/contracts/roles';
import { DomainError } from '../errors';

/** Who is acting, from where: every verb that reads scoped data or writes takes one. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  /** A province, or 100000 for a national user. */
  regionCode: string;
  ip: string | null;
  requestId: string | null;
}

/** A national user: lists are not narrowed to one province (the policy's scopes say the same per resource). */
export function isNational(actor: Actor): boolean {
  return actor.regionCode === NATION_CODE;
}

export function forbidden(message: string, messageZh: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('FORBIDDEN', message, messageZh, details);
}

const dataOf = (code: string | null) => (code === null || code === NATION_CODE ? { en: 'national data', zh: '全国数据' } : { en: `the data of region ${code}`, zh: `地区 ${code} 的数据` });

/**
 * Asks the policy (@vbp/contracts/policy) before a verb acts, and refuses in the API's terms:
 * - the role may not: 403 FORBIDDEN;
 * - the data is visible to the actor but not theirs to change: 403 FORBIDDEN naming its region;
 * - the data is outside what the actor may see: `missing()` when the request names one thing (an id, a
 *   code), so it answers exactly as a thing that does not exist; 403 otherwise (a region the actor named).
 */
export function assertMay(actor: Actor, action: Action, resource?: PolicyResource, missing?: () => DomainError): void {
  const decision = decide(actor, action, resource);
  if (decision === 'allowed') return;
  const label = ACTION_LABELS[action];
  if (decision === 'role') throw forbidden(`Your role (${actor.role}) may not ${label.en}`, `您的角色无权${label.zh}`, { action });
  if (decision === 'hidden' && missing) throw missing();
  const data = dataOf(resource?.regionCode ?? null);
  throw forbidden(
    `You may not ${label.en} for ${data.en} (your region: ${actor.regionCode})`,
    `您无权${label.zh}：${data.zh}不在您的权限范围内（您的地区：${actor.regionCode}）`,
    { action, regionCode: resource?.regionCode ?? null },
  );
}
