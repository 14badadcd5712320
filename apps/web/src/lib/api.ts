/**
 * The API client: a small fetch wrapper. Successful responses are typed from the contract's schemas
 * (`z.infer`, via the exported types); failures are turned into one typed error, `ApiRequestError`,
 * whatever went wrong (an error body from the API, a proxy's HTML page, or no response at all).
 * Responses are not re-validated with zod here: the API validates against the same schemas, and
 * keeping zod out of the browser bundle keeps the first load small.
 */
import type { ApiError } from '@vbp/contracts/api';

type Issue = NonNullable<ApiError['error']['issues']>[number];

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** SCREAMING_SNAKE code from the API, or NETWORK_ERROR / HTTP_<status> when the body was not ours. */
  readonly code: string;
  readonly messageZh: string;
  readonly requestId: string | null;
  readonly issues: Issue[];

  constructor(init: { status: number; code: string; message: string; messageZh: string; requestId: string | null; issues?: Issue[] }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.messageZh = init.messageZh;
    this.requestId = init.requestId;
    this.issues = init.issues ?? [];
  }
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

/** GET a JSON resource of the API; throws `ApiRequestError` on any failure. */
export async function apiGet<T>(path: string, params?: QueryParams, init?: { signal?: AbortSignal }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, params), { headers: { Accept: 'application/json' }, signal: init?.signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiRequestError({
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'The server could not be reached. Check the connection and try again.',
      messageZh: '无法连接服务器，请检查网络后重试。',
      requestId: null,
    });
  }
  const requestId = res.headers.get('x-request-id');
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const parsed = parseApiError(body);
    if (parsed) {
      throw new ApiRequestError({ status: res.status, ...parsed, requestId: parsed.requestId || requestId });
    }
    throw new ApiRequestError({
      status: res.status,
      code: `HTTP_${res.status}`,
      message: `The server answered ${res.status} ${res.statusText}.`.trim(),
      messageZh: `服务器返回错误 ${res.status}。`,
      requestId,
    });
  }
  if (body === undefined) {
    throw new ApiRequestError({
      status: res.status,
      code: 'INVALID_RESPONSE',
      message: 'The server sent a response that is not JSON.',
      messageZh: '服务器返回的数据格式无法识别。',
      requestId,
    });
  }
  return body as T;
}
