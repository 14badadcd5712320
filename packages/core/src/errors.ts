/**
 * Errors the domain raises, in English and Chinese. The API maps `code` to an HTTP status in one place
 * (apps/api/src/errors.ts); nothing else sniffs error messages.
 */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'TOO_MANY_ATTEMPTS'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'CSRF_REJECTED'
  /** The request names a host this server does not serve (a rebinding page, a wrong name): answered 421. */
  | 'MISDIRECTED_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'WARNINGS_NOT_ACKNOWLEDGED'
  /** What validation checked is no longer what a commit would write (staged rows lost, file changed, data moved on). */
  | 'UPLOAD_STALE'
  /** The disk holding the data or the uploaded files is (nearly) full. */
  | 'INSUFFICIENT_STORAGE'
  /** The service cannot take the request now (shutting down, the database unreachable): try again later. */
  | 'UNAVAILABLE';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly messageZh: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: DomainErrorCode, message: string, messageZh: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.messageZh = messageZh;
    this.details = details;
  }
}

export function notFound(what: string, whatZh: string, key: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} not found: ${key}`, `未找到${whatZh}：${key}`, { key });
}
