/**
 * Where uploaded files wait between upload and commit: one folder, files named by a random id (never by
 * the clerk's file name), written while the SHA-256 and the size are computed, refused past the size
 * limit with nothing left behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../errors';

export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export interface StoredFile {
  storedName: string;
  sizeBytes: number;
  sha256: string;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${formatBytes(maxBytes)}`, `文件超过大小上限 ${formatBytes(maxBytes)}`, { maxBytes });
}

export class UploadStore {
  constructor(readonly dir: string) {}

  path(storedName: string): string {
    if (!/^[a-f0-9]{32}$/.test(storedName)) throw new Error(`not a stored upload name: ${storedName}`);
    return join(this.dir, storedName);
  }

  /** Streams a file in; throws PAYLOAD_TOO_LARGE (and keeps nothing) past `maxBytes`. */
  async receive(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
    await mkdir(this.dir, { recursive: true });
    const storedName = randomBytes(16).toString('hex');
    const partial = join(this.dir, `${storedName}.part`);
    const hash = createHash('sha256');
    const out = createWriteStream(partial, { flags: 'wx' });
    let sizeBytes = 0;
    try {
      for await (const chunk of source) {
        sizeBytes += chunk.byteLength;
        if (sizeBytes > maxBytes) throw tooLarge(maxBytes);
        hash.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await rename(partial, this.path(storedName));
      return { storedName, sizeBytes, sha256: hash.digest('hex') };
    } catch (err) {
      out.destroy();
      await rm(partial, { force: true });
      throw err;
    }
  }

  async remove(storedName: string): Promise<void> {
    await rm(this.path(storedName), { force: true });
  }
}
