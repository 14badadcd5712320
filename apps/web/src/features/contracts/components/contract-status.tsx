import type { ContractPeriod, ContractState } from '@vbp/contracts/contract-periods';
import { AlertIcon, CheckCircleIcon, CheckOutlineIcon, CrossCircleIcon } from '../../../components/ui/icons';
import { formatDate, formatDays } from '../../../lib/format';
import { useContractsText } from '../i18n/use-contracts-text';

/** One shape per state, so the state is never told by colour alone. */
export function StateIcon({ state }: { state: ContractState }) {
  switch (state) {
    case 'ending_soon':
      return <AlertIcon className="contract-icon contract-icon--ending_soon" />;
    case 'ended':
      return <CrossCircleIcon className="contract-icon contract-icon--ended" />;
    case 'running':
      return <CheckOutlineIcon className="contract-icon contract-icon--running" />;
    default:
      return (
        <svg className="contract-icon contract-icon--unknown_end" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <circle cx="8" cy="8" r="6.4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeDasharray="2.5 2" />
          <text x="8" y="11.6" fontSize="10" textAnchor="middle" fill="currentColor" fontWeight="700">
            ?
          </text>
        </svg>
      );
  }
}

/** The state in words with its icon, and the days left (or since the end). */
export function StateText({ period }: { period: ContractPeriod }) {
  const { c, lang } = useContractsText();
  const days = period.daysLeft;
  return (
    <span className={`contract-state contract-state--${period.state}`} data-state={period.state}>
      <StateIcon state={period.state} />
      <span>{c.states[period.state]}</span>
      {days !== null && period.state !== 'running' ? (
        <span className="contract-state__days">{days >= 0 ? c.daysLeft(formatDays(days, lang)) : c.endedAgo(formatDays(-days, lang))}</span>
      ) : null}
    </span>
  );
}

export function RenewalText({ period }: { period: ContractPeriod }) {
  const { c } = useContractsText();
  if (period.renewal === 'renewed') {
    return (
      <span className="contract-renewal contract-renewal--renewed" data-renewal="renewed">
        <CheckCircleIcon className="contract-icon" />
        {period.renewedBy ? c.renewal.renewed(period.renewedBy.code, formatDate(period.renewedBy.startOn)) : c.renewal.renewedNoBatch}
      </span>
    );
  }
  if (period.renewal === 'pending') {
    return (
      <span className="contract-renewal contract-renewal--pending" data-renewal="pending">
        <AlertIcon className="contract-icon" />
        {c.renewal.pending}
      </span>
    );
  }
  return (
    <span className="contract-renewal" data-renewal="not_needed">
      {c.renewal.not_needed}
    </span>
  );
}
