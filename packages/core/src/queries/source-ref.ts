/** The source (document and clause) every published figure and target carries, read the same way everywhere. */
import { sql } from 'drizzle-orm';
import type { SourceRef } from '@vbp/contracts/api';

/** The columns a row selects for its source: the document's (joined as `d`) and the row's own clause. */
export type SourceColumns = {
  documentCode: string | null;
  titleZh: string | null;
  issuer: string | null;
  issuedOn: string | null;
  url: string | null;
  clause: string | null;
};

/** The source document's columns, for a query that joins source_documents as `d` (the clause is the caller's). */
export const DOCUMENT_COLUMNS = sql`d.code as "documentCode", d.title_zh as "titleZh", d.issuer as "issuer", d.issued_on::text as "issuedOn", d.url as "url"`;

/** The row with its source columns gathered into `source`. */
export function withSource<T extends SourceColumns>(row: T): Omit<T, keyof SourceColumns> & { source: SourceRef } {
  const { documentCode, titleZh, issuer, issuedOn, url, clause, ...rest } = row;
  return { ...rest, source: { documentCode, titleZh, issuer, issuedOn, url, clause } };
}
