/**
 * Changes to an upload: send the file (with progress), read it again with the clerk's choices (or as it
 * was, after an interruption), save its mapping, commit it, revert it. Each puts the answer in the
 * report's cache entry and invalidates by key what it made stale; a refusal invalidates the report too.
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CommitUploadInput, ReprocessUploadInput, SavedMapping, SaveMappingInput, UploadView } from '@vbp/contracts/uploads';
import { ApiRequestError, apiSend } from '../../../lib/api';
import { sendFile, type TransferProgress } from '../../../lib/upload-file';
import { uploadFormData } from '../utils/upload-form';
import { isInProgress } from '../utils/upload-status';
import { invalidateStoredData, uploadKeys } from './keys';

export interface CreateUploadVariables {
  file: File;
  fields: Record<string, string>;
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
}

export async function createUpload(v: CreateUploadVariables): Promise<UploadView> {
  const { body } = await sendFile<UploadView>('/api/uploads', uploadFormData(v.file, v.fields), { onProgress: v.onProgress, signal: v.signal });
  return body;
}

export function reprocessUpload(id: number, input: ReprocessUploadInput): Promise<UploadView> {
  return apiSend<UploadView>('POST', `/api/uploads/${id}/reprocess`, input);
}

export function commitUpload(id: number, input: CommitUploadInput): Promise<UploadView> {
  return apiSend<UploadView>('POST', `/api/uploads/${id}/commit`, input);
}

export function revertUpload(id: number): Promise<UploadView> {
  return apiSend<UploadView>('POST', `/api/uploads/${id}/revert`);
}

export function saveMapping(input: SaveMappingInput): Promise<SavedMapping> {
  return apiSend<SavedMapping>('POST', '/api/upload-mappings', input);
}

/** The answer is the report as it now stands: show it at once, and refresh the history (and the audit log). */
function storeReport(client: QueryClient, view: UploadView): Promise<unknown> {
  client.setQueryData(uploadKeys.detail(view.id), view);
  return Promise.all([client.invalidateQueries({ queryKey: uploadKeys.lists }), client.invalidateQueries({ queryKey: ['audit'] })]);
}

/** After a commit or revert (finished, not still running), every figure may have changed. */
function storeDataChange(client: QueryClient, view: UploadView): Promise<unknown> {
  client.setQueryData(uploadKeys.detail(view.id), view);
  return isInProgress(view.status) ? client.invalidateQueries({ queryKey: uploadKeys.lists }) : invalidateStoredData(client);
}

/**
 * A refused or failed change may still have moved the upload on: a commit whose check had gone stale left
 * it `interrupted` (UPLOAD_STALE), one that failed left it `validated` with the reason (INSUFFICIENT_STORAGE,
 * INTERNAL), another tab got there first (CONFLICT). Not when the server took no request at all (503
 * UNAVAILABLE, or no answer): nothing changed there, and asking again now would fail as well.
 */
export function mayHaveChangedUpload(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status !== 0 && error.status !== 503;
}

/** The report (and its line in the history) is asked for again, so the page shows where the upload stands. */
function refreshAfterError(client: QueryClient, id: number, error: unknown): Promise<unknown> | undefined {
  if (!mayHaveChangedUpload(error)) return undefined;
  return Promise.all([client.invalidateQueries({ queryKey: uploadKeys.detail(id) }), client.invalidateQueries({ queryKey: uploadKeys.lists })]);
}

/** `onUploaded` runs even when the page that sent the file is gone (the clerk went elsewhere meanwhile). */
export function useCreateUpload(options: { onUploaded?: (view: UploadView) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createUpload,
    onSuccess: (view) => {
      options.onUploaded?.(view);
      return storeReport(client, view);
    },
  });
}

export function useReprocessUpload(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReprocessUploadInput) => reprocessUpload(id, input),
    onSuccess: (view) => storeReport(client, view),
    onError: (error) => refreshAfterError(client, id, error),
  });
}

export function useCommitUpload(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CommitUploadInput) => commitUpload(id, input),
    onSuccess: (view) => storeDataChange(client, view),
    onError: (error) => refreshAfterError(client, id, error),
  });
}

export function useRevertUpload() {
  const client = useQueryClient();
  return useMutation({ mutationFn: revertUpload, onSuccess: (view) => storeDataChange(client, view), onError: (error, id) => refreshAfterError(client, id, error) });
}

export function useSaveMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: saveMapping,
    onSuccess: (saved) => client.invalidateQueries({ queryKey: ['upload-mappings', saved.kind] }),
  });
}
