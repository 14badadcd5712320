/**
 * A batch's province agreed volumes (各省约定采购量, GET /api/batches/{code}/volumes): the province's official
 * task per variety and strength, as the joint procurement office publishes it and a clerk uploads it. Shared,
 * like the reconciliation query, because the batch page shows the table and the execution page checks the
 * institutions' volumes and the purchases against it (one request, one cache entry). The key sits under
 * ['batches'], which a committed or reverted upload invalidates.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ProvinceVolumes } from '@vbp/contracts/api';
import { apiGet } from './api';
import { formatLarge } from './format';
import type { Lang } from './i18n/types';

/** The contract year the joint procurement office publishes (首年约定采购量). */
export const FIRST_CONTRACT_YEAR = 1;

export const provinceVolumesQueryOptions = (code: string, region: string, contractYear = FIRST_CONTRACT_YEAR) =>
  queryOptions({
    queryKey: ['batches', 'volumes', code, region, contractYear],
    queryFn: ({ signal }) => apiGet<ProvinceVolumes>(`/api/batches/${encodeURIComponent(code)}/volumes`, { region, contractYear }, { signal }),
    // the previous province's table stays while the next one loads
    placeholderData: keepPreviousData,
  });

export function useProvinceVolumes(code: string, region: string, enabled = true) {
  return useQuery({ ...provinceVolumesQueryOptions(code, region), enabled });
}

/** English names of the minimum units the tables use; any other unit is shown as written. */
const UNITS_EN: Record<string, string> = {
  片: 'tablets',
  粒: 'capsules',
  丸: 'pills',
  支: 'vials',
  瓶: 'bottles',
  袋: 'sachets',
  贴: 'patches',
  枚: 'suppositories',
  喷: 'sprays',
};

/** A unit as the reader's language names it; null (not stated) → "minimum units" / 最小制剂单位. */
export function unitLabel(unit: string | null, lang: Lang): string {
  if (unit === null || unit.trim() === '') return lang === 'zh' ? '最小制剂单位' : 'minimum units';
  return lang === 'zh' ? unit : (UNITS_EN[unit] ?? unit);
}

/**
 * A volume from the API's decimal string, in the app's number format with its unit: "12.5万片",
 * "3,000支", "12.5万 最小制剂单位" (no unit stated); English "125,000 tablets", "1.25M minimum units".
 * Display only: sums are made on the decimal strings (sumDecimals).
 */
export function formatVolume(quantity: string | number, unit: string | null, lang: Lang): string {
  const n = typeof quantity === 'number' ? quantity : Number(quantity);
  if (!Number.isFinite(n)) return '—';
  const number = formatLarge(n, lang, 0);
  const label = unitLabel(unit, lang);
  return lang === 'zh' && unit !== null && unit.trim() !== '' ? `${number}${label}` : `${number} ${label}`;
}

/** The unit every item shares, or null when they differ or one is not stated (a total is then in minimum units). */
export function commonUnit(items: readonly { unit: string | null }[]): string | null {
  const first = items[0]?.unit ?? null;
  if (first === null) return null;
  return items.every((i) => i.unit === first) ? first : null;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Exact sum of decimal strings (the API's quantities), as a decimal string without trailing zeros:
 * ['0.1', '0.2'] → '0.3'. Anything that is not a plain decimal counts as 0.
 */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map((v) => DECIMAL.exec(v.trim())).filter((m): m is RegExpExecArray => m !== null);
  const scale = parsed.reduce((s, m) => Math.max(s, m[3]?.length ?? 0), 0);
  let total = 0n;
  for (const m of parsed) {
    const units = BigInt(`${m[2]}${(m[3] ?? '').padEnd(scale, '0')}`);
    total += m[1] ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
