import type { ComponentType } from 'react';
import type { UploadStatus } from '@vbp/contracts/uploads';
import { AlertIcon, CheckCircleIcon, CheckOutlineIcon, CrossCircleIcon, PauseCircleIcon, SpinnerIcon, UndoIcon, type IconProps } from '../../../components/ui/icons';
import { STATUS_LOOK, type StatusShape } from '../utils/upload-status';
import { useUploadText } from '../i18n/use-upload-text';

/** Each status has its own shape and a word: never colour alone. */
const SHAPE_ICONS: Record<StatusShape, ComponentType<IconProps>> = {
  spinner: SpinnerIcon,
  'check-outline': CheckOutlineIcon,
  cross: CrossCircleIcon,
  check: CheckCircleIcon,
  alert: AlertIcon,
  pause: PauseCircleIcon,
  undo: UndoIcon,
};

export function UploadStatusBadge({ status, testId }: { status: UploadStatus; testId?: string }) {
  const { u } = useUploadText();
  const look = STATUS_LOOK[status];
  const Icon = SHAPE_ICONS[look.shape];
  return (
    <span className={`status status--${look.tone}`} data-status={status} data-testid={testId}>
      <Icon className={look.shape === 'spinner' ? 'upload-status__spin' : undefined} />
      <span>{u.status[status]}</span>
    </span>
  );
}
