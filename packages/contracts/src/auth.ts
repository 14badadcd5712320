/**
 * Accounts, roles and permissions. Browser-safe: the web app uses the same table to hide what a user may
 * not do; the API is the guard (apps/api/src/auth).
 */
import { z } from 'zod';
import { IsoDateString, RegionCode } from './api';

export const ROLES = ['admin', 'office', 'clerk', 'leader'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** Permissions are `action:entity`. */
export const PERMISSIONS = [
  // every signed-in user, within their region scope
  'read:reference',
  'read:coverage',
  'read:targets',
  'read:execution',
  // procurement office
  'write:targets',
  'write:batches',
  'revert:uploads',
  // data clerk
  'upload:data',
  // administrator
  'manage:users',
  'read:audit',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['read:reference', 'read:coverage', 'read:targets', 'read:execution'];

/**
 * What each role may do. A user acts within their region (a province, or the nation for national users,
 * who act on every province); the API checks the region of the data touched, not only the URL.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...READ, 'write:targets', 'write:batches', 'revert:uploads', 'upload:data', 'manage:users', 'read:audit'],
  office: [...READ, 'write:targets', 'write:batches', 'revert:uploads', 'read:audit'],
  clerk: [...READ, 'upload:data'],
  leader: [...READ],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  office: { zh: '集采办（医药价格和招采处）', en: 'Procurement office' },
  clerk: { zh: '数据录入员', en: 'Data clerk' },
  leader: { zh: '局领导（只读）', en: 'Leader (read only)' },
};

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, { message: 'letters, digits and . _ @ - only / 用户名只能包含字母、数字和 . _ @ -' });

/** At least 10 characters; long passphrases welcome (scrypt takes any length, capped to avoid abuse). */
export const Password = z
  .string()
  .min(10, { message: 'at least 10 characters / 密码至少10个字符' })
  .max(256, { message: 'at most 256 characters / 密码最多256个字符' });

export const LoginInput = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export type LoginInput = z.infer<typeof LoginInput>;

export const SessionUser = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  regionCode: RegionCode,
  permissions: z.array(z.enum(PERMISSIONS)),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const Me = z.object({
  user: SessionUser,
  /** Send back as the `x-csrf-token` header on every state-changing request. */
  csrfToken: z.string(),
  expiresAt: z.string(),
  /** The server runs in demo mode (demo accounts exist; data is partly synthetic). */
  demo: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const ChangePasswordInput = z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const UserView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  regionCode: RegionCode,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserView = z.infer<typeof UserView>;

export const UserListQuery = z.object({
  q: z.string().max(64).optional(),
  role: RoleSchema.optional(),
  region: RegionCode.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const UserList = z.object({ items: z.array(UserView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type UserList = z.infer<typeof UserList>;

export const CreateUserInput = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(64),
  role: RoleSchema,
  regionCode: RegionCode,
  password: Password,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .object({
    displayName: z.string().trim().min(1).max(64),
    role: RoleSchema,
    regionCode: RegionCode,
    disabled: z.boolean(),
  })
  .partial();
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const ResetPasswordInput = z.object({ newPassword: Password });

export const AuditQuery = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  entity: z.string().max(64).optional(),
  region: RegionCode.optional(),
  from: IsoDateString.optional(),
  to: IsoDateString.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  regionCode: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditList = z.object({ items: z.array(AuditEntry), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type AuditList = z.infer<typeof AuditList>;
