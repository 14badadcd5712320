/**
 * Sign-in throttling per username and per address. Failures are counted in a 15-minute window; 5 for a
 * username or 30 from an address lock that key for 15 minutes. Names that do not exist are counted the
 * same way, so a lockout says nothing about whether a user exists.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '@vbp/db';
import { authThrottle } from '@vbp/db/schema';

export const THROTTLE = { windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxUserFailures: 5, maxIpFailures: 30 } as const;

export function throttleKeys(username: string, ip: string | null): { key: string; max: number }[] {
  const keys: { key: string; max: number }[] = [{ key: `user:${username.trim().toLowerCase()}`, max: THROTTLE.maxUserFailures }];
  if (ip) keys.push({ key: `ip:${ip}`, max: THROTTLE.maxIpFailures });
  return keys;
}

/** The time until which any of the keys is locked, or null. */
export async function lockedUntil(db: Db, keys: readonly { key: string }[], now = new Date()): Promise<Date | null> {
  const rows = await db.select().from(authThrottle).where(inArray(authThrottle.key, keys.map((k) => k.key)));
  const locks = rows.map((r) => r.lockedUntil).filter((d): d is Date => d !== null && d.getTime() > now.getTime());
  return locks.length ? new Date(Math.max(...locks.map((d) => d.getTime()))) : null;
}

export async function recordFailure(db: Db, keys: readonly { key: string; max: number }[], now = new Date()): Promise<void> {
  // timestamps as explicit timestamptz literals: both drivers then agree on the parameter types
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = sql`${new Date(now.getTime() - THROTTLE.windowMs).toISOString()}::timestamptz`;
  const lockUntil = sql`${new Date(now.getTime() + THROTTLE.lockMs).toISOString()}::timestamptz`;
  for (const { key, max } of keys) {
    // one statement per key: a new window starts when the old one has passed
    await db.execute(sql`
      insert into auth_throttle (key, failures, window_started_at, locked_until)
      values (${key}, 1, ${at}, case when 1 >= ${max}::int then ${lockUntil} end)
      on conflict (key) do update set
        failures = case when auth_throttle.window_started_at < ${windowStart} then 1 else auth_throttle.failures + 1 end,
        window_started_at = case when auth_throttle.window_started_at < ${windowStart} then ${at} else auth_throttle.window_started_at end,
        locked_until = case
          when (case when auth_throttle.window_started_at < ${windowStart} then 1 else auth_throttle.failures + 1 end) >= ${max}::int then ${lockUntil}
          else auth_throttle.locked_until
        end`);
  }
}

/** A successful sign-in clears the username's count (not the address's: others may be guessing from it). */
export async function clearFailures(db: Db, username: string): Promise<void> {
  await db.delete(authThrottle).where(inArray(authThrottle.key, [`user:${username.trim().toLowerCase()}`]));
}
