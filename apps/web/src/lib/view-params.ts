/**
 * The view every page shares: which region, as of which date. Both live in the URL (`/?region=320000&date=2024-06-30`)
 * so a view can be bookmarked, printed and sent; the last region chosen is remembered for the next visit.
 * Without a region in the URL: the remembered one if this user may read it, else the user's own region
 * (全国 for national users). A region in the URL is kept as it is: the API answers 403 if it is not theirs.
 */
import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { isIsoDate } from '@vbp/contracts/dates';
import { pickReadableRegion } from './auth/permissions';
import { useSessionUser } from './auth/session-context';

const REGION_KEY = 'vbp.region';

export function parseRegionParam(value: string | null | undefined): string | null {
  return value && /^\d{6}$/.test(value) ? value : null;
}

/** An as-of date from the URL; null (= today, as the API decides) when absent or not a calendar date. */
export function parseDateParam(value: string | null | undefined): string | null {
  return value && isIsoDate(value) ? value : null;
}

function readStoredRegion(): string | null {
  try {
    return parseRegionParam(globalThis.localStorage?.getItem(REGION_KEY));
  } catch {
    return null;
  }
}

function storeRegion(code: string): void {
  try {
    globalThis.localStorage?.setItem(REGION_KEY, code);
  } catch {
    // Private mode or storage disabled: the URL still carries the choice.
  }
}

/** Forgets a remembered region the API does not know, so the next visit does not open on an error. */
export function forgetStoredRegion(code: string): void {
  try {
    if (globalThis.localStorage?.getItem(REGION_KEY) === code) globalThis.localStorage.removeItem(REGION_KEY);
  } catch {
    // nothing stored
  }
}

/** The same params with one of them set (or, given null, removed): for changing it in place. */
export function withParam(params: URLSearchParams, key: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next;
}

export interface ViewParams {
  region: string;
  /** Null means "today" (China Standard Time, decided by the API). */
  date: string | null;
  setRegion(code: string): void;
  setDate(date: string | null): void;
}

export function useViewParams(): ViewParams {
  const [params, setParams] = useSearchParams();
  const user = useSessionUser();
  const fromUrl = parseRegionParam(params.get('region'));
  const region = fromUrl ?? pickReadableRegion(user, readStoredRegion());
  const date = parseDateParam(params.get('date'));

  // Write the effective region into the URL so what is on screen is always what the address says.
  useEffect(() => {
    if (fromUrl === null) {
      setParams((prev) => withParam(prev, 'region', region), { replace: true });
    } else {
      storeRegion(fromUrl);
    }
  }, [fromUrl, region, setParams]);

  const setRegion = useCallback(
    (code: string) => {
      storeRegion(code);
      setParams((prev) => withParam(prev, 'region', code));
    },
    [setParams],
  );

  const setDate = useCallback(
    (value: string | null) => {
      setParams((prev) => withParam(prev, 'date', value && isIsoDate(value) ? value : null));
    },
    [setParams],
  );

  return { region, date, setRegion, setDate };
}
