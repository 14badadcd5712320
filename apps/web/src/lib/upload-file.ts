/**
 * Sending a file to the API with upload progress. `fetch` reports no upload progress, so this uses
 * XMLHttpRequest: the same session cookie (same origin), the session's CSRF token in `x-csrf-token`
 * (read again and the request sent once more after CSRF_REJECTED, as `apiSend` does), and the same typed
 * `ApiRequestError` for every failure. Aborting (the signal) rejects with an AbortError DOMException.
 */
import { ApiRequestError, csrfToken, invalidResponse, networkError, parseJson, refreshCsrfToken, responseError } from './api';

export interface TransferProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send in all (the multipart body, a little more than the file); null while unknown. */
  total: number | null;
}

/** What of XMLHttpRequest this module uses: tests pass a fake. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface SendFileOptions {
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal | undefined;
  /** Makes the request object (tests); XMLHttpRequest by default. */
  createXhr?: () => XhrLike;
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

function sendOnce<T>(url: string, form: FormData, options: SendFileOptions): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError());
      return;
    }
    const xhr: XhrLike = options.createXhr ? options.createXhr() : (new XMLHttpRequest() as unknown as XhrLike);
    const onAbortSignal = () => xhr.abort();
    const done = () => options.signal?.removeEventListener('abort', onAbortSignal);
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = csrfToken();
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (e) => options.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : null });
    xhr.onload = () => {
      done();
      const header = (name: string) => xhr.getResponseHeader(name);
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(responseError(xhr.status, xhr.statusText, xhr.responseText, header));
        return;
      }
      const body = parseJson(xhr.responseText);
      if (body === undefined) reject(invalidResponse(xhr.status, header('x-request-id')));
      else resolve({ status: xhr.status, body: body as T });
    };
    xhr.onerror = () => {
      done();
      reject(networkError());
    };
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    options.signal?.addEventListener('abort', onAbortSignal, { once: true });
    xhr.send(form);
  });
}

/**
 * POSTs a multipart form (a file and its fields) and resolves with the HTTP status and the JSON body
 * (201 and 202 are both success: 202 means the server goes on working, see the body's status).
 */
export async function sendFile<T>(url: string, form: FormData, options: SendFileOptions = {}): Promise<{ status: number; body: T }> {
  try {
    return await sendOnce<T>(url, form, options);
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 'CSRF_REJECTED' && (await refreshCsrfToken())) {
      options.onProgress?.({ loaded: 0, total: null });
      return sendOnce<T>(url, form, options);
    }
    throw err;
  }
}
