/**
 * Reading list filters from the URL (so a filtered list can be bookmarked, shared and reloaded) and writing
 * them back. Anything malformed is dropped rather than sent to the API.
 */
import { useSearchParams } from 'react-router';

/** A page number ≥ 1 (1 when absent or not a positive whole number). */
export function readPage(value: string | null | undefined): number {
  if (!value || !/^\d{1,6}$/.test(value)) return 1;
  return Math.max(1, Number(value));
}

/** Trimmed text up to `max` characters; undefined when empty. */
export function readText(value: string | null | undefined, max = 64): string | undefined {
  const v = value?.trim();
  return v ? v.slice(0, max) : undefined;
}

export function readOneOf<T extends string>(value: string | null | undefined, allowed: readonly T[]): T | undefined {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Filters → search params: empty values and page 1 are left out, keys in the given order. */
export function toSearchParams(filters: Record<string, string | number | undefined | null>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'page' && Number(value) <= 1) continue;
    out.set(key, String(value));
  }
  return out;
}

/** A list's filters as the URL holds them, and the way to change them (a new history entry, so back works). */
export function useUrlFilters<F>(parse: (params: URLSearchParams) => F, toParams: (filters: F) => URLSearchParams): [F, (next: F) => void] {
  const [params, setParams] = useSearchParams();
  return [parse(params), (next) => setParams(toParams(next))];
}
