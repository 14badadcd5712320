/**
 * Who may do what to which province's data, decided in one place. Every action has the permission its role
 * must hold (roles.ts) and the scope rule that relates the user's region to the data's: the API's routes and
 * domain verbs ask `decide` before acting (and refuse), the web app asks it before showing a control (and
 * hides), and the permission tests enumerate this table instead of restating it.
 *
 * Without zod, like roles.ts: the web app's first load imports it.
 */
import { NATION_CODE, type BatchLevel } from './enums';
import { can, type Permission, type Role } from './roles';

export interface PolicyUser {
  role: Role;
  /** A province, or 100000 for a national user. */
  regionCode: string;
}

/** The data an action touches: the province it belongs to, or the nation's (100000, or null for data of no province). */
export interface PolicyResource {
  regionCode: string | null;
  /** A batch's level (only national users change national and alliance batches). */
  batchLevel?: BatchLevel | undefined;
}

type Scope = (user: PolicyUser, resource: PolicyResource) => boolean;

const isNationalUser = (user: PolicyUser) => user.regionCode === NATION_CODE;
const isNationalData = (resource: PolicyResource) => resource.regionCode === null || resource.regionCode === NATION_CODE;

/**
 * Data of `regionCode` lies within `scope`: a province holds itself, the nation every region. An upload's rows
 * are its own when they lie within the upload's region (a provincial clerk's copy of a national table keeps
 * its province's rows).
 */
export function withinRegion(scope: string | null, regionCode: string): boolean {
  return scope === null || scope === NATION_CODE || scope === regionCode;
}

/** Published figures (batches, coverage, targets, contracts): a province's own and the nation's for everyone; national users every region. */
const readsFigures: Scope = (user, resource) => isNationalUser(user) || isNationalData(resource) || resource.regionCode === user.regionCode;
/**
 * A province's hospital-level data and its own records (execution, follow-ups, scenarios, uploads, accounts,
 * the audit log): its own users only; national users every province and the nation's sum.
 */
const readsOwn: Scope = (user, resource) => isNationalUser(user) || resource.regionCode === user.regionCode;
/** Changes: national users act on every region and on national data; everyone else on their own province's data only. */
const actsOnOwn: Scope = (user, resource) => isNationalUser(user) || (!isNationalData(resource) && resource.regionCode === user.regionCode);
/** A batch's metadata: national users any batch; a province the batches it organised itself. */
const actsOnOwnBatch: Scope = (user, resource) => isNationalUser(user) || (resource.batchLevel === 'provincial' && actsOnOwn(user, resource));

/** Every action, `action:entity`. */
export const ACTIONS = [
  'read:figures',
  'read:execution',
  'read:scenario',
  'read:upload',
  'read:audit',
  'create:upload',
  'reprocess:upload',
  'commit:upload',
  'revert:upload',
  'save-mapping:upload',
  'update:batch',
  'write:target',
  'write:scenario',
  'write:follow-up',
  'write:settings',
  'manage:user',
] as const;
export type Action = (typeof ACTIONS)[number];

interface Rule {
  permission: Permission;
  scope: Scope;
  /** The read that decides whether a user outside the scope may know the data exists at all (reads: themselves). */
  seenThrough?: Action;
}

/** Each action: the permission its role needs and whose data it may touch. */
export const POLICIES: Record<Action, Rule> = {
  'read:figures': { permission: 'read:reference', scope: readsFigures },
  'read:execution': { permission: 'read:execution', scope: readsOwn },
  'read:scenario': { permission: 'read:targets', scope: readsOwn },
  'read:upload': { permission: 'read:uploads', scope: readsOwn },
  'read:audit': { permission: 'read:audit', scope: readsOwn },
  'create:upload': { permission: 'upload:data', scope: actsOnOwn, seenThrough: 'read:upload' },
  'reprocess:upload': { permission: 'upload:data', scope: actsOnOwn, seenThrough: 'read:upload' },
  'commit:upload': { permission: 'upload:data', scope: actsOnOwn, seenThrough: 'read:upload' },
  'revert:upload': { permission: 'revert:uploads', scope: actsOnOwn, seenThrough: 'read:upload' },
  'save-mapping:upload': { permission: 'upload:data', scope: actsOnOwn, seenThrough: 'read:upload' },
  'update:batch': { permission: 'write:batches', scope: actsOnOwnBatch, seenThrough: 'read:figures' },
  'write:target': { permission: 'write:targets', scope: actsOnOwn, seenThrough: 'read:figures' },
  'write:scenario': { permission: 'write:scenarios', scope: actsOnOwn, seenThrough: 'read:scenario' },
  'write:follow-up': { permission: 'write:follow-ups', scope: actsOnOwn, seenThrough: 'read:execution' },
  'write:settings': { permission: 'write:settings', scope: actsOnOwn, seenThrough: 'read:figures' },
  'manage:user': { permission: 'manage:users', scope: actsOnOwn },
};

/**
 * `allowed`; `role`: the user's role may not do this at all; `scope`: the role may, and the user sees the
 * data, but may not do this to it (a provincial office and a national batch); `hidden`: the data is outside
 * what the user may even see (another province's upload, scenario or account). Where a request names one
 * thing, the API answers `hidden` exactly as it answers for a thing that does not exist (404), so nobody
 * learns what another province holds; `role` and `scope` are 403.
 */
export type Decision = 'allowed' | 'role' | 'scope' | 'hidden';

/** The one rule: may `user` do `action` (to `resource`, when given: without one, only the role is asked)? */
export function decide(user: PolicyUser, action: Action, resource?: PolicyResource): Decision {
  const rule = POLICIES[action];
  if (!can(user.role, rule.permission)) return 'role';
  if (resource === undefined || rule.scope(user, resource)) return 'allowed';
  const seen = rule.seenThrough ? POLICIES[rule.seenThrough].scope(user, resource) : false;
  return seen ? 'scope' : 'hidden';
}

export function may(user: PolicyUser, action: Action, resource?: PolicyResource): boolean {
  return decide(user, action, resource) === 'allowed';
}

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** What each action is, for the refusals (“Your role may not commit uploads” / “您的角色无权提交上传”). */
export const ACTION_LABELS: Record<Action, { en: string; zh: string }> = {
  'read:figures': { en: 'read the figures', zh: '查看数据' },
  'read:execution': { en: 'read execution data', zh: '查看执行数据' },
  'read:scenario': { en: 'read scenarios', zh: '查看规划' },
  'read:upload': { en: 'read uploads', zh: '查看上传记录' },
  'read:audit': { en: 'read the audit log', zh: '查看审计日志' },
  'create:upload': { en: 'upload data', zh: '上传数据' },
  'reprocess:upload': { en: 'validate uploads again', zh: '重新校验上传' },
  'commit:upload': { en: 'commit uploads', zh: '提交上传' },
  'revert:upload': { en: 'revert uploads', zh: '撤销上传' },
  'save-mapping:upload': { en: 'save column mappings', zh: '保存列映射' },
  'update:batch': { en: 'change batches', zh: '修改批次' },
  'write:target': { en: 'change targets', zh: '修改目标' },
  'write:scenario': { en: 'change scenarios', zh: '修改规划' },
  'write:follow-up': { en: 'change follow-ups', zh: '修改督办事项' },
  'write:settings': { en: 'change settings', zh: '修改预警设置' },
  'manage:user': { en: 'manage accounts', zh: '管理用户' },
};
