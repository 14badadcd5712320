/**
 * 省级约定采购量核对: per variety of a batch, the province's official volume (各省约定采购量, first contract
 * year) beside the sum of its institutions' agreed volumes (the allocation check) and the purchases of the
 * batch's selected products in the same contract year, both from the volumes API (completion against the
 * official volume, not against the institutions' volumes); the execution rollup by variety adds time progress
 * and the varieties the province's table does not list.
 * Pure: the panel only draws what this returns.
 */
import type { ProvinceVolumes } from '@vbp/contracts/api';
import type { ExecutionRow } from '@vbp/contracts/execution';
import { sumDecimals } from '../../../lib/province-volumes';

type ProvinceVolumeAllocation = ProvinceVolumes['allocation'][number];

/** The institutions' volumes add up to the province's when within ±1% of it (99%–101%). */
export const ALLOCATION_TOLERANCE = 0.01;

/**
 * under: the institutions' volumes add up to less than 99% of the province's; over: more than 101%;
 * ok: in between; none: the province's volume is 0 (no ratio); missing: institutions have volumes of a
 * variety the province's table does not list.
 */
export type AllocationFlag = 'under' | 'over' | 'ok' | 'none' | 'missing';

export function allocationFlag(ratio: number | null, tolerance = ALLOCATION_TOLERANCE): AllocationFlag {
  if (ratio === null || !Number.isFinite(ratio)) return 'none';
  // compared in whole basis points so 0.99 and 1.01 themselves count as added up (no float residue)
  const bp = Math.round(ratio * 10_000);
  const tol = Math.round(tolerance * 10_000);
  if (bp < 10_000 - tol) return 'under';
  if (bp > 10_000 + tol) return 'over';
  return 'ok';
}

/** purchased ÷ the province's official volume; null when either is unknown or the volume is 0. */
export function completionAgainstOfficial(purchased: string | null, official: string | null): number | null {
  if (purchased === null || official === null) return null;
  const p = Number(purchased);
  const o = Number(official);
  if (!Number.isFinite(p) || !Number.isFinite(o) || o <= 0) return null;
  return p / o;
}

export interface ProvinceCheckRow {
  varietyId: number;
  variety: string;
  /** The province's official volume (all strengths), null for a variety its table does not list. */
  official: string | null;
  /** The sum of the institutions' agreed volumes for the same contract year (null with no official volume). */
  allocated: string | null;
  ratio: number | null;
  flag: AllocationFlag;
  /**
   * Selected products bought in the same contract year (the volumes API); for a variety the table does not list,
   * what the execution rollup counts.
   */
  purchased: string | null;
  /** purchased ÷ official. */
  completion: number | null;
  /** The execution rollup's time progress for the variety, to read the completion against. */
  timeProgress: number | null;
}

export interface ProvinceCheck {
  rows: ProvinceCheckRow[];
  official: string;
  allocated: string;
  /** Purchases of the varieties that have an official volume (the others have nothing to complete). */
  purchased: string;
  ratio: number | null;
  flag: AllocationFlag;
  completion: number | null;
  counts: Record<AllocationFlag, number>;
}

/**
 * Joins the allocation check (in the API's order: by variety name) with the execution rollup by variety
 * (its key is the variety id); varieties the institutions have volumes of but the province's table does not
 * list come last, flagged `missing`.
 */
export function buildProvinceCheck(allocation: readonly ProvinceVolumeAllocation[], executionRows: readonly ExecutionRow[]): ProvinceCheck {
  const byVariety = new Map(executionRows.map((r) => [r.key, r]));
  const rows: ProvinceCheckRow[] = allocation.map((a) => {
    const exec = byVariety.get(String(a.varietyId));
    return {
      varietyId: a.varietyId,
      variety: a.variety,
      official: a.quantity,
      allocated: a.allocated,
      ratio: a.ratio,
      flag: allocationFlag(a.ratio),
      purchased: a.purchased,
      completion: completionAgainstOfficial(a.purchased, a.quantity),
      timeProgress: exec?.timeProgress ?? null,
    };
  });
  const listed = new Set(allocation.map((a) => String(a.varietyId)));
  for (const r of executionRows) {
    if (listed.has(r.key)) continue;
    const id = Number(r.key);
    if (!Number.isInteger(id)) continue;
    rows.push({ varietyId: id, variety: r.name, official: null, allocated: null, ratio: null, flag: 'missing', purchased: r.purchased, completion: null, timeProgress: r.timeProgress });
  }
  const withOfficial = rows.filter((r) => r.official !== null);
  const official = sumDecimals(withOfficial.map((r) => r.official!));
  const allocated = sumDecimals(withOfficial.map((r) => r.allocated ?? '0'));
  const purchased = sumDecimals(withOfficial.map((r) => r.purchased ?? '0'));
  const ratio = Number(official) > 0 ? Number(allocated) / Number(official) : null;
  const counts: Record<AllocationFlag, number> = { under: 0, over: 0, ok: 0, none: 0, missing: 0 };
  for (const r of rows) counts[r.flag] += 1;
  return {
    rows,
    official,
    allocated,
    purchased,
    ratio,
    flag: withOfficial.length === 0 ? 'none' : allocationFlag(ratio),
    completion: completionAgainstOfficial(purchased, official),
    counts,
  };
}
