import { networkError, responseError } from '../../../lib/api';

export interface ExportProgress {
  received: number;
}

export interface ExportResult {
  fileName: string;
  totalRows: number | null;
  exportedRows: number | null;
  rowCap: number | null;
}

/**
 * Downloads the export with progress (a plain link shows none while the server builds the file): the body
 * is read chunk by chunk, then handed to the browser as a file. Errors are the API's, as everywhere.
 */
export async function downloadExport(url: string, onProgress: (p: ExportProgress) => void, signal?: AbortSignal): Promise<ExportResult> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', signal: signal ?? null });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw networkError();
  }
  if (!res.ok) throw responseError(res.status, res.statusText, await res.text(), (h) => res.headers.get(h));
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress({ received });
    }
  }
  const blob = new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'execution.xlsx';
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  const header = (name: string) => {
    const v = res.headers.get(name);
    return v === null ? null : Number(v);
  };
  return { fileName, totalRows: header('x-total-rows'), exportedRows: header('x-exported-rows'), rowCap: header('x-row-cap') };
}
