/**
 * Accounts: sign-in, sessions, users and the audit log, as the API speaks them. Roles and permissions are
 * in ./roles (zod-free, for the web app's first load).
 */
import { z } from 'zod';
import { RegionCode } from './api';
import { DateInput, PageParam, pageSizeParam, searchText, singleLineText } from './inputs';
import { PERMISSIONS, ROLES } from './roles';

export const RoleSchema = z.enum(ROLES);

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

export const LoginInput = z.object({ username: singleLineText({ max: 64 }), password: z.string().min(1).max(256) });
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
  /** This server's limits the forms should know before sending. */
  limits: z.object({ maxUploadBytes: z.number().int() }),
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
  q: searchText(64).optional(),
  role: RoleSchema.optional(),
  region: RegionCode.optional(),
  page: PageParam,
  pageSize: pageSizeParam(200, 50),
});
export const UserList = z.object({ items: z.array(UserView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type UserList = z.infer<typeof UserList>;

export const CreateUserInput = z.object({
  username: Username,
  displayName: singleLineText({ max: 64 }),
  role: RoleSchema,
  regionCode: RegionCode,
  password: Password,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .object({
    displayName: singleLineText({ max: 64 }),
    role: RoleSchema,
    regionCode: RegionCode,
    disabled: z.boolean(),
  })
  .partial();
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const ResetPasswordInput = z.object({ newPassword: Password });

export const AuditQuery = z.object({
  actor: searchText(64).optional(),
  action: searchText(64).optional(),
  entity: searchText(64).optional(),
  region: RegionCode.optional(),
  from: DateInput.optional(),
  to: DateInput.optional(),
  page: PageParam,
  pageSize: pageSizeParam(500, 100),
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
