import { boolean, char, index, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { ROLES } from '@vbp/contracts/roles';
import { regions } from './regions';

export const role = pgEnum('role', ROLES);

/**
 * A person who signs in. `regionCode` is a province, or 100000 for national users (who act on every
 * province within their role). Passwords are scrypt hashes with a per-user salt (apps/api/src/auth/password.ts).
 */
export const users = pgTable(
  'users',
  {
    id: serial().primaryKey(),
    username: text().notNull(),
    displayName: text().notNull(),
    role: role().notNull(),
    regionCode: char({ length: 6 })
      .notNull()
      .references(() => regions.code),
    passwordHash: text().notNull(),
    mustChangePassword: boolean().notNull().default(false),
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    passwordChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp({ withTimezone: true }),
  },
  // usernames are unique whatever their case
  (t) => [uniqueIndex('users_username_lower_unique').on(sql`lower(${t.username})`), index().on(t.regionCode)],
);

/**
 * A signed-in session. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
 * database does not hand out sessions. Sessions expire (idle and absolute) and can be revoked.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: char({ length: 64 }).primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

/**
 * Failed sign-in attempts per key (`user:<lower-case name>` or `ip:<address>`), whether or not the user
 * exists, so a lockout reveals nothing about which names are real.
 */
export const authThrottle = pgTable('auth_throttle', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});
