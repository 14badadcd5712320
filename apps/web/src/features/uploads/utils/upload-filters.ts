/**
 * The history's filters, as the URL carries them: /uploads?kind=purchases&status=invalid&page=2.
 * Anything malformed is dropped rather than sent to the API.
 */
import { UPLOAD_KINDS, UPLOAD_STATUSES, type UploadKind, type UploadStatus } from '@vbp/contracts/uploads';
import { readOneOf, readPage, toSearchParams } from '../../../lib/search-params';

export const UPLOADS_PAGE_SIZE = 20;

export interface UploadFilters {
  kind?: UploadKind | undefined;
  status?: UploadStatus | undefined;
  page: number;
}

export function parseUploadFilters(params: URLSearchParams): UploadFilters {
  return {
    kind: readOneOf(params.get('kind'), UPLOAD_KINDS),
    status: readOneOf(params.get('status'), UPLOAD_STATUSES),
    page: readPage(params.get('page')),
  };
}

export function uploadFiltersToParams(f: UploadFilters): URLSearchParams {
  return toSearchParams({ kind: f.kind, status: f.status, page: f.page });
}

export function hasUploadFilters(f: UploadFilters): boolean {
  return f.kind !== undefined || f.status !== undefined;
}
