/**
 * Where uploaded files wait between upload and commit: one folder, files named by a random id (never by
 * the clerk's file name), written while the SHA-256 and the size are computed, refused past the size
 * limit with nothing left behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { diskFull, freeBytes, isDiskFull } from '../disk';
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
  readonly #receiving = new Set<string>();

  constructor(readonly dir: string) {}

  path(storedName: string): string {
    if (!/^[a-f0-9]{32}$/.test(storedName)) throw new Error(`not a stored upload name: ${storedName}`);
    return join(this.dir, storedName);
  }

  /**
   * Streams a file in; throws PAYLOAD_TOO_LARGE past `maxBytes` and INSUFFICIENT_STORAGE when the disk fills,
   * keeping nothing of the file either way.
   */
  async receive(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile> {
    const storedName = randomBytes(16).toString('hex');
    const partial = join(this.dir, `${storedName}.part`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    this.#receiving.add(partial);
    try {
      await mkdir(this.dir, { recursive: true });
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            sizeBytes += chunk.byteLength;
            if (sizeBytes > maxBytes) throw tooLarge(maxBytes);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(partial, { flags: 'wx' }),
      );
      await rename(partial, this.path(storedName));
      return { storedName, sizeBytes, sha256: hash.digest('hex') };
    } catch (err) {
      await rm(partial, { force: true }).catch(() => {});
      if (isDiskFull(err)) throw diskFull('uploads', await freeBytes(this.dir).catch(() => null), sizeBytes);
      throw err;
    } finally {
      this.#receiving.delete(partial);
    }
  }

  /** Partial files of receives under way now (the cleanup leaves them alone). */
  isReceiving(path: string): boolean {
    return this.#receiving.has(path);
  }

  async remove(storedName: string): Promise<void> {
    await rm(this.path(storedName), { force: true });
  }
}
