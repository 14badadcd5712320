import type { ReactNode } from 'react';

/** Read by screen readers, not shown on screen. */
export function VisuallyHidden({ children, as: Tag = 'span' }: { children: ReactNode; as?: 'span' | 'div' | 'caption' | 'p' }) {
  return <Tag className="visually-hidden">{children}</Tag>;
}
