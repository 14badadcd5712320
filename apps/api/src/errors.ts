import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ApiError } from '@vbp/contracts/api';
import { diskFull, isDiskFull } from '@vbp/core/disk';
import { DomainError, type DomainErrorCode } from '@vbp/core/errors';
import { isUnreachable } from '@vbp/db';
import type { AppEnv } from './env';

const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_ATTEMPTS: 429,
  PASSWORD_CHANGE_REQUIRED: 403,
  CSRF_REJECTED: 403,
  MISDIRECTED_REQUEST: 421,
  PAYLOAD_TOO_LARGE: 413,
  WARNINGS_NOT_ACKNOWLEDGED: 409,
  UPLOAD_STALE: 409,
  INSUFFICIENT_STORAGE: 507,
  UNAVAILABLE: 503,
};

/** What a 503 asks the client to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

type Issues = NonNullable<ApiError['error']['issues']>;

export function errorBody(c: Context<AppEnv>, code: string, message: string, messageZh: string, issues?: Issues): ApiError {
  return { error: { code, message, messageZh, requestId: c.get('requestId') ?? '', ...(issues ? { issues } : {}) } };
}

/** The answer to a refused request does not grow with it: values shown are shortened, issues listed are capped. */
const SHOWN_CHARS = 200;
const SHOWN_ISSUES = 50;

function shownValue(value: unknown): unknown {
  if (typeof value === 'string') return value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  return (JSON.stringify(value)?.length ?? 0) > SHOWN_CHARS ? undefined : value;
}

/** Validation failures: which parameter, what was wrong, and the value given. */
export function validationError(c: Context<AppEnv>, error: ZodError, input: unknown) {
  const issues: Issues = error.issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const path = issue.path.join('.');
    let value: unknown = input;
    for (const key of issue.path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
    value = shownValue(value);
    return { path, message: issue.message, ...(value === undefined ? {} : { value }) };
  });
  const where = issues.map((i) => `${i.path || '(input)'}${i.value === undefined ? '' : `=${JSON.stringify(i.value)}`}`).join(', ');
  return c.json(
    errorBody(c, 'INVALID_INPUT', `Invalid request parameters: ${where}`, `请求参数无效：${where}`, issues),
    400,
  );
}

/** The one place errors become responses: `{ error: { code, message, messageZh, requestId } }`. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) {
    const retryAfter = err.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') c.header('retry-after', String(retryAfter));
    // the body may still be on its way: the client is told to open a new connection for its next request
    // instead of finding this one half-read (a keep-alive socket would otherwise be unusable)
    if (STATUS[err.code] === 413) c.header('connection', 'close');
    return c.json(errorBody(c, err.code, err.message, err.messageZh), STATUS[err.code]);
  }
  if (isUnreachable(err)) {
    c.header('retry-after', String(RETRY_AFTER_SECONDS));
    return c.json(errorBody(c, 'UNAVAILABLE', 'The database cannot be reached right now: try again in a moment', '暂时无法连接数据库，请稍后重试'), 503);
  }
  if (isDiskFull(err)) {
    const full = diskFull('database', null, null);
    return c.json(errorBody(c, full.code, full.message, full.messageZh), 507);
  }
  if (err instanceof HTTPException && err.status === 400 && /^Malformed/u.test(err.message)) {
    const json = err.message.includes('JSON');
    return c.json(
      errorBody(c, 'INVALID_INPUT', `${err.message}: send ${json ? 'valid JSON' : 'a valid form'}`, json ? '请求体不是有效的 JSON' : '表单格式有误'),
      400,
    );
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(c, `HTTP_${status}`, err.message || 'Request failed', '请求失败'), status);
  }
  // the stack to the log, never to the client
  c.get('log')?.error({ err, method: c.req.method, path: c.req.path }, 'unexpected error');
  return c.json(errorBody(c, 'INTERNAL', 'Internal server error', '服务器内部错误'), 500);
}

export function notFoundHandler(c: Context<AppEnv>) {
  return c.json(errorBody(c, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`, `接口不存在：${c.req.method} ${c.req.path}`), 404);
}
