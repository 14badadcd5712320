/**
 * Data versions per area and region (decision 016). Every writer moves, in its own transaction, the version of
 * what it changed: the area of the data (below) in the region the data belongs to, national data in 100000.
 * Read answers are cached and tagged (ETag) by the versions of the areas they read, so a reader never gets an
 * answer older than the last committed change to what it shows, and a change elsewhere leaves it cached.
 *
 * Which versions a read depends on: a read of province R, on its areas in R and in 100000 (national data
 * every province sees); a read of the nation (100000, sums over every province) or of every region, on the
 * area's all-regions row (`*`), which every write of the area moves too.
 *
 * Moved as the last step of a write: the rows are locked only from there to the commit, so writers of
 * different provinces do not queue behind each other's long work (they share only the `*` row, briefly).
 */
import { sql } from 'drizzle-orm';
import { NATION_CODE } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';

/**
 * What the data is about, as far as reads are concerned:
 * - `reference`: the catalogue and coverage (regions, batches, varieties, products, selected products,
 *   implementations, published figures, documents);
 * - `execution`: agreed volumes, purchases, institutions, province volumes, the execution summaries, and the
 *   uploads that load them;
 * - `targets`, `planning` (scenarios), `follow-ups`, `settings` (thresholds and alert days).
 * No cached read shows accounts, so they have no area.
 */
export const DATA_AREAS = ['reference', 'execution', 'targets', 'planning', 'follow-ups', 'settings'] as const;
export type DataArea = (typeof DATA_AREAS)[number];

/** The region of an area's all-regions version: moved by every write of the area, read by reads of the nation. */
export const EVERY_REGION = '*';

/** The rows a write moves: each area in each region, and each area's all-regions row. Sorted, so writers lock in one order. */
function touchedRows(areas: readonly DataArea[], regions: readonly string[]): [DataArea, string][] {
  const rows = new Map<string, [DataArea, string]>();
  for (const area of areas) for (const region of [...regions, EVERY_REGION]) rows.set(`${area}|${region}`, [area, region]);
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * Moves the versions of `areas` in `regions` (call it inside the writing transaction, last). National data
 * is region 100000. The time comes from the inserted row (`excluded`): Citus refuses functions other than
 * immutable ones in DO UPDATE SET.
 */
export async function touchData(db: Db, areas: DataArea | readonly DataArea[], regions: string | readonly string[]): Promise<void> {
  const list = typeof regions === 'string' ? [regions] : regions;
  const rows = touchedRows(typeof areas === 'string' ? [areas] : areas, list.length ? list : [NATION_CODE]);
  await db.execute(sql`
    insert into data_versions (area, region_code, version, changed_at)
    values ${sql.join(rows.map(([area, region]) => sql`(${area}, ${region}, 1, now())`), sql`, `)}
    on conflict (area, region_code) do update set version = data_versions.version + 1, changed_at = excluded.changed_at`);
}

/** The versions a read of `region` depends on, per area: R and 100000 for a province, `*` for the nation or every region. */
export function dependencies(areas: readonly DataArea[], region: string): [DataArea, string][] {
  const regions = region === NATION_CODE || region === EVERY_REGION ? [EVERY_REGION] : [region, NATION_CODE];
  return areas.flatMap((area) => regions.map((r): [DataArea, string] => [area, r]));
}

/**
 * The current versions of these (area, region) pairs, in their order (0 for one never moved). One statement
 * (an index scan of a small reference table), whatever the number of pairs.
 */
export async function readDataVersions(db: Db, pairs: readonly (readonly [DataArea, string])[]): Promise<number[]> {
  if (pairs.length === 0) return [];
  const areas = [...new Set(pairs.map(([area]) => area))];
  const regions = [...new Set(pairs.map(([, region]) => region))];
  const rows = await selectRows<{ area: string; region: string; version: string }>(
    db,
    sql`select area, region_code as region, version::text as version from data_versions
        where area in (${sql.join(areas.map((a) => sql`${a}`), sql`, `)}) and region_code in (${sql.join(regions.map((r) => sql`${r}`), sql`, `)})`,
  );
  const found = new Map(rows.map((r) => [`${r.area}|${r.region}`, Number(r.version)]));
  return pairs.map(([area, region]) => found.get(`${area}|${region}`) ?? 0);
}
