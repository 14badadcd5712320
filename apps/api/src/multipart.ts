/**
 * Streaming multipart parsing for uploads: the file is handed on as a stream the moment it starts (never
 * buffered whole: the caller stores it), the fields are collected in whatever order they come (curl and
 * scripts often send them after the file), and the form is answered for once it has ended. Anything beyond
 * one file or a few small fields is refused.
 */
import { Readable } from 'node:stream';
import Busboy from 'busboy';
import { DomainError } from '@vbp/core/errors';

/** A refused upload's remaining body is read and dropped for at most this long before the refusal is sent. */
const DRAIN_MS = 30_000;

/**
 * Reads and drops the rest of a request body (at most `limitBytes`, for at most DRAIN_MS), then resolves.
 * A server that answers early (a refusal: a full disk, a bad field) and closes the connection with data
 * still arriving makes the client's system reset it, and the client then loses the answer: the clerk's
 * browser would say "connection reset" instead of "the disk is full". Reading the rest first lets the
 * answer arrive. Bodies are already limited (MAX_UPLOAD_MB), so this is bounded.
 */
function drain(body: Readable, limitBytes: number): Promise<void> {
  return new Promise((resolve) => {
    // already read to its end (a small body arrives whole): nothing left to wait for
    if (body.readableEnded || body.destroyed) return resolve();
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      body.off('data', count);
      resolve();
    };
    const count = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limitBytes) done();
    };
    const timer = setTimeout(done, DRAIN_MS);
    timer.unref();
    body.on('data', count);
    body.once('end', done);
    body.once('close', done);
    body.once('error', done);
    body.resume();
  });
}

export interface IncomingFile {
  fileName: string;
  stream: AsyncIterable<Uint8Array>;
}

export interface MultipartForm<T> {
  fields: Record<string, string>;
  fileName: string;
  /** What `onFile` made of the file's stream. */
  file: T;
}

/**
 * Reads a form with one file. `onFile` consumes the file's stream as it arrives; the answer comes when the
 * whole form is read, with every field, sent before or after the file. When the form fails after `onFile`
 * finished, `discard` is given its result (to remove what it stored).
 */
export async function readMultipart<T>(
  request: Request,
  onFile: (file: IncomingFile) => Promise<T>,
  limitBytes: number,
  discard: (file: T) => Promise<void> = async () => {},
): Promise<MultipartForm<T>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data') || !request.body)
    throw new DomainError('INVALID_INPUT', 'Send the file as multipart/form-data', '请以 multipart/form-data 表单上传文件');
  const fields: Record<string, string> = {};
  const source = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
  const parser = Busboy({
    headers: { 'content-type': type },
    limits: { files: 1, fields: 20, fieldSize: 256 * 1024, parts: 22 },
    defParamCharset: 'utf8',
  });
  return new Promise<MultipartForm<T>>((resolve, reject) => {
    let received: Promise<{ fileName: string; file: T }> | null = null;
    // set once the form is answered for, either way
    let settled = false;
    // on any refusal stop parsing the request; what the client still sends is read and dropped before the
    // refusal is sent, so that it arrives (see drain)
    const abort = (err: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(parser);
      void drain(source, limitBytes)
        .then(() => received?.then(({ file }) => discard(file), () => {}))
        .then(() => reject(err), () => reject(err));
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (received) {
        stream.resume();
        return;
      }
      const fileName = info.filename || 'upload';
      received = onFile({ fileName, stream }).then((file) => ({ fileName, file }));
      received.catch(abort);
    });
    parser.on('filesLimit', () => abort(new DomainError('INVALID_INPUT', 'Send one file per upload', '每次只能上传一个文件')));
    parser.on('error', (err: Error) => abort(new DomainError('INVALID_INPUT', `The form could not be read: ${err.message}`, '上传表单无法解析')));
    parser.on('close', () => {
      if (!received) reject(new DomainError('INVALID_INPUT', 'No file in the form (field "file")', '表单中没有文件（字段 file）'));
      else
        received.then(({ fileName, file }) => {
          if (settled) return;
          settled = true;
          resolve({ fields: { ...fields }, fileName, file });
        }, () => {});
    });
    source.on('error', (err) => abort(err));
    source.pipe(parser);
  });
}
