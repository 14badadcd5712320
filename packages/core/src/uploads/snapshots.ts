/**
 * Snapshots of the rows an upload's commit changes or removes, kept as JSON, so a revert puts each back
 * exactly (same id, same values). The commit marks every row it writes with its upload id; a revert
 * deletes those rows and re-inserts the snapshots.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@vbp/db';

/** The tables snapshots may restore (a fixed list: table names never come from input). */
export const SNAPSHOT_TABLES = ['implementations', 'batch_varieties', 'batch_strengths', 'selected_products', 'agreed_volumes', 'province_volumes'] as const;
export type SnapshotTable = (typeof SNAPSHOT_TABLES)[number];

/** Saves the rows of `table` matching `where` (a condition on alias `t`) before the commit changes them. */
export async function snapshotRows(tx: Tx, uploadId: number, table: SnapshotTable, where: SQL): Promise<void> {
  await tx.execute(sql`
    insert into upload_snapshots (upload_id, table_name, row)
    select ${uploadId}, ${table}, to_jsonb(t) from ${sql.identifier(table)} t where ${where}`);
}

/** Deletes what the upload wrote to `table` and puts the snapshotted rows back as they were. */
export async function restoreRows(tx: Tx, uploadId: number, table: SnapshotTable): Promise<void> {
  const target = sql.identifier(table);
  await tx.execute(sql`delete from ${target} where upload_id = ${uploadId}`);
  await tx.execute(sql`
    insert into ${target} overriding system value
    select (jsonb_populate_record(null::${target}, s.row)).*
    from upload_snapshots s where s.upload_id = ${uploadId} and s.table_name = ${table}
    order by s.id`);
}
