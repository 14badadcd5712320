import type { ComponentType } from 'react';
import type { BatchStatus } from '@vbp/contracts/batch-status';
import { AlertIcon, ArrowUpCircleIcon, CheckCircleIcon, CheckOutlineIcon, CrossCircleIcon, UndoIcon, type IconProps } from '../../../components/ui/icons';

/**
 * A batch's status in a word and a shape (never colour alone), on the app's .status badge and its tones:
 * running ✓ (green), end not published ✓ outlined (blue: started, end unknown), upcoming ↑ (blue), ended ▲! (amber:
 * needs a renewal), renewed ↶ (neutral), no record ⊗ (neutral).
 */
const LOOK: Record<BatchStatus, { icon: ComponentType<IconProps>; tone: string }> = {
  running: { icon: CheckCircleIcon, tone: 'met' },
  end_unknown: { icon: CheckOutlineIcon, tone: 'on_track' },
  upcoming: { icon: ArrowUpCircleIcon, tone: 'on_track' },
  ended: { icon: AlertIcon, tone: 'at_risk' },
  renewed: { icon: UndoIcon, tone: 'ready' },
  unrecorded: { icon: CrossCircleIcon, tone: 'neutral' },
};

export function BatchStatusBadge({ status, label, testId }: { status: BatchStatus; label: string; testId?: string }) {
  const { icon: Icon, tone } = LOOK[status];
  return (
    <span className={`status status--${tone}`} data-status={status} data-testid={testId}>
      <Icon />
      <span>{label}</span>
    </span>
  );
}
