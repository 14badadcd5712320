/**
 * Query keys of the upload pages, and what a change to stored data makes stale. Keys are arrays:
 * ['uploads', 'list', filters], ['uploads', 'detail', id], ['upload-mappings', kind], ['batches', 'list', …].
 */
import type { QueryClient } from '@tanstack/react-query';

export const uploadKeys = {
  all: ['uploads'] as const,
  lists: ['uploads', 'list'] as const,
  detail: (id: number) => ['uploads', 'detail', id] as const,
};

/**
 * A commit or a revert changes the data every figure is computed from: the overview, the coverage
 * series, targets' progress, batches, the upload history and the audit log are asked for again.
 */
export function invalidateStoredData(client: QueryClient): Promise<unknown> {
  return Promise.all(
    ['overview', 'coverage', 'targets', 'batches', 'uploads', 'audit'].map((root) => client.invalidateQueries({ queryKey: [root] })),
  );
}
