/**
 * Which migrations this code has, and which a database has had: `/api/health` reports both, so an operator
 * sees a server whose database is behind (or ahead of) its code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { selectRows } from './rows';

export interface MigrationLevel {
  /** Migrations applied to the database. */
  applied: number;
  /** Migrations this code has. */
  expected: number;
  /** The tag of the newest migration this code has (e.g. 0012_province_volumes). */
  latest: string;
}

interface JournalEntry {
  tag: string;
  /** When it was generated (drizzle records it as the migration's `created_at`). */
  when: number;
}

let journal: JournalEntry[] | undefined;

/** The migrations this code has, in order (drizzle's journal). */
export function knownMigrations(migrationsFolder: string): readonly JournalEntry[] {
  journal ??= (JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
  return journal;
}

export async function migrationLevel(db: Db, migrationsFolder: string): Promise<MigrationLevel> {
  const known = knownMigrations(migrationsFolder);
  const [row] = await selectRows<{ applied: number }>(
    db,
    sql`select case when to_regclass('drizzle.__drizzle_migrations') is null then 0 else (select count(*)::int from drizzle.__drizzle_migrations) end as "applied"`,
  );
  return { applied: row?.applied ?? 0, expected: known.length, latest: known.at(-1)?.tag ?? '' };
}
