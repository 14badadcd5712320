import type { ReactNode } from 'react';

/**
 * Shape icons on a 16×16 grid, in the text's colour (`currentColor`; white marks on the filled ones). They
 * are decorative (aria-hidden): a word beside each says what it means. Statuses pick one shape each, so that
 * none relies on colour alone.
 */
export interface IconProps {
  /** Width and height in pixels (16 unless given). */
  size?: number;
  className?: string | undefined;
}

function Icon({ size = 16, className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={className}>
      {children}
    </svg>
  );
}

/** A white tick in a filled circle: done (a target met, an upload committed). */
export function CheckCircleIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </Icon>
  );
}

/** A tick in an outlined circle: ready, not yet done. */
export function CheckOutlineIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="8" r="6.3" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M5 8.2l2 2 4-4.2" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </Icon>
  );
}

/** A white cross in a filled circle: an error. */
export function CrossCircleIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
    </Icon>
  );
}

/** A filled triangle with a white "!": a warning. */
export function AlertIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M8 1.3L15 14H1z" fill="currentColor" />
      <path d="M8 5.6v4" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
      <circle cx="8" cy="11.9" r="0.95" fill="#fff" />
    </Icon>
  );
}

/** Two white bars in a filled circle (a pause sign): stopped half-way, and can be taken up again. */
export function PauseCircleIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      <path d="M6.2 5.2v5.6M9.8 5.2v5.6" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
    </Icon>
  );
}

/** An upward arrow in an outlined circle: on track. */
export function ArrowUpCircleIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="8" r="6.4" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M8 11.5V4.8M5.3 7.3L8 4.6l2.7 2.7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </Icon>
  );
}

/** A white downward arrow in a filled square: behind. */
export function ArrowDownSquareIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="1" y="1" width="14" height="14" rx="2" fill="currentColor" />
      <path d="M8 4.3v6.6M5.3 8.4L8 11.1l2.7-2.7" fill="none" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </Icon>
  );
}

/** A quarter arc over a faint ring: still working (the caller's class may turn it). */
export function SpinnerIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeOpacity="0.3" strokeWidth="2" />
      <path d="M8 2a6 6 0 0 1 6 6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </Icon>
  );
}

/** An arrow turning back: undone. */
export function UndoIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M4 6.5h5.5a3.5 3.5 0 0 1 0 7H6" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
      <path d="M6.3 3.8L3.6 6.5l2.7 2.7" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </Icon>
  );
}
