import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * After a failed submit, moves the focus to the first field marked invalid (once the errors are rendered),
 * so keyboard and screen-reader users land on what needs fixing.
 */
export function useFocusFirstInvalid<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (request === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [request]);
  const focusFirstInvalid = useCallback(() => setRequest((n) => n + 1), []);
  return { ref, focusFirstInvalid };
}
