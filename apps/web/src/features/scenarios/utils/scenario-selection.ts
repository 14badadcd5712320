/**
 * The scenarios shown beside the baseline live in the URL, so a plan can be shared as a link:
 * `?scenario=3` for one, `?compare=3,5` (up to three) to compare them side by side.
 */
export const MAX_COMPARED = 3;

/** The selected scenario ids from the URL: `compare` when it names any, else `scenario`; distinct, at most three. */
export function readScenarioSelection(params: URLSearchParams): number[] {
  const raw = params.get('compare') ?? params.get('scenario') ?? '';
  const ids: number[] = [];
  for (const part of raw.split(',')) {
    const v = part.trim();
    if (!/^\d{1,9}$/.test(v)) continue;
    const id = Number(v);
    if (id > 0 && !ids.includes(id)) ids.push(id);
    if (ids.length === MAX_COMPARED) break;
  }
  return ids;
}

/** Writes the selection into `params` (a copy; other parameters kept): one id as `scenario`, more as `compare`. */
export function writeScenarioSelection(params: URLSearchParams, ids: readonly number[]): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete('scenario');
  next.delete('compare');
  const kept = [...new Set(ids)].slice(0, MAX_COMPARED);
  if (kept.length === 1) next.set('scenario', String(kept[0]));
  else if (kept.length > 1) next.set('compare', kept.join(','));
  return next;
}

/** Adds or removes one scenario; adding a fourth drops the oldest. */
export function toggleScenario(ids: readonly number[], id: number): number[] {
  if (ids.includes(id)) return ids.filter((x) => x !== id);
  return [...ids, id].slice(-MAX_COMPARED);
}

/** Selected ids that are still in the list (a deleted scenario falls out of the URL's selection). */
export function knownSelection(ids: readonly number[], existing: readonly { id: number }[]): number[] {
  const known = new Set(existing.map((s) => s.id));
  return ids.filter((id) => known.has(id));
}
