import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * What a number counts, as of when and from where. A short line stays visible under the number (and on
 * paper); the ⓘ button opens the full definition as a popover over the page, so opening it moves nothing.
 * Escape or a click elsewhere closes it. On paper the definition is always printed, in the flow.
 */
export function Footnote({ summary, children, label }: { summary: ReactNode; children?: ReactNode; label: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="footnote" ref={rootRef}>
      <p className="footnote__summary">
        {summary}
        {children ? (
          <button
            ref={buttonRef}
            type="button"
            className="footnote__toggle"
            aria-expanded={open}
            aria-controls={id}
            aria-label={label}
            title={label}
            onClick={() => setOpen((v) => !v)}
          >
            <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" strokeWidth="1.4" />
              <path d="M8 7.2v4.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
              <circle cx="8" cy="4.8" r="0.95" fill="currentColor" />
            </svg>
          </button>
        ) : null}
      </p>
      {children ? (
        <div id={id} className="footnote__body" role="note" aria-label={label} hidden={!open}>
          {children}
        </div>
      ) : null}
    </div>
  );
}
