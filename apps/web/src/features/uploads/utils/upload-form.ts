/**
 * The new-upload form: which fields a kind needs, what is wrong with a chosen file before it is sent,
 * and the multipart form the API takes (`POST /api/uploads`).
 *
 * Rules chosen here (the API enforces its own):
 * - batch: required for batch results (the file has no batch column); optional for agreed volumes (a
 *   batch code column is in the file; choosing a batch narrows the upload to it); not asked otherwise.
 *   Province volumes name the batch's selected varieties row by row: a batch whose list is not loaded yet
 *   (placeholders) cannot take them, and the API refuses it too.
 * - region: asked of national users for agreed volumes and purchases (hospital data belongs to one
 *   province); a provincial user's uploads belong to their province, so they are never asked.
 * - files: .xlsx and .csv; .xls is refused here with the fix (save as .xlsx), and so is a file past the
 *   server's default limit, so nobody waits for 200 MB to go up only to be refused.
 */
import type { UploadKind } from '@vbp/contracts/uploads';

/** The API's default limit; the server states its own in the session (`Me.limits.maxUploadBytes`). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export const ACCEPT = '.xlsx,.csv';

export type BatchNeed = 'required' | 'optional' | 'none';

export function batchNeed(kind: UploadKind): BatchNeed {
  if (kind === 'batch-results' || kind === 'province-volumes') return 'required';
  if (kind === 'agreed-volumes') return 'optional';
  return 'none';
}

/** Kinds whose every row names one of the chosen batch's selected varieties. */
export function needsBatchList(kind: UploadKind): boolean {
  return kind === 'province-volumes';
}

export function regionNeeded(kind: UploadKind, national: boolean): boolean {
  return national && (kind === 'agreed-volumes' || kind === 'purchases');
}

export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export type FileProblem = 'xls' | 'type' | 'empty' | 'too-large';

export function fileProblem(file: { name: string; size: number }, maxBytes = MAX_UPLOAD_BYTES): FileProblem | null {
  const ext = fileExtension(file.name);
  if (ext === 'xls') return 'xls';
  if (ext !== 'xlsx' && ext !== 'csv') return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > maxBytes) return 'too-large';
  return null;
}

export function isCsvName(name: string): boolean {
  return fileExtension(name) === 'csv';
}

export interface UploadDraft {
  kind: UploadKind | null;
  batchCode: string | null;
  regionCode: string | null;
  file: { name: string; size: number } | null;
  /** A saved mapping to read the file with; null to recognise the headers. */
  mapping: Record<string, string> | null;
  /** Whether the chosen batch's list of selected varieties is loaded (false: placeholders); absent: loaded. */
  batchListLoaded?: boolean;
}

export type DraftField = 'kind' | 'batch' | 'region' | 'file';
export type DraftProblem = 'required' | 'list-not-loaded' | FileProblem;

/** What must be fixed before sending, per field (empty when the draft may be sent). */
export function draftProblems(draft: UploadDraft, national: boolean, maxBytes = MAX_UPLOAD_BYTES): Partial<Record<DraftField, DraftProblem>> {
  const out: Partial<Record<DraftField, DraftProblem>> = {};
  if (!draft.kind) out.kind = 'required';
  else {
    if (batchNeed(draft.kind) === 'required' && !draft.batchCode) out.batch = 'required';
    else if (draft.batchCode && needsBatchList(draft.kind) && draft.batchListLoaded === false) out.batch = 'list-not-loaded';
    if (regionNeeded(draft.kind, national) && !draft.regionCode) out.region = 'required';
  }
  if (!draft.file) out.file = 'required';
  else {
    const problem = fileProblem(draft.file, maxBytes);
    if (problem) out.file = problem;
  }
  return out;
}

/** The multipart fields besides the file, only those that apply to the kind (and user). */
export function uploadFields(draft: UploadDraft, national: boolean): Record<string, string> {
  if (!draft.kind) return {};
  const fields: Record<string, string> = { kind: draft.kind };
  if (batchNeed(draft.kind) !== 'none' && draft.batchCode) fields.batch = draft.batchCode;
  if (regionNeeded(draft.kind, national) && draft.regionCode) fields.region = draft.regionCode;
  if (draft.mapping && Object.keys(draft.mapping).length > 0) fields.mapping = JSON.stringify(draft.mapping);
  return fields;
}

/** The form sent: `file` and the fields that apply. */
export function uploadFormData(file: Blob & { name: string }, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set('file', file, file.name);
  return form;
}

export function templateUrl(kind: UploadKind, ext: 'xlsx' | 'csv'): string {
  return `/api/templates/${kind}.${ext}`;
}
