/**
 * A batch's implementations grouped by what they share: a national batch starts in 32 regions, mostly on
 * one date with one note, so the page lists each date (with its estimate flag, contract end, note and
 * source) once, followed by every region that starts then. Groups come in order of start date; regions
 * keep the API's order (start date, then the code table's order).
 */
import type { Implementation } from '@vbp/contracts/api';

export interface ImplementationGroup {
  startOn: string;
  startPrecision: Implementation['startPrecision'];
  estimated: boolean;
  contractEndOn: string | null;
  note: string | null;
  source: string | null;
  regions: { code: string; nameZh: string }[];
}

export function groupImplementations(rows: readonly Implementation[]): ImplementationGroup[] {
  const groups = new Map<string, ImplementationGroup>();
  for (const r of rows) {
    const key = JSON.stringify([r.startOn, r.startPrecision, r.estimated, r.contractEndOn, r.note, r.source]);
    let group = groups.get(key);
    if (!group) {
      group = { startOn: r.startOn, startPrecision: r.startPrecision, estimated: r.estimated, contractEndOn: r.contractEndOn, note: r.note, source: r.source, regions: [] };
      groups.set(key, group);
    }
    group.regions.push({ code: r.regionCode, nameZh: r.regionNameZh });
  }
  // a stable sort: equal dates keep the order they first appeared in
  return [...groups.values()].sort((a, b) => (a.startOn < b.startOn ? -1 : a.startOn > b.startOn ? 1 : 0));
}
