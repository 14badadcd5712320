import type { UploadStatus } from '@vbp/contracts/uploads';
import { STATUS_LOOK, type StatusShape } from '../utils/upload-status';
import { useUploadText } from '../i18n/use-upload-text';

/** Each status has its own shape and a word: never colour alone. */
function StatusShapeIcon({ shape }: { shape: StatusShape }) {
  const common = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;
  switch (shape) {
    case 'spinner':
      return (
        <svg {...common} className="upload-status__spin">
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeOpacity="0.3" strokeWidth="2" />
          <path d="M8 2a6 6 0 0 1 6 6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      );
    case 'check-outline':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.3" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M5 8.2l2 2 4-4.2" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'cross':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
        </svg>
      );
    case 'check':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
    case 'alert':
      return (
        <svg {...common}>
          <path d="M8 1.3L15 14H1z" fill="currentColor" />
          <path d="M8 5.6v4" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
          <circle cx="8" cy="11.9" r="0.95" fill="#fff" />
        </svg>
      );
    case 'undo':
      return (
        <svg {...common}>
          <path d="M4 6.5h5.5a3.5 3.5 0 0 1 0 7H6" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
          <path d="M6.3 3.8L3.6 6.5l2.7 2.7" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      );
  }
}

export function UploadStatusBadge({ status, testId }: { status: UploadStatus; testId?: string }) {
  const { u } = useUploadText();
  const look = STATUS_LOOK[status];
  return (
    <span className={`upload-status upload-status--${look.tone}`} data-status={status} data-testid={testId}>
      <StatusShapeIcon shape={look.shape} />
      <span>{u.status[status]}</span>
    </span>
  );
}
