import type { TargetStatus } from '@vbp/contracts/enums';

/**
 * Target status in words and by shape, not by colour alone: ✓ circle (met), upward arrow (on track),
 * triangle with ! (at risk), downward arrow in a square (behind).
 */
export function StatusIcon({ status }: { status: TargetStatus }) {
  const common = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;
  switch (status) {
    case 'met':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'on_track':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.4" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M8 11.5V4.8M5.3 7.3L8 4.6l2.7 2.7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'at_risk':
      return (
        <svg {...common}>
          <path d="M8 1.3L15 14H1z" fill="currentColor" />
          <path d="M8 5.6v4" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
          <circle cx="8" cy="11.9" r="0.95" fill="#fff" />
        </svg>
      );
    case 'behind':
      return (
        <svg {...common}>
          <rect x="1" y="1" width="14" height="14" rx="2" fill="currentColor" />
          <path d="M8 4.3v6.6M5.3 8.4L8 11.1l2.7-2.7" fill="none" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
  }
}

export function StatusBadge({ status, label, testId }: { status: TargetStatus; label: string; testId?: string }) {
  return (
    <span className={`status status--${status}`} data-status={status} data-testid={testId}>
      <StatusIcon status={status} />
      <span>{label}</span>
    </span>
  );
}
