/**
 * Merged cells: Excel keeps a merged cell's value in its first row only (and a CSV saved from it leaves
 * the other rows empty), so a row whose key cell is empty continues the previous row's value for that key
 * and for the columns grouped with it: a variety with several companies, a company with several specs, a
 * hospital with several varieties. A group marked `within` continues only inside the same value of another
 * key (a company does not continue into the next variety).
 */
import type { UploadKind } from '@vbp/contracts/uploads';
import { cellToText, type RawCell } from './cells';
import { isEmptyCell } from './rows';

interface CarryGroup {
  anchor: string;
  with: readonly string[];
  within?: string;
}

export const CONTINUATION: Record<UploadKind, readonly CarryGroup[]> = {
  'batch-results': [
    { anchor: 'genericName', with: ['dosageForm', 'category'] },
    { anchor: 'company', with: ['supplyRegions'], within: 'genericName' },
  ],
  implementations: [{ anchor: 'batchCode', with: [] }],
  // a province written once over its varieties; a variety once over its strengths
  'province-volumes': [
    { anchor: 'region', with: [] },
    { anchor: 'genericName', with: ['dosageForm'], within: 'region' },
  ],
  'agreed-volumes': [
    { anchor: 'institutionCode', with: ['institutionName'] },
    { anchor: 'batchCode', with: [] },
    { anchor: 'genericName', with: ['dosageForm'], within: 'institutionCode' },
  ],
  purchases: [
    { anchor: 'institutionCode', with: ['institutionName'] },
    { anchor: 'month', with: [] },
  ],
};

interface Group {
  anchor: number;
  anchorKey: string;
  with: number[];
  within: number | null;
  withinKey: string | null;
}

/** Bound once, for the per-row path (see row-processor.ts on vitest's module runner). */
const hot = { isEmptyCell, cellToText };

export class Continuation {
  private readonly groups: Group[];
  private previous: RawCell[] | null = null;

  /** `indexOf`: the column index of each matched key; groups whose anchor is not in the file are dropped. */
  constructor(kind: UploadKind, indexOf: ReadonlyMap<string, number>) {
    this.groups = CONTINUATION[kind]
      .filter((g) => indexOf.has(g.anchor))
      .map((g) => ({
        anchor: indexOf.get(g.anchor)!,
        anchorKey: g.anchor,
        with: g.with.filter((k) => indexOf.has(k)).map((k) => indexOf.get(k)!),
        within: g.within !== undefined && indexOf.has(g.within) ? indexOf.get(g.within)! : null,
        withinKey: g.within ?? null,
      }));
  }

  /** The row's cells with continued values filled in (a copy when anything was filled). */
  apply(cells: RawCell[]): RawCell[] {
    const previous = this.previous;
    let out = cells;
    if (previous && this.groups.length > 0) {
      let carried: Set<string> | null = null;
      for (const g of this.groups) {
        if (!hot.isEmptyCell(out[g.anchor]) || hot.isEmptyCell(previous[g.anchor])) continue;
        if (g.within !== null && !carried?.has(g.withinKey!) && hot.cellToText(out[g.within]) !== hot.cellToText(previous[g.within])) continue;
        if (out === cells) out = cells.slice();
        out[g.anchor] = previous[g.anchor];
        for (const i of g.with) if (hot.isEmptyCell(out[i])) out[i] = previous[i];
        (carried ??= new Set()).add(g.anchorKey);
      }
    }
    this.previous = out;
    return out;
  }
}
