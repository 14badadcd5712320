/**
 * Loads the real reference data (seeds/data/) into the database: regions, documents, categories,
 * alliances, batches, varieties (real and placeholder), implementations, targets and published figures.
 *
 * - Idempotent: a SHA-256 of the data files and the loader version is kept in `seed_state` under
 *   `reference`; when it matches, nothing is written.
 * - One transaction; multi-row upserts by natural keys (codes, keys), never row by row.
 * - Never deletes, and never undoes what users did:
 *   - placeholders are added only to a batch whose varieties are none or only its own placeholders (an
 *     upload of the real results replaces them, and a later reload must not bring them back);
 *   - an implementation is updated only when the stored row is estimated or came from this seed, so a
 *     published date a clerk entered stays;
 *   - `varieties_are_placeholders` is set on insert and when placeholders are added, never reset.
 */
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@vbp/db';
import { selectRows } from '@vbp/db';
import {
  allianceMembers,
  alliances,
  batches,
  batchVarieties,
  categories,
  implementations,
  publishedFigures,
  regions,
  seedState,
  sourceDocuments,
  targets,
  varieties,
} from '@vbp/db/schema';
import { hashReferenceFiles, readReferenceFiles, type ReferenceFiles } from './files';
import { SEED_SOURCE } from './implementation-rules';
import { buildReferencePlan } from './plan';
import type { ReferencePlan, VarietyPlan } from './types';
import { NATION_CODE } from '@vbp/contracts/enums';
import { touchData } from '@vbp/core/data-version';
import { markSummariesStale } from '@vbp/core/summaries/maintain';

export const REFERENCE_SEED_NAME = 'reference';

/** PostgreSQL drivers refuse more than 65,534 bind parameters per statement; stay well under. */
const MAX_PARAMETERS = 60_000;

export interface LoadReferenceOptions {
  /** The data files' contents; read from seeds/data/ when absent (tests pass edited copies). */
  files?: ReferenceFiles;
}

export interface LoadReferenceResult {
  loaded: boolean;
  /** Rows written per table (inserted or updated); placeholders counts the placeholder varieties added. */
  counts: Record<string, number>;
}

export async function loadReferenceData(db: Db, options: LoadReferenceOptions = {}): Promise<LoadReferenceResult> {
  const files = options.files ?? (await readReferenceFiles());
  const hash = hashReferenceFiles(files);
  if ((await storedHash(db)) === hash) return { loaded: false, counts: {} };
  // check every file before opening the transaction: a bad row fails fast and writes nothing
  const plan = buildReferencePlan(files);

  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    // two processes starting at once: the second waits, then sees the first one's hash
    await txDb.execute(sql`select pg_advisory_xact_lock(hashtext('vbp:seed:reference'))`);
    if ((await storedHash(txDb)) === hash) return { loaded: false, counts: {} };
    const counts = await writePlan(txDb, plan);
    // batches and their selections may have changed what purchases count as: the execution summaries are
    // built again at the next start (ensureSummaries), and every cached read is out of date (national data:
    // the catalogue, coverage, published figures and documents, and the national and provincial targets)
    await markSummariesStale(txDb);
    await touchData(txDb, ['reference', 'execution', 'targets'], NATION_CODE);
    await txDb
      .insert(seedState)
      .values({ name: REFERENCE_SEED_NAME, hash })
      .onConflictDoUpdate({ target: seedState.name, set: { hash, loadedAt: excluded(seedState.loadedAt) } });
    return { loaded: true, counts };
  });
}

async function storedHash(db: Db): Promise<string | undefined> {
  const [row] = await db.select({ hash: seedState.hash }).from(seedState).where(eq(seedState.name, REFERENCE_SEED_NAME));
  return row?.hash;
}

/** `excluded.<column>` for an upsert's SET, by the column's SQL name (snake_case); also for a time set at the insert: Citus refuses now() there. */
function excluded(column: PgColumn): SQL {
  const name = column.keyAsName ? column.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : column.name;
  return sql.raw(`excluded."${name}"`);
}

/** SET every given column to the incoming value. */
function excludedSet<T extends PgTable>(table: T, keys: readonly (keyof T['_']['columns'] & string)[]): Record<string, SQL> {
  const columns = table as unknown as Record<string, PgColumn>;
  return Object.fromEntries(keys.map((k) => [k, excluded(columns[k]!)]));
}

/** Splits rows so that no statement carries more than {@link MAX_PARAMETERS} bind parameters. */
function chunks<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const width = Math.max(1, Object.keys(rows[0]!).length);
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function idMap<K extends string>(rows: { id: number; key: K }[]): Map<K, number> {
  return new Map(rows.map((r) => [r.key, r.id]));
}

function need<K, V>(map: Map<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`reference seed: ${what} ${String(key)} was not written`);
  return value;
}

async function writePlan(db: Db, plan: ReferencePlan): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};

  // regions
  for (const part of chunks(plan.regions)) {
    await db
      .insert(regions)
      .values(part)
      .onConflictDoUpdate({ target: regions.code, set: excludedSet(regions, ['nameZh', 'shortNameZh', 'nameEn', 'kind', 'sortOrder']) });
  }
  counts.regions = plan.regions.length;

  // documents
  const documentIds = new Map<string, number>();
  for (const part of chunks(plan.documents)) {
    const rows = await db
      .insert(sourceDocuments)
      .values(part)
      .onConflictDoUpdate({
        target: sourceDocuments.code,
        set: excludedSet(sourceDocuments, ['titleZh', 'titleEn', 'issuer', 'issuedOn', 'url', 'localFile', 'note']),
      })
      .returning({ id: sourceDocuments.id, key: sourceDocuments.code });
    for (const [k, v] of idMap(rows)) documentIds.set(k, v);
  }
  counts.source_documents = plan.documents.length;

  // categories
  const categoryIds = new Map<string, number>();
  for (const part of chunks(plan.categories)) {
    const rows = await db
      .insert(categories)
      .values(part)
      .onConflictDoUpdate({ target: categories.code, set: excludedSet(categories, ['productType', 'nameZh', 'nameEn', 'isPlaceholder', 'note']) })
      .returning({ id: categories.id, key: categories.code });
    for (const [k, v] of idMap(rows)) categoryIds.set(k, v);
  }
  counts.categories = plan.categories.length;

  // alliances and members
  const allianceIds = new Map<string, number>();
  for (const part of chunks(plan.alliances)) {
    const rows = await db
      .insert(alliances)
      .values(part)
      .onConflictDoUpdate({ target: alliances.code, set: excludedSet(alliances, ['nameZh', 'nameEn', 'leadRegionCode', 'note']) })
      .returning({ id: alliances.id, key: alliances.code });
    for (const [k, v] of idMap(rows)) allianceIds.set(k, v);
  }
  counts.alliances = plan.alliances.length;
  const memberRows = plan.allianceMembers.map((m) => ({
    allianceId: need(allianceIds, m.allianceCode, 'alliance'),
    regionCode: m.regionCode,
    source: m.source,
  }));
  for (const part of chunks(memberRows)) {
    await db
      .insert(allianceMembers)
      .values(part)
      .onConflictDoUpdate({ target: [allianceMembers.allianceId, allianceMembers.regionCode], set: excludedSet(allianceMembers, ['source']) });
  }
  counts.alliance_members = memberRows.length;

  // batches (renewals linked in a second step: a batch may renew one inserted in the same statement)
  const batchRows = plan.batches.map((b) => ({
    code: b.code,
    level: b.level,
    productType: b.productType,
    nameZh: b.nameZh,
    nameEn: b.nameEn,
    organizer: b.organizer,
    allianceId: b.allianceCode === null ? null : need(allianceIds, b.allianceCode, 'alliance'),
    regionCode: b.regionCode,
    announcedOn: b.announcedOn,
    announcedPrecision: b.announcedPrecision,
    implementedOn: b.implementedOn,
    implementedPrecision: b.implementedPrecision,
    contractYears: b.contractYears,
    publishedVarietyCount: b.publishedVarietyCount,
    publishedProductCount: b.publishedProductCount,
    publishedAvgCut: b.publishedAvgCut,
    publishedCutNote: b.publishedCutNote,
    source: b.source,
    note: b.note,
    varietiesArePlaceholders: b.varietyPolicy === 'placeholders',
  }));
  const batchIds = new Map<string, number>();
  for (const part of chunks(batchRows)) {
    const rows = await db
      .insert(batches)
      .values(part)
      .onConflictDoUpdate({
        target: batches.code,
        set: {
          ...excludedSet(batches, [
            'level',
            'productType',
            'nameZh',
            'nameEn',
            'organizer',
            'allianceId',
            'regionCode',
            'announcedOn',
            'announcedPrecision',
            'implementedOn',
            'implementedPrecision',
            'contractYears',
            'publishedVarietyCount',
            'publishedProductCount',
            'publishedAvgCut',
            'publishedCutNote',
            'source',
            'note',
          ]),
          updatedAt: excluded(batches.updatedAt),
        },
      })
      .returning({ id: batches.id, key: batches.code });
    for (const [k, v] of idMap(rows)) batchIds.set(k, v);
  }
  for (const b of plan.batches) {
    if (b.renewalOf === null) continue;
    await db
      .update(batches)
      .set({ renewalOfId: need(batchIds, b.renewalOf, 'batch') })
      .where(eq(batches.id, need(batchIds, b.code, 'batch')));
  }
  counts.batches = batchRows.length;

  // real varieties and their links
  const varietyIds = await upsertVarieties(db, plan.varieties, categoryIds);
  const linkRows = plan.batchVarieties.map((l) => ({
    batchId: need(batchIds, l.batchCode, 'batch'),
    varietyId: need(varietyIds, `${l.productType}|${l.varietyKey}`, 'variety'),
  }));
  for (const part of chunks(linkRows)) {
    await db.insert(batchVarieties).values(part).onConflictDoNothing();
  }
  counts.varieties = plan.varieties.length;
  counts.batch_varieties = linkRows.length;

  // placeholders, only where no real variety has been loaded
  const eligible = await batchesOpenToPlaceholders(db, [...plan.placeholders.keys()].map((code) => need(batchIds, code, 'batch')));
  const placeholderVarieties: VarietyPlan[] = [];
  const placeholderLinks: { batchCode: string; variety: VarietyPlan }[] = [];
  for (const [code, list] of plan.placeholders) {
    if (!eligible.has(need(batchIds, code, 'batch'))) continue;
    for (const variety of list) {
      placeholderVarieties.push(variety);
      placeholderLinks.push({ batchCode: code, variety });
    }
  }
  const placeholderIds = await upsertVarieties(db, placeholderVarieties, categoryIds);
  const placeholderLinkRows = placeholderLinks.map((l) => ({
    batchId: need(batchIds, l.batchCode, 'batch'),
    varietyId: need(placeholderIds, `${l.variety.productType}|${l.variety.key}`, 'variety'),
  }));
  let added = 0;
  for (const part of chunks(placeholderLinkRows)) {
    const rows = await db.insert(batchVarieties).values(part).onConflictDoNothing().returning({ batchId: batchVarieties.batchId });
    added += rows.length;
  }
  const filled = [...new Set(placeholderLinkRows.map((l) => l.batchId))];
  if (filled.length) {
    await db.update(batches).set({ varietiesArePlaceholders: true }).where(inArray(batches.id, filled));
  }
  counts.placeholders = added;

  // implementations: keep published dates that did not come from the seed
  const implementationRows = plan.implementations.map((i) => ({
    batchId: need(batchIds, i.batchCode, 'batch'),
    regionCode: i.regionCode,
    startOn: i.startOn,
    startPrecision: i.startPrecision,
    contractEndOn: i.contractEndOn,
    estimated: i.estimated,
    source: i.source,
    note: i.note,
  }));
  let implementationsWritten = 0;
  for (const part of chunks(implementationRows)) {
    const rows = await db
      .insert(implementations)
      .values(part)
      .onConflictDoUpdate({
        target: [implementations.batchId, implementations.regionCode],
        set: excludedSet(implementations, ['startOn', 'startPrecision', 'contractEndOn', 'estimated', 'source', 'note']),
        setWhere: sql`${implementations.estimated} or coalesce(${implementations.source}, '') like ${`${SEED_SOURCE}%`}`,
      })
      .returning({ id: implementations.id });
    implementationsWritten += rows.length;
  }
  counts.implementations = implementationsWritten;

  // targets
  const targetRows = plan.targets.map((t) => ({
    code: t.code,
    regionCode: t.regionCode,
    scope: t.scope,
    productType: t.productType,
    unit: t.unit,
    count: t.count,
    dueOn: t.dueOn,
    dueAssumed: t.dueAssumed,
    dueNote: t.dueNote,
    setOn: t.setOn,
    documentId: need(documentIds, t.documentCode, 'document'),
    clause: t.clause,
    note: t.note,
  }));
  for (const part of chunks(targetRows)) {
    await db
      .insert(targets)
      .values(part)
      .onConflictDoUpdate({
        target: targets.code,
        set: {
          ...excludedSet(targets, ['regionCode', 'scope', 'productType', 'unit', 'count', 'dueOn', 'dueAssumed', 'dueNote', 'setOn', 'documentId', 'clause', 'note']),
          updatedAt: excluded(targets.updatedAt),
        },
      });
  }
  counts.targets = targetRows.length;

  // published figures
  const figureRows = plan.figures.map((f) => ({
    code: f.code,
    regionCode: f.regionCode,
    batchId: f.batchCode === null ? null : need(batchIds, f.batchCode, 'batch'),
    metric: f.metric,
    productType: f.productType,
    comparator: f.comparator,
    value: f.value,
    unit: f.unit,
    asOf: f.asOf,
    documentId: f.documentCode === null ? null : need(documentIds, f.documentCode, 'document'),
    sourceUrl: f.sourceUrl,
    clause: f.clause,
    note: f.note,
  }));
  for (const part of chunks(figureRows)) {
    await db
      .insert(publishedFigures)
      .values(part)
      .onConflictDoUpdate({
        target: publishedFigures.code,
        set: excludedSet(publishedFigures, [
          'regionCode',
          'batchId',
          'metric',
          'productType',
          'comparator',
          'value',
          'unit',
          'asOf',
          'documentId',
          'sourceUrl',
          'clause',
          'note',
        ]),
      });
  }
  counts.published_figures = figureRows.length;

  return counts;
}

/** Upserts varieties by (product type, key); returns ids by `<product type>|<key>`. */
async function upsertVarieties(db: Db, list: readonly VarietyPlan[], categoryIds: Map<string, number>): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const rows = list.map((v) => ({
    productType: v.productType,
    key: v.key,
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    dosageFormGroup: v.dosageFormGroup,
    drugClass: v.drugClass,
    categoryId: v.categoryCode === null ? null : need(categoryIds, v.categoryCode, 'category'),
    isPlaceholder: v.isPlaceholder,
    note: v.note,
  }));
  for (const part of chunks(rows)) {
    const written = await db
      .insert(varieties)
      .values(part)
      .onConflictDoUpdate({
        target: [varieties.productType, varieties.key],
        set: excludedSet(varieties, ['nameZh', 'nameEn', 'dosageFormGroup', 'drugClass', 'categoryId', 'isPlaceholder', 'note']),
      })
      .returning({ id: varieties.id, productType: varieties.productType, key: varieties.key });
    for (const r of written) ids.set(`${r.productType}|${r.key}`, r.id);
  }
  return ids;
}

/**
 * The batches (of those given) that may receive placeholders: no varieties linked yet, or only the seed's
 * own placeholders (`<code>#nn`), so a data fix can add a missing one. A batch with any other variety has
 * had real results loaded and is left alone.
 */
async function batchesOpenToPlaceholders(db: Db, batchIds: number[]): Promise<Set<number>> {
  if (batchIds.length === 0) return new Set();
  const closed = await selectRows<{ batchId: number }>(
    db,
    sql`select distinct bv.batch_id as "batchId"
        from ${batchVarieties} bv
        join ${varieties} v on v.id = bv.variety_id
        join ${batches} b on b.id = bv.batch_id
        where bv.batch_id in (${sql.join(batchIds.map((id) => sql`${id}`), sql`, `)})
          and not (v.is_placeholder and starts_with(v.key, b.code || '#'))`,
  );
  const closedIds = new Set(closed.map((r) => Number(r.batchId)));
  return new Set(batchIds.filter((id) => !closedIds.has(id)));
}
