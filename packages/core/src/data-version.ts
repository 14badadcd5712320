/**
 * The data version (decision 007): one number that moves, in the writer's own transaction, with every
 * change to what the read endpoints show. Read responses are cached and tagged (ETag) by it, so a reader never
 * gets an answer older than the last committed change. Moved as the last step of a write: the row is locked
 * only from there to the commit, so writers of different provinces do not queue behind each other's long work.
 */
import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '@vbp/db';

/**
 * Moves the data version (call it inside the writing transaction, last). The time comes from the inserted
 * row (`excluded`): Citus refuses functions other than immutable ones in DO UPDATE SET.
 */
export async function touchData(db: Db): Promise<void> {
  await db.execute(sql`
    insert into data_version (id, version, changed_at) values (1, 2, now())
    on conflict (id) do update set version = data_version.version + 1, changed_at = excluded.changed_at`);
}

/** The current data version (1 before anything was written). */
export async function readDataVersion(db: Db): Promise<number> {
  const [row] = await selectRows<{ version: string }>(db, sql`select version::text as version from data_version where id = 1`);
  return row ? Number(row.version) : 1;
}
