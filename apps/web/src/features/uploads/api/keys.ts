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
 * series, targets' progress, batches, execution, contract periods, reconciliation, the upload history and
 * the audit log are asked for again. Not the upload's own report: the caller has its answer already (and
 * invalidating it from its own query would cancel and restart that query without end).
 */
export function invalidateStoredData(client: QueryClient): Promise<unknown> {
  return Promise.all(
    [['overview'], ['coverage'], ['targets'], ['batches'], ['execution'], ['contracts'], ['reconciliation'], ['audit'], uploadKeys.lists].map((queryKey) => client.invalidateQueries({ queryKey })),
  );
}
