/**
 * The reference data files (seeds/data/, described in seeds/data/README.md) and their content hash.
 * Files are found relative to this module, so the loader works from any working directory.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * Bump when the loader's rules change in a way that should reload unchanged data (the hash covers the
 * data files and this version).
 */
export const REFERENCE_LOADER_VERSION = 'reference-loader/2';

export const REFERENCE_FILES = [
  'regions.csv',
  'documents.csv',
  'categories.csv',
  'alliances.csv',
  'alliance-members.csv',
  'vbp_batches.csv',
  'batch-annotations.csv',
  'batches-extra.csv',
  'varieties.csv',
  'placeholders.csv',
  'implementations.csv',
  'targets.csv',
  'published-figures.csv',
] as const;

export type ReferenceFileName = (typeof REFERENCE_FILES)[number];
export type ReferenceFiles = Record<ReferenceFileName, string>;

export async function readReferenceFiles(): Promise<ReferenceFiles> {
  const entries = await Promise.all(
    REFERENCE_FILES.map(async (name) => [name, await readFile(new URL(`../../data/${name}`, import.meta.url), 'utf8')] as const),
  );
  return Object.fromEntries(entries) as ReferenceFiles;
}

/** SHA-256 over the loader version and every file (name and content, in a fixed order). */
export function hashReferenceFiles(files: ReferenceFiles): string {
  const hash = createHash('sha256');
  hash.update(REFERENCE_LOADER_VERSION);
  for (const name of REFERENCE_FILES) {
    hash.update('\0').update(name).update('\0').update(files[name]);
  }
  return hash.digest('hex');
}
