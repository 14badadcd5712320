/**
 * Disk space: a full disk is an error the clerk is told about, never a crash. Uploaded files are received
 * only when there is room for them; the embedded database (PGlite) is never allowed to reach a full disk,
 * because PGlite does not recover from a write that fails for lack of space (the process spins and the
 * database does not open again until space is added), so work that would fill it is refused beforehand.
 * A PostgreSQL server reports a full disk itself (SQLSTATE 53100), which becomes the same error.
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DomainError } from './errors';

export type DiskUse = 'uploads' | 'database';

/** Space always left free on a disk the embedded database or uploaded files live on. */
export const DISK_RESERVE_BYTES = 32 * 1024 * 1024;

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.max(0, Math.round(bytes / MB));

/** Bytes available to this process on the file system holding `path` (or its nearest existing parent). */
export async function freeBytes(path: string): Promise<number> {
  let at = path;
  for (;;) {
    try {
      const s = await statfs(at);
      return s.bavail * s.bsize;
    } catch (err) {
      const parent = dirname(at);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw err;
      at = parent;
    }
  }
}

export function diskFull(use: DiskUse, free: number | null, needed: number | null): DomainError {
  const where = use === 'database' ? 'the database' : 'uploaded files';
  const whereZh = use === 'database' ? '数据库' : '上传文件目录';
  const amounts = free === null ? '' : `: ${mb(free)} MB free${needed ? `, about ${mb(needed)} MB needed` : ''}`;
  const amountsZh = free === null ? '' : `：剩余 ${mb(free)} MB${needed ? `，约需 ${mb(needed)} MB` : ''}`;
  return new DomainError(
    'INSUFFICIENT_STORAGE',
    `The server's disk for ${where} is full${amounts}. Nothing was written. Ask the administrator to free space, then try again.`,
    `服务器${whereZh}所在磁盘空间不足${amountsZh}。未写入任何数据，请联系管理员清理磁盘后重试。`,
    { use, freeBytes: free, neededBytes: needed },
  );
}

/** A file-system or database error that means the disk is full (ENOSPC, EDQUOT, SQLSTATE 53100). */
export function isDiskFull(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === '53100') return true;
    if (e instanceof Error && /No space left on device/i.test(e.message)) return true;
  }
  return false;
}

/** Checks free space before work that writes to a disk, and refuses the work when it would not fit. */
export class DiskGuard {
  constructor(
    readonly paths: { uploads: string; database: string | null },
    readonly reserveBytes = DISK_RESERVE_BYTES,
  ) {}

  /** Throws INSUFFICIENT_STORAGE unless `neededBytes` fit with the reserve to spare. No-op for a server database. */
  async ensure(use: DiskUse, neededBytes = 0): Promise<void> {
    const path = use === 'database' ? this.paths.database : this.paths.uploads;
    if (path === null) return;
    const free = await freeBytes(path);
    if (free < neededBytes + this.reserveBytes) throw diskFull(use, free, neededBytes + this.reserveBytes);
  }
}
