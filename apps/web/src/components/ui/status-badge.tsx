import type { ComponentType } from 'react';
import type { TargetStatus } from '@vbp/contracts/enums';
import { AlertIcon, ArrowDownSquareIcon, ArrowUpCircleIcon, CheckCircleIcon, type IconProps } from './icons';

/**
 * Target status in words and by shape, not by colour alone: ✓ circle (met), upward arrow (on track),
 * triangle with ! (at risk), downward arrow in a square (behind).
 */
const STATUS_ICONS: Record<TargetStatus, ComponentType<IconProps>> = {
  met: CheckCircleIcon,
  on_track: ArrowUpCircleIcon,
  at_risk: AlertIcon,
  behind: ArrowDownSquareIcon,
};

export function StatusBadge({ status, label, testId }: { status: TargetStatus; label: string; testId?: string }) {
  const Icon = STATUS_ICONS[status];
  return (
    <span className={`status status--${status}`} data-status={status} data-testid={testId}>
      <Icon />
      <span>{label}</span>
    </span>
  );
}
