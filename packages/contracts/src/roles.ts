/**
 * Roles and permissions, without zod: the web app's first load imports this, so it stays tiny. The API
 * is the guard (apps/api/src/auth); the web app uses the same table only to hide what a user may not do.
 */
export const ROLES = ['admin', 'office', 'clerk', 'leader'] as const;
export type Role = (typeof ROLES)[number];

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
  // procurement office: its own working data, never part of the published record (issue 14)
  'write:scenarios',
  'write:follow-ups',
  'write:settings',
  // data clerk (and the office, which reviews and reverts uploads)
  'upload:data',
  'read:uploads',
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
  admin: [...READ, 'write:targets', 'write:batches', 'revert:uploads', 'write:scenarios', 'write:follow-ups', 'write:settings', 'read:uploads', 'upload:data', 'manage:users', 'read:audit'],
  office: [...READ, 'write:targets', 'write:batches', 'revert:uploads', 'write:scenarios', 'write:follow-ups', 'write:settings', 'read:uploads', 'read:audit'],
  clerk: [...READ, 'read:uploads', 'upload:data'],
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
