/**
 * Accounts at first start. The first administrator (`admin`, national) gets VBP_ADMIN_PASSWORD when it is
 * set, otherwise a generated password that is returned once for the caller to print (and must be changed
 * at first sign-in). In demo mode only, one account per role is created with the demo password the
 * README states; outside demo mode there is never a built-in password.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { Role } from '@vbp/contracts/roles';
import type { Db } from '@vbp/db';
import { users } from '@vbp/db/schema';
import { writeAudit } from '../audit';
import { generatePassword, hashPassword, verifyPassword } from './password';

export const DEMO_PASSWORD = 'vbp-demo-2026';

export const DEMO_USERS: readonly { username: string; displayName: string; role: Role; regionCode: string }[] = [
  { username: 'jiangsu-office', displayName: '江苏省医保局集采办（演示）', role: 'office', regionCode: '320000' },
  { username: 'jiangsu-clerk', displayName: '江苏省数据录入员（演示）', role: 'clerk', regionCode: '320000' },
  { username: 'national-leader', displayName: '国家医保局领导（演示）', role: 'leader', regionCode: NATION_CODE },
];

async function exists(db: Db, username: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(sql`lower(${users.username})`, username));
  return row !== undefined;
}

export async function ensureInitialUsers(
  db: Db,
  options: { adminPassword?: string | undefined; demo: boolean },
): Promise<{ generatedAdminPassword: string | null; createdDemoUsers: string[]; enabledDemoUsers: string[]; disabledDemoUsers: string[] }> {
  const system = { username: 'system' };
  let generatedAdminPassword: string | null = null;
  if (!(await exists(db, 'admin'))) {
    const given = options.adminPassword && options.adminPassword.length > 0 ? options.adminPassword : null;
    const password = given ?? generatePassword();
    if (!given) generatedAdminPassword = password;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ username: 'admin', displayName: '系统管理员', role: 'admin', regionCode: NATION_CODE, passwordHash: await hashPassword(password), mustChangePassword: !given })
        .returning({ id: users.id });
      await writeAudit(tx, system, { action: 'create', entity: 'user', entityId: row!.id, regionCode: NATION_CODE, after: { username: 'admin', role: 'admin', source: given ? 'VBP_ADMIN_PASSWORD' : 'generated' } });
    });
  }
  const createdDemoUsers: string[] = [];
  const enabledDemoUsers: string[] = [];
  if (options.demo) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const demoUser of DEMO_USERS) {
      if (await exists(db, demoUser.username)) {
        // disabled by a start outside demo mode (disableDemoUsers): demo mode asked for again brings it back
        if (await enableDemoUser(db, demoUser.username)) enabledDemoUsers.push(demoUser.username);
        continue;
      }
      await db.transaction(async (tx) => {
        const [row] = await tx.insert(users).values({ ...demoUser, passwordHash }).returning({ id: users.id });
        await writeAudit(tx, system, { action: 'create', entity: 'user', entityId: row!.id, regionCode: demoUser.regionCode, after: { ...demoUser, source: 'demo' } });
      });
      createdDemoUsers.push(demoUser.username);
    }
  }
  const disabledDemoUsers = options.demo ? [] : await disableDemoUsers(db);
  return { generatedAdminPassword, createdDemoUsers, enabledDemoUsers, disabledDemoUsers };
}

async function enableDemoUser(db: Db, username: string): Promise<boolean> {
  const [user] = await db.select({ id: users.id, regionCode: users.regionCode, passwordHash: users.passwordHash, disabledAt: users.disabledAt }).from(users).where(eq(users.username, username));
  if (!user?.disabledAt || !(await verifyPassword(DEMO_PASSWORD, user.passwordHash))) return false;
  await db.transaction(async (tx) => {
    await tx.update(users).set({ disabledAt: null }).where(eq(users.id, user.id));
    await writeAudit(tx, { username: 'system' }, { action: 'update', entity: 'user', entityId: user.id, regionCode: user.regionCode, before: { disabled: true }, after: { disabled: false, reason: 'demo mode is on' } });
  });
  return true;
}

/**
 * Outside demo mode, demo accounts an earlier demo start created are disabled while their password is
 * still the published one (an operator who gave one a password of its own keeps it): a database first
 * started on loopback and then served on the network must not keep a clerk anyone can sign in as. Their
 * sessions end with them (findSession checks disabledAt). An administrator may enable them again.
 */
async function disableDemoUsers(db: Db): Promise<string[]> {
  const found = await db
    .select({ id: users.id, username: users.username, regionCode: users.regionCode, passwordHash: users.passwordHash })
    .from(users)
    .where(and(inArray(users.username, DEMO_USERS.map((u) => u.username)), isNull(users.disabledAt)))
    .orderBy(users.username);
  const disabled: string[] = [];
  for (const user of found) {
    if (!(await verifyPassword(DEMO_PASSWORD, user.passwordHash))) continue;
    await db.transaction(async (tx) => {
      await tx.update(users).set({ disabledAt: sql`now()` }).where(eq(users.id, user.id));
      await writeAudit(tx, { username: 'system' }, { action: 'update', entity: 'user', entityId: user.id, regionCode: user.regionCode, before: { disabled: false }, after: { disabled: true, reason: 'demo mode is off; the password is the published demo password' } });
    });
    disabled.push(user.username);
  }
  return disabled;
}
