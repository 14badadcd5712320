/** The caps that keep one upload from exhausting the server, whatever the file holds. */
export interface ImportLimits {
  /** Rows read from the file (title rows included); more stops the import with TOO_MANY_ROWS. */
  maxRows: number;
  /** Cells in one row (up to the last non-empty one). */
  maxCellsPerRow: number;
  /** Characters in one cell. */
  maxCellChars: number;
  /** XLSX: the sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number;
  /** XLSX: entries in the zip. */
  maxEntries: number;
  /** XLSX: uncompressed / compressed of one entry, checked for entries above `ratioMinBytes`. */
  maxRatio: number;
  ratioMinBytes: number;
  /** XLSX: the shared-strings table is held in memory while a sheet is read, so it has its own cap. */
  maxSharedStringsBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxRows: 5_000_000,
  maxCellsPerRow: 200,
  maxCellChars: 10_000,
  maxUncompressedBytes: 1024 ** 3,
  maxEntries: 10_000,
  maxRatio: 200,
  ratioMinBytes: 10 * 1024 ** 2,
  maxSharedStringsBytes: 256 * 1024 ** 2,
});

export function resolveLimits(limits?: Partial<ImportLimits>): ImportLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
