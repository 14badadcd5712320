/**
 * Expiry warnings: the contracts ending within the region's window (Overview.contractWindow: its largest
 * contract alert day; the overview lists no others) that no renewal batch covers yet (for 全国: a
 * national batch with any province not yet renewed), soonest first. Built on groupEndingContracts.
 */
import type { Overview } from '@vbp/contracts/api';
import { groupEndingContracts, type EndingBatch } from './contracts';

export function unrenewedEnding(rows: Overview['contractsEndingSoon']): EndingBatch[] {
  return groupEndingContracts(rows).filter((g) => g.renewedCount < g.regionCount);
}
