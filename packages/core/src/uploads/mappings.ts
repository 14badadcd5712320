/**
 * Saved column mappings: when a clerk has mapped a file's headers by hand, the mapping is saved under a
 * name and offered again for files with the same headers (the signature is the SHA-256 of the sorted,
 * normalised headers).
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { SavedMapping, UploadKind } from '@vbp/contracts/uploads';
import type { Db } from '@vbp/db';
import { uploadMappings, uploads } from '@vbp/db/schema';
import { writeAudit } from '../audit';
import { assertMay, isNational, type Actor } from '../auth/actor';
import { DomainError, notFound } from '../errors';
import type { UploadReport } from './report';
import { toHalfWidth } from './text';

export function headerSignature(headers: readonly string[]): string {
  const normalised = [...new Set(headers.map((h) => toHalfWidth(h).replace(/\s+/g, '').toLowerCase()))].sort();
  return createHash('sha256').update(normalised.join('\u0001')).digest('hex');
}

function toView(row: typeof uploadMappings.$inferSelect): SavedMapping {
  return { ...row, kind: row.kind as UploadKind, createdAt: row.createdAt.toISOString() };
}

/** Mappings visible to the clerk: their province's and the national ones. */
export async function listMappings(db: Db, actor: Actor, kind?: UploadKind): Promise<SavedMapping[]> {
  assertMay(actor, 'save-mapping:upload');
  const rows = await db
    .select()
    .from(uploadMappings)
    .where(and(kind ? eq(uploadMappings.kind, kind) : undefined, isNational(actor) ? undefined : or(eq(uploadMappings.regionCode, actor.regionCode), isNull(uploadMappings.regionCode))))
    .orderBy(desc(uploadMappings.id))
    .limit(200);
  return rows.map(toView);
}

/** Saves the mapping an upload was read with, for files with the same headers. */
export async function saveMapping(db: Db, actor: Actor, input: { uploadId: number; name: string }): Promise<SavedMapping> {
  assertMay(actor, 'save-mapping:upload');
  const missing = () => notFound('upload', '上传记录', String(input.uploadId));
  const [upload] = await db.select().from(uploads).where(eq(uploads.id, input.uploadId));
  if (!upload || upload.isSynthetic) throw missing();
  assertMay(actor, 'save-mapping:upload', { regionCode: upload.regionCode }, missing);
  const report = (upload.report ?? {}) as Partial<UploadReport>;
  const mapping = report.detected?.mapping ?? upload.mapping ?? {};
  const unmatched = report.unmatchedHeaders ?? [];
  if (Object.keys(mapping).length === 0) throw new DomainError('INVALID_INPUT', 'This upload has no column mapping to save', '该上传没有可保存的列映射');
  const signature = headerSignature([...Object.keys(mapping), ...unmatched]);
  const regionCode = isNational(actor) ? null : actor.regionCode;
  const [row] = await db
    .insert(uploadMappings)
    .values({ kind: upload.kind, name: input.name, headerSignature: signature, mapping, regionCode, createdBy: actor.username })
    .onConflictDoUpdate({ target: [uploadMappings.kind, uploadMappings.headerSignature, uploadMappings.regionCode], set: { name: input.name, mapping, createdBy: actor.username } })
    .returning();
  await writeAudit(db, actor, { action: 'save_mapping', entity: 'upload_mapping', entityId: row!.id, regionCode, after: { name: input.name, kind: upload.kind, mapping } });
  return toView(row!);
}
