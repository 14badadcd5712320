/** Contract expiry in a region and whether a renewal (接续采购) covers it. */
import { addDays, daysBetween, type IsoDate } from '@vbp/contracts/dates';
import { DEFAULT_CONTRACT_ALERT_DAYS } from '@vbp/contracts/enums';

/** The default window is the largest default alert day; the queries use the region's (settings.ts). */
export const DEFAULT_EXPIRY_WINDOW_DAYS: number = DEFAULT_CONTRACT_ALERT_DAYS[0];

export type ContractState = 'running' | 'ending_soon' | 'ended' | 'unknown_end';
export type RenewalState = 'renewed' | 'pending' | 'not_needed';

export interface ContractExpiry {
  daysLeft: number | null;
  state: ContractState;
  renewal: RenewalState;
}

/**
 * - daysLeft = days from asOf to the contract end (0 on the last day, negative once ended; null if unknown).
 * - state: `unknown_end` without an end date; `ended` when daysLeft < 0; `ending_soon` when
 *   0 ≤ daysLeft ≤ windowDays (the region's largest alert day; default 180: a renewal tender takes about
 *   half a year to prepare);
 *   `running` otherwise.
 * - renewal: `renewed` when a renewal batch starts on or before the day after the end (no gap), or when
 *   any renewal start is given for a contract that is ending soon or ended (late, but coming), or when one
 *   is given for a contract whose end is unknown (the renewal is what matters then); `pending` when
 *   ending soon or ended without a renewal; `not_needed` otherwise (running, or a renewal starting after
 *   a gap while the contract still runs beyond the window).
 */
export function contractExpiry(input: {
  contractEndOn: IsoDate | null;
  asOf: IsoDate;
  renewalStartOn?: IsoDate | null;
  windowDays?: number;
}): ContractExpiry {
  const { contractEndOn, asOf } = input;
  const renewalStartOn = input.renewalStartOn ?? null;
  const windowDays = input.windowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;

  if (contractEndOn === null) {
    return { daysLeft: null, state: 'unknown_end', renewal: renewalStartOn === null ? 'not_needed' : 'renewed' };
  }

  const daysLeft = daysBetween(asOf, contractEndOn);
  const state: ContractState = daysLeft < 0 ? 'ended' : daysLeft <= windowDays ? 'ending_soon' : 'running';
  const closing = state === 'ending_soon' || state === 'ended';
  const renewal: RenewalState =
    renewalStartOn !== null && (renewalStartOn <= addDays(contractEndOn, 1) || closing)
      ? 'renewed'
      : closing
        ? 'pending'
        : 'not_needed';
  return { daysLeft, state, renewal };
}
