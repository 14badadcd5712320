/**
 * Streaming multipart parsing for uploads: fields are collected as they come, the file is handed on as a
 * stream the moment it starts (never buffered whole), and anything beyond one file or a few small fields
 * is refused. The form must send its fields before the file (browsers and curl keep the order given).
 */
import { Readable } from 'node:stream';
import Busboy from 'busboy';
import { DomainError } from '@vbp/core/errors';

export interface IncomingFile {
  fileName: string;
  stream: AsyncIterable<Uint8Array>;
}

export async function readMultipart<T>(
  request: Request,
  onFile: (fields: Record<string, string>, file: IncomingFile) => Promise<T>,
): Promise<T> {
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
  return new Promise<T>((resolve, reject) => {
    let started = false;
    // on any refusal stop reading the request: the rest of a too-large file is not worth receiving
    const abort = (err: unknown) => {
      source.unpipe(parser);
      source.destroy();
      reject(err);
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (started) {
        stream.resume();
        return;
      }
      started = true;
      onFile({ ...fields }, { fileName: info.filename || 'upload', stream }).then(resolve, abort);
    });
    parser.on('filesLimit', () => abort(new DomainError('INVALID_INPUT', 'Send one file per upload', '每次只能上传一个文件')));
    parser.on('error', (err: Error) => abort(new DomainError('INVALID_INPUT', `The form could not be read: ${err.message}`, '上传表单无法解析')));
    parser.on('close', () => {
      if (!started) reject(new DomainError('INVALID_INPUT', 'No file in the form (field "file")', '表单中没有文件（字段 file）'));
    });
    source.on('error', (err) => abort(err));
    source.pipe(parser);
  });
}
