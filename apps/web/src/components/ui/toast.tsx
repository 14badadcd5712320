import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

interface ToastValue {
  /** Announces the outcome of an action: a short line over the page's corner, gone after a few seconds. */
  notify(message: string): void;
}

const ToastContext = createContext<ToastValue>({ notify: () => undefined });

/**
 * One polite live region for "saved", "deleted" and the like. It floats (position: fixed), so a message
 * appearing or leaving moves nothing on the page.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<{ text: string; key: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const notify = useCallback((text: string) => {
    setMessage((prev) => ({ text, key: (prev?.key ?? 0) + 1 }));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setMessage(null), 6000);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  const value = useMemo(() => ({ notify }), [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toast-region" role="status" aria-live="polite" data-testid="toast">
        {message ? (
          <p className="toast" key={message.key}>
            {message.text}
          </p>
        ) : null}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastValue {
  return useContext(ToastContext);
}
