/**
 * The API client: a small fetch wrapper. Successful responses are typed from the contract's schemas
 * (`z.infer`, via the exported types); failures are turned into one typed error, `ApiRequestError`,
 * whatever went wrong (an error body from the API, a proxy's HTML page, or no response at all).
 * Responses are not re-validated with zod here: the API validates against the same schemas.
 * State-changing requests carry the session's CSRF token (see `configureApiSession`).
 */
import type { ApiError } from '@vbp/contracts/api';

export type Issue = NonNullable<ApiError['error']['issues']>[number];

/**
 * The API's error codes (apps/api/src/errors.ts), and the client's own for failures without an API answer.
 * - UNAUTHENTICATED (401): no session or it expired → sign in again.
 * - FORBIDDEN (403): the role or region may not → a "no permission" message.
 * - CSRF_REJECTED (403): the state-changing request lacked the session's token → refresh it and retry once.
 * - PASSWORD_CHANGE_REQUIRED (403): the user must choose a new password first.
 * - INVALID_CREDENTIALS (401) / TOO_MANY_ATTEMPTS (429, Retry-After): sign-in refused (the API's message).
 * - INVALID_INPUT (400, with `issues` for schema failures), NOT_FOUND, CONFLICT (409), INTERNAL (500).
 * - UPLOAD_STALE (409): what an upload's validation checked is no longer what a commit would write; the
 *   upload is now `interrupted` (ask for it again to show why).
 * - INSUFFICIENT_STORAGE (507): the server's disk is full; nothing was written.
 * - UNAVAILABLE (503, Retry-After): the server is stopping or cannot reach its database.
 * - NETWORK_ERROR / INVALID_RESPONSE / HTTP_<status>: no usable answer (set here).
 */
export const KNOWN_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'PASSWORD_CHANGE_REQUIRED',
  'INVALID_CREDENTIALS',
  'TOO_MANY_ATTEMPTS',
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
  'UPLOAD_STALE',
  'INSUFFICIENT_STORAGE',
  'UNAVAILABLE',
  'NETWORK_ERROR',
  'INVALID_RESPONSE',
] as const;
export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];
/** A known code, or whatever else the API (or a proxy: HTTP_<status>) sent. */
export type ErrorCode = KnownErrorCode | (string & {});

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** SCREAMING_SNAKE code from the API, or NETWORK_ERROR / HTTP_<status> when the body was not ours. */
  readonly code: ErrorCode;
  readonly messageZh: string;
  readonly requestId: string | null;
  readonly issues: Issue[];
  /** Seconds from a `Retry-After` header (429, 503), when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: ErrorCode;
    message: string;
    messageZh: string;
    requestId: string | null;
    issues?: Issue[];
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.messageZh = init.messageZh;
    this.requestId = init.requestId;
    this.issues = init.issues ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  is(code: KnownErrorCode): boolean {
    return this.code === code;
  }
}

/** True when `error` is an API error with this code. */
export function isApiError(error: unknown, code?: KnownErrorCode): error is ApiRequestError {
  return error instanceof ApiRequestError && (code === undefined || error.code === code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads `{ error: { code, message, messageZh, requestId, issues? } }`; null when the body is not that shape. */
export function parseApiError(body: unknown): ApiError['error'] | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const e = body.error;
  if (typeof e.code !== 'string' || typeof e.message !== 'string') return null;
  const issues = Array.isArray(e.issues)
    ? e.issues.filter(isRecord).map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? ''), value: i.value }))
    : undefined;
  return {
    code: e.code,
    message: e.message,
    messageZh: typeof e.messageZh === 'string' ? e.messageZh : e.message,
    requestId: typeof e.requestId === 'string' ? e.requestId : '',
    ...(issues ? { issues } : {}),
  };
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

/** `/api/overview` + `{ region: '320000', date: undefined }` → `/api/overview?region=320000`. */
export function buildUrl(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Where the client finds the session's CSRF token (the cached `Me`), and how it gets a fresh one after
 * CSRF_REJECTED. Set once by the app's providers; tests call it with stubs.
 */
export interface ApiSessionHooks {
  csrfToken(): string | null;
  refreshCsrfToken?(): Promise<string | null>;
}

let sessionHooks: ApiSessionHooks = { csrfToken: () => null };

export function configureApiSession(hooks: ApiSessionHooks): void {
  sessionHooks = hooks;
}

/** `Retry-After: 120` → 120; an HTTP date → seconds from now; null otherwise. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000));
}

/** The session's CSRF token for a state-changing request (null when signed out). */
export function csrfToken(): string | null {
  return sessionHooks.csrfToken();
}

/** Asks for the session's current CSRF token after CSRF_REJECTED; null when there is none. */
export async function refreshCsrfToken(): Promise<string | null> {
  return sessionHooks.refreshCsrfToken ? sessionHooks.refreshCsrfToken().catch(() => null) : null;
}

/** A response body as JSON; undefined when empty or not JSON. */
export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The typed error for a failed answer (status ≥ 400), whatever its body: the API's error shape, or a
 * proxy's page (HTTP_<status>). Shared by fetch requests and file uploads (XMLHttpRequest).
 */
export function responseError(status: number, statusText: string, text: string, header: (name: string) => string | null): ApiRequestError {
  const requestId = header('x-request-id');
  const retryAfterSeconds = parseRetryAfter(header('retry-after'));
  const parsed = parseApiError(parseJson(text));
  if (parsed) return new ApiRequestError({ status, ...parsed, requestId: parsed.requestId || requestId, retryAfterSeconds });
  return new ApiRequestError({
    status,
    code: `HTTP_${status}`,
    message: `The server answered ${status} ${statusText}.`.trim(),
    messageZh: `服务器返回错误 ${status}。`,
    requestId,
    retryAfterSeconds,
  });
}

/** No answer at all: the network, not the server. */
export function networkError(): ApiRequestError {
  return new ApiRequestError({
    status: 0,
    code: 'NETWORK_ERROR',
    message: 'The server could not be reached. Check the connection and try again.',
    messageZh: '无法连接服务器，请检查网络后重试。',
    requestId: null,
  });
}

/** A success answer whose body is not JSON. */
export function invalidResponse(status: number, requestId: string | null): ApiRequestError {
  return new ApiRequestError({
    status,
    code: 'INVALID_RESPONSE',
    message: 'The server sent a response that is not JSON.',
    messageZh: '服务器返回的数据格式无法识别。',
    requestId,
  });
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  method: Method;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Expect no body (204): resolve with undefined. */
  empty?: boolean;
}

async function request(url: string, options: RequestOptions, csrfRetried = false): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.method !== 'GET') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError();
  }
  const text = await res.text();
  if (!res.ok) {
    const error = responseError(res.status, res.statusText, text, (name) => res.headers.get(name));
    // The cached token may be stale (a new session, another tab): fetch the current one and try once more.
    if (error.code === 'CSRF_REJECTED' && !csrfRetried && (await refreshCsrfToken())) return request(url, options, true);
    throw error;
  }
  const requestId = res.headers.get('x-request-id');
  const body = parseJson(text);
  if (options.empty || res.status === 204) return undefined;
  if (body === undefined) throw invalidResponse(res.status, requestId);
  return body;
}

/** GET a JSON resource of the API; throws `ApiRequestError` on any failure. */
export async function apiGet<T>(path: string, params?: QueryParams, init?: { signal?: AbortSignal }): Promise<T> {
  return (await request(buildUrl(path, params), { method: 'GET', signal: init?.signal })) as T;
}

/**
 * A state-changing request (POST, PATCH, PUT, DELETE) with a JSON body. Sends the session's CSRF token
 * as `x-csrf-token`; resolves with the JSON body, or undefined for 204 No Content.
 */
export async function apiSend<T = undefined>(method: Exclude<Method, 'GET'>, path: string, body?: unknown, init?: { signal?: AbortSignal }): Promise<T> {
  return (await request(path, { method, body, signal: init?.signal })) as T;
}
