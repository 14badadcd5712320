import { eq, sql } from 'drizzle-orm';
import type { Db } from '@vbp/db';
import { users } from '@vbp/db/schema';
import { writeAudit } from '../audit';
import { DomainError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from './password';
import { createSession, type NewSession } from './sessions';
import { clearFailures, lockedUntil, recordFailure, throttleKeys } from './throttle';

/** One message for every refusal, so it does not say whether the name exists or the account is disabled. */
const INVALID = () => new DomainError('INVALID_CREDENTIALS', 'Wrong username or password', '用户名或密码错误');

export interface SignInInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/**
 * Checks a username and password and opens a session. Locked keys are refused before the password is
 * checked; every failure counts against the username and the address; success and failure are audited
 * (without the password).
 */
export async function signIn(db: Db, input: SignInInput): Promise<NewSession & { userId: number }> {
  const keys = throttleKeys(input.username, input.ip);
  const until = await lockedUntil(db, keys);
  if (until) {
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
    throw new DomainError(
      'TOO_MANY_ATTEMPTS',
      `Too many failed sign-ins: try again in ${minutes} minute(s)`,
      `登录失败次数过多，请 ${minutes} 分钟后再试`,
      { retryAfterSeconds: minutes * 60 },
    );
  }
  const [user] = await db
    .select({ id: users.id, username: users.username, passwordHash: users.passwordHash, disabledAt: users.disabledAt, regionCode: users.regionCode })
    .from(users)
    .where(eq(sql`lower(${users.username})`, input.username.trim().toLowerCase()));
  const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDummy(input.password);
  const context = { username: input.username.trim().slice(0, 64), ip: input.ip, requestId: input.requestId };
  if (!user || !ok || user.disabledAt) {
    await recordFailure(db, keys);
    await writeAudit(db, context, { action: 'sign_in_failed', entity: 'session', regionCode: user?.regionCode ?? null });
    throw INVALID();
  }
  await clearFailures(db, input.username);
  const session = await createSession(db, user.id, { ip: input.ip, userAgent: input.userAgent });
  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
  await writeAudit(db, { ...context, username: user.username, userId: user.id }, { action: 'sign_in', entity: 'session', entityId: user.id, regionCode: user.regionCode });
  return { ...session, userId: user.id };
}
