import { afterEach, describe, expect, it } from 'vitest';
import { ApiRequestError, configureApiSession } from '../src/lib/api';
import { sendFile, type XhrLike } from '../src/lib/upload-file';

afterEach(() => configureApiSession({ csrfToken: () => null }));

/** A scripted XMLHttpRequest: records what was sent, then answers as told. */
function fakeXhr(answers: { status: number; body: string; headers?: Record<string, string>; progress?: [number, number][] }[]) {
  const sent: { url: string; headers: Record<string, string> }[] = [];
  let n = 0;
  const create = (): XhrLike => {
    const answer = answers[n++]!;
    const record = { url: '', headers: {} as Record<string, string> };
    const xhr: XhrLike = {
      status: 0,
      statusText: '',
      responseText: '',
      upload: { onprogress: null },
      onload: null,
      onerror: null,
      onabort: null,
      open: (_m, url) => {
        record.url = url;
      },
      setRequestHeader: (name, value) => {
        record.headers[name.toLowerCase()] = value;
      },
      getResponseHeader: (name) => answer.headers?.[name.toLowerCase()] ?? null,
      abort: () => queueMicrotask(() => xhr.onabort?.()),
      send: () => {
        sent.push(record);
        setTimeout(() => {
          for (const [loaded, total] of answer.progress ?? []) xhr.upload.onprogress?.({ loaded, total, lengthComputable: true });
          Object.assign(xhr, { status: answer.status, statusText: 'X', responseText: answer.body });
          if (answer.status === 0) xhr.onerror?.();
          else xhr.onload?.();
        }, 5);
      },
    };
    return xhr;
  };
  return { create, sent };
}

const form = () => new FormData();

describe('sendFile (XMLHttpRequest with upload progress)', () => {
  it('sends the CSRF token, reports progress and resolves with the status and body', async () => {
    configureApiSession({ csrfToken: () => 'tok-1' });
    const xhr = fakeXhr([{ status: 202, body: JSON.stringify({ id: 7, status: 'processing' }), progress: [[10, 100], [100, 100]] }]);
    const seen: [number, number | null][] = [];
    const result = await sendFile<{ id: number }>('/api/uploads', form(), { createXhr: xhr.create, onProgress: (p) => seen.push([p.loaded, p.total]) });
    expect(result).toEqual({ status: 202, body: { id: 7, status: 'processing' } });
    expect(xhr.sent[0]).toEqual({ url: '/api/uploads', headers: { accept: 'application/json', 'x-csrf-token': 'tok-1' } });
    expect(seen).toEqual([
      [10, 100],
      [100, 100],
    ]);
  });

  it('turns the API’s error (413, 400 with the fix) into ApiRequestError', async () => {
    const body = JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'too large', messageZh: '文件超过大小上限 200 MB', requestId: 'r-9' } });
    const err = await sendFile('/api/uploads', form(), { createXhr: fakeXhr([{ status: 413, body }]).create }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', messageZh: '文件超过大小上限 200 MB', requestId: 'r-9' });
    const proxy = await sendFile('/api/uploads', form(), { createXhr: fakeXhr([{ status: 502, body: '<html>', headers: { 'x-request-id': 'p-1' } }]).create }).catch((e: unknown) => e);
    expect(proxy).toMatchObject({ status: 502, code: 'HTTP_502', requestId: 'p-1' });
  });

  it('reads the session’s token again after CSRF_REJECTED and sends once more', async () => {
    let token = 'stale';
    configureApiSession({ csrfToken: () => token, refreshCsrfToken: async () => (token = 'fresh') });
    const rejected = JSON.stringify({ error: { code: 'CSRF_REJECTED', message: 'no', messageZh: '不行', requestId: 'r' } });
    const xhr = fakeXhr([
      { status: 403, body: rejected },
      { status: 201, body: JSON.stringify({ id: 1 }) },
    ]);
    await expect(sendFile('/api/uploads', form(), { createXhr: xhr.create })).resolves.toEqual({ status: 201, body: { id: 1 } });
    expect(xhr.sent.map((s) => s.headers['x-csrf-token'])).toEqual(['stale', 'fresh']);
  });

  it('says NETWORK_ERROR without an answer, INVALID_RESPONSE for a body that is not JSON, AbortError when cancelled', async () => {
    await expect(sendFile('/x', form(), { createXhr: fakeXhr([{ status: 0, body: '' }]).create })).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    await expect(sendFile('/x', form(), { createXhr: fakeXhr([{ status: 201, body: 'ok' }]).create })).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
    const controller = new AbortController();
    const pending = sendFile('/x', form(), { createXhr: fakeXhr([{ status: 201, body: '{}' }]).create, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(sendFile('/x', form(), { createXhr: fakeXhr([{ status: 201, body: '{}' }]).create, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
