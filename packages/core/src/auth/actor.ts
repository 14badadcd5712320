import { can, type Permission, type Role } from '@vbp/contracts/roles';
import { NATION_CODE } from '@vbp/contracts/enums';
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

export function isNational(actor: Actor): boolean {
  return actor.regionCode === NATION_CODE;
}

export function forbidden(message: string, messageZh: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('FORBIDDEN', message, messageZh, details);
}

export function assertPermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission))
    throw forbidden(`Your role (${actor.role}) may not ${permission}`, `您的角色无权执行此操作（${permission}）`, { permission });
}

/**
 * Reads: national users read every region; everyone reads the whole country (national batches only);
 * a provincial user reads their own province.
 */
export function canReadRegion(actor: Actor, regionCode: string): boolean {
  return isNational(actor) || regionCode === NATION_CODE || regionCode === actor.regionCode;
}

export function assertCanReadRegion(actor: Actor, regionCode: string): void {
  if (!canReadRegion(actor, regionCode))
    throw forbidden(
      `Region ${regionCode} is outside your scope (${actor.regionCode})`,
      `地区 ${regionCode} 不在您的权限范围（${actor.regionCode}）内`,
      { regionCode },
    );
}

/** Writes: national users act on every region and on national data; others on their own province only. */
export function canWriteRegion(actor: Actor, regionCode: string | null): boolean {
  return isNational(actor) || (regionCode !== null && regionCode === actor.regionCode);
}

export function assertCanWriteRegion(actor: Actor, regionCode: string | null, what: string, whatZh: string): void {
  if (!canWriteRegion(actor, regionCode))
    throw forbidden(
      `You may not change ${what} of region ${regionCode ?? 'nation-wide'} (yours: ${actor.regionCode})`,
      `您无权修改${regionCode ?? '全国'}的${whatZh}（您的地区：${actor.regionCode}）`,
      { regionCode },
    );
}
