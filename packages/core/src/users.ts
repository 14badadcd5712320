/**
 * Accounts: created, changed, disabled and reset by administrators; passwords changed by their owners.
 * Every change is one transaction with its audit entry; password hashes never leave this module.
 */
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { CreateUserInput, UpdateUserInput, UserList, UserView } from '@vbp/contracts/auth';
import type { Db } from '@vbp/db';
import { regions, users } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { assertMay, isNational, type Actor } from './auth/actor';
import { hashPassword, verifyPassword } from './auth/password';
import { revokeUserSessions } from './auth/sessions';
import { DomainError, notFound } from './errors';

const view = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  regionCode: users.regionCode,
  disabledAt: users.disabledAt,
  mustChangePassword: users.mustChangePassword,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
};

type ViewRow = { disabledAt: Date | null; createdAt: Date; lastLoginAt: Date | null } & Omit<UserView, 'disabled' | 'createdAt' | 'lastLoginAt'>;

function toView({ disabledAt, createdAt, lastLoginAt, ...row }: ViewRow): UserView {
  return { ...row, disabled: disabledAt !== null, createdAt: createdAt.toISOString(), lastLoginAt: lastLoginAt?.toISOString() ?? null };
}

const missingUser = (id: number) => () => notFound('user', '用户', String(id));

async function getUserRow(db: Db, id: number) {
  const [row] = await db.select(view).from(users).where(eq(users.id, id));
  if (!row) throw missingUser(id)();
  return row;
}

async function assertRegionExists(db: Db, code: string) {
  const [row] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, code));
  if (!row) throw new DomainError('INVALID_INPUT', `Unknown region ${code}`, `地区代码不存在：${code}`, { regionCode: code });
}

async function assertUsernameFree(db: Db, username: string) {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(sql`lower(${users.username})`, username.toLowerCase()));
  if (row) throw new DomainError('CONFLICT', `Username ${username} is taken`, `用户名 ${username} 已被使用`, { username });
}

export async function listUsers(db: Db, actor: Actor, query: { q?: string | undefined; role?: UserView['role'] | undefined; region?: string | undefined; page: number; pageSize: number }): Promise<UserList> {
  assertMay(actor, 'manage:user');
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where: SQL | undefined = and(
    // a provincial administrator manages the accounts of their own province only
    isNational(actor) ? undefined : eq(users.regionCode, actor.regionCode),
    like ? or(ilike(users.username, like), ilike(users.displayName, like)) : undefined,
    query.role ? eq(users.role, query.role) : undefined,
    query.region ? eq(users.regionCode, query.region) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select(view).from(users).where(where).orderBy(asc(users.username)).limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  return { items: rows.map(toView), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function createUser(db: Db, actor: Actor, input: CreateUserInput): Promise<UserView> {
  assertMay(actor, 'manage:user', { regionCode: input.regionCode });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await assertRegionExists(tx, input.regionCode);
    await assertUsernameFree(tx, input.username);
    const [row] = await tx
      .insert(users)
      .values({ username: input.username, displayName: input.displayName, role: input.role, regionCode: input.regionCode, passwordHash, mustChangePassword: true })
      .returning(view);
    const created = toView(row!);
    await writeAudit(tx, actor, { action: 'create', entity: 'user', entityId: created.id, regionCode: created.regionCode, after: created });
    return created;
  });
}

export async function updateUser(db: Db, actor: Actor, id: number, input: UpdateUserInput): Promise<UserView> {
  assertMay(actor, 'manage:user');
  if (id === actor.userId && (input.disabled === true || (input.role !== undefined && input.role !== 'admin')))
    throw new DomainError('CONFLICT', 'You cannot disable yourself or give up your own admin role', '不能停用自己或取消自己的管理员角色');
  return db.transaction(async (tx) => {
    const before = toView(await getUserRow(tx, id));
    assertMay(actor, 'manage:user', { regionCode: before.regionCode }, missingUser(id));
    if (input.regionCode) {
      assertMay(actor, 'manage:user', { regionCode: input.regionCode });
      await assertRegionExists(tx, input.regionCode);
    }
    const [row] = await tx
      .update(users)
      .set({
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.regionCode !== undefined ? { regionCode: input.regionCode } : {}),
        ...(input.disabled !== undefined ? { disabledAt: input.disabled ? (before.disabled ? undefined : sql`now()`) : null } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, id))
      .returning(view);
    const after = toView(row!);
    // a changed role, region or a disabled account must not keep its open sessions
    if (after.disabled || after.role !== before.role || after.regionCode !== before.regionCode) await revokeUserSessions(tx, id);
    await writeAudit(tx, actor, { action: 'update', entity: 'user', entityId: id, regionCode: after.regionCode, before, after });
    return after;
  });
}

/** An administrator sets a new password: the user must change it at next sign-in; their sessions end. */
export async function resetPassword(db: Db, actor: Actor, id: number, newPassword: string): Promise<void> {
  assertMay(actor, 'manage:user');
  const passwordHash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    const user = await getUserRow(tx, id);
    assertMay(actor, 'manage:user', { regionCode: user.regionCode }, missingUser(id));
    await tx.update(users).set({ passwordHash, mustChangePassword: true, passwordChangedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(users.id, id));
    await revokeUserSessions(tx, id);
    await writeAudit(tx, actor, { action: 'reset_password', entity: 'user', entityId: id, regionCode: user.regionCode });
  });
}

/** The user changes their own password; their other sessions end, the current one stays. */
export async function changeOwnPassword(db: Db, actor: Actor, input: { currentPassword: string; newPassword: string; currentSession: string }): Promise<void> {
  const [user] = await db.select({ passwordHash: users.passwordHash, regionCode: users.regionCode }).from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong', '当前密码不正确');
  if (input.currentPassword === input.newPassword)
    throw new DomainError('INVALID_INPUT', 'The new password must differ from the current one', '新密码不能与当前密码相同');
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false, passwordChangedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(users.id, actor.userId));
    await revokeUserSessions(tx, actor.userId, input.currentSession);
    await writeAudit(tx, actor, { action: 'change_password', entity: 'user', entityId: actor.userId, regionCode: user.regionCode });
  });
}
