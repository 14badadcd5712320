import { useEffect, type RefObject } from 'react';
import { printZoom } from '../utils/print-fit';

/** What the print view leaves out (see overview-extras.css): the elements carry this class. */
export const PRINT_OMIT_CLASS = 'print-omit';

/**
 * Keeps `--print-width` (the page's width on screen) and `--print-zoom` (printZoom of the page's height
 * without the parts left out of print) on the page element, for the print stylesheet. Measured on screen
 * only: while printing, the screen's measures stand.
 */
export function usePrintFit(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const update = () => {
      if (window.matchMedia('print').matches) return;
      const gap = Number.parseFloat(getComputedStyle(el).rowGap) || 0;
      const omitted = [...el.querySelectorAll(`.${PRINT_OMIT_CLASS}`)].reduce((h, node) => h + node.getBoundingClientRect().height + gap, 0);
      const width = el.getBoundingClientRect().width;
      const height = el.scrollHeight - omitted;
      el.style.setProperty('--print-width', `${Math.round(width)}px`);
      el.style.setProperty('--print-zoom', String(printZoom({ width, height })));
    };
    const observer = new ResizeObserver(update);
    observer.observe(el);
    window.addEventListener('beforeprint', update);
    update();
    return () => {
      observer.disconnect();
      window.removeEventListener('beforeprint', update);
    };
  }, [ref]);
}
