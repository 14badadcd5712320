import { desc } from 'drizzle-orm';
import type { SourceDocument } from '@vbp/contracts/api';
import type { Db } from '@vbp/db';
import { sourceDocuments } from '@vbp/db/schema';

/** The documents figures and targets cite, newest first (a short list: policy documents). */
export function listDocuments(db: Db): Promise<SourceDocument[]> {
  return db
    .select({ code: sourceDocuments.code, titleZh: sourceDocuments.titleZh, issuer: sourceDocuments.issuer, issuedOn: sourceDocuments.issuedOn, url: sourceDocuments.url })
    .from(sourceDocuments)
    .orderBy(desc(sourceDocuments.issuedOn), sourceDocuments.code);
}
