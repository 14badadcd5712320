/**
 * Contracts ending soon, one line per batch. For a province each batch has one contract in the region;
 * for the nation the API lists every province's contract of each national batch, so they are grouped:
 * the earliest end, how many regions, and how many of them a renewal batch already covers.
 */
import type { Overview } from '@vbp/contracts/api';

type EndingRow = Overview['contractsEndingSoon'][number];

export interface EndingBatch {
  batchCode: string;
  batchNameZh: string;
  /** The earliest contract end among the batch's regions. */
  contractEndOn: string;
  daysLeft: number;
  regionCount: number;
  /** Regions whose contract is followed by a renewal batch. */
  renewedCount: number;
  /** The renewal batches, distinct, in order of appearance. */
  renewedBy: string[];
}

export function groupEndingContracts(rows: readonly EndingRow[]): EndingBatch[] {
  const byBatch = new Map<string, EndingBatch>();
  for (const r of rows) {
    let g = byBatch.get(r.batchCode);
    if (!g) {
      g = { batchCode: r.batchCode, batchNameZh: r.batchNameZh, contractEndOn: r.contractEndOn, daysLeft: r.daysLeft, regionCount: 0, renewedCount: 0, renewedBy: [] };
      byBatch.set(r.batchCode, g);
    }
    g.regionCount += 1;
    if (r.daysLeft < g.daysLeft) {
      g.daysLeft = r.daysLeft;
      g.contractEndOn = r.contractEndOn;
    }
    if (r.renewedBy !== null) {
      g.renewedCount += 1;
      if (!g.renewedBy.includes(r.renewedBy)) g.renewedBy.push(r.renewedBy);
    }
  }
  return [...byBatch.values()].sort((a, b) => a.daysLeft - b.daysLeft || a.batchCode.localeCompare(b.batchCode));
}
