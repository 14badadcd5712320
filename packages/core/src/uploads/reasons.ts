/**
 * Why an upload is `interrupted` or `failed`, or why its last commit attempt did not go through: said in
 * Chinese and English, with what the clerk can do next. Stored on the upload (`status_reason`).
 */
import { todayInChina } from '@vbp/contracts/dates';
import { DomainError } from '../errors';

export interface StatusReason {
  code: string;
  /** The phase the upload was in: validating, committing, or null. */
  phase: string | null;
  message: string;
  messageZh: string;
  at: string;
}

const now = () => new Date().toISOString();

export function stoppedWhile(phase: 'validating' | 'committing' | 'reverting'): StatusReason {
  if (phase === 'validating')
    return {
      code: 'STOPPED_VALIDATING',
      phase,
      message: 'The server stopped while this file was being validated. Nothing was written: validate the stored file again.',
      messageZh: '服务器在校验该文件时停止运行。未写入任何数据：请对已上传的文件重新校验。',
      at: now(),
    };
  return {
    code: phase === 'committing' ? 'STOPPED_COMMITTING' : 'STOPPED_REVERTING',
    phase,
    message:
      phase === 'committing'
        ? 'The server stopped while this file was being committed. Nothing was written (the commit was rolled back): validate the stored file again, then commit.'
        : 'The server stopped while this upload was being reverted. Nothing was changed (the revert was rolled back): revert it again.',
    messageZh:
      phase === 'committing'
        ? '服务器在提交该文件时停止运行。未写入任何数据（提交已回滚）：请对已上传的文件重新校验后再提交。'
        : '服务器在撤销该上传时停止运行。数据未作任何改动（撤销已回滚）：请重新撤销。',
    at: now(),
  };
}

/** A refusal the domain raised (a DomainError), or an unexpected failure said plainly. */
export function reasonFrom(err: unknown, phase: string): StatusReason {
  if (err instanceof DomainError) {
    const reason = typeof err.details?.reason === 'string' ? err.details.reason : null;
    return { code: reason ? reason.toUpperCase().replace(/-/g, '_') : err.code, phase, message: err.message, messageZh: err.messageZh, at: now() };
  }
  return phase === 'committing'
    ? {
        code: 'COMMIT_FAILED',
        phase,
        message: 'The commit failed and was rolled back: nothing was written. Try again; if it fails again, tell the administrator (the server log has the cause).',
        messageZh: '提交失败并已回滚，未写入任何数据。请重试；如仍失败，请联系管理员（服务器日志中有原因）。',
        at: now(),
      }
    : {
        code: 'PROCESSING_FAILED',
        phase,
        message: 'The file could not be processed. Validate it again; if it fails again, tell the administrator (the server log has the cause).',
        messageZh: '文件处理失败。请重新校验；如仍失败，请联系管理员（服务器日志中有原因）。',
        at: now(),
      };
}

export function stagedRowsLost(): StatusReason {
  return {
    code: 'STAGING_LOST',
    phase: 'validated',
    message: 'The rows checked at validation were lost when the database restarted. Nothing was written: validate the stored file again, then commit.',
    messageZh: '数据库重启后，校验时暂存的数据已丢失。未写入任何数据：请对已上传的文件重新校验后再提交。',
    at: now(),
  };
}

export function databaseWentAway(): StatusReason {
  return {
    code: 'DATABASE_UNREACHABLE',
    phase: 'committing',
    message: 'The database stopped answering during the commit, which was rolled back: nothing was written. Commit again.',
    messageZh: '提交过程中数据库停止响应，提交已回滚，未写入任何数据。请重新提交。',
    at: now(),
  };
}

const removedWords = (at: Date) => {
  const day = todayInChina(at);
  return {
    en: `The stored file was removed on ${day} under the retention policy (files of uploads that were not committed, or were reverted, are kept for a limited time). Upload the file again.`,
    zh: `已存储的文件已于 ${day} 按数据保留策略删除（未提交或已撤销的上传，其文件只保留一段时间）。请重新上传该文件。`,
  };
};

/** Refusal to read again (or commit) an upload whose stored file retention removed. */
export function fileRemoved(id: number, at: Date): DomainError {
  const words = removedWords(at);
  return new DomainError('CONFLICT', `Upload ${id}: ${words.en}`, `上传 ${id}：${words.zh}`, { reason: 'file-removed', fileRemovedAt: at.toISOString() });
}

/** Said on a validated upload whose file retention removed: why it can no longer be committed. */
export function fileRemovedReason(at: Date): StatusReason {
  const words = removedWords(at);
  return { code: 'FILE_REMOVED', phase: null, message: words.en, messageZh: words.zh, at: at.toISOString() };
}
