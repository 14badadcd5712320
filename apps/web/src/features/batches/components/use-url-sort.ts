import { useSearchParams } from 'react-router';
import { withParam } from '../../../lib/view-params';
import { parseSort, sortToParam, type SortState } from '../utils/sort-rows';

/** A table's sort kept in the URL (replaced, not pushed: sorting is not a step to go back through). */
export function useUrlSort<K extends string>(param: string, keys: readonly K[], fallback: SortState<K>): [SortState<K>, (s: SortState<K>) => void] {
  const [params, setParams] = useSearchParams();
  const sort = parseSort(params.get(param), keys, fallback);
  return [sort, (s) => setParams((prev) => withParam(prev, param, sortToParam(s)), { replace: true })];
}
