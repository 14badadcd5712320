import { describe, expect, it } from 'vitest';
import { A4_PRINTABLE, PRINT_CHROME_HEIGHT, printZoom } from '../src/features/overview/utils/print-fit';

describe('printZoom', () => {
  it('fits the width when the page is short', () => {
    expect(printZoom({ width: 1240, height: 800 })).toBe(Math.floor((A4_PRINTABLE.width / 1240) * 1000) / 1000);
  });

  it('fits the height when the page is long, leaving room for the header and footer', () => {
    const zoom = printZoom({ width: 1240, height: 3000 });
    expect(zoom).toBe(Math.floor(((A4_PRINTABLE.height - PRINT_CHROME_HEIGHT) / 3000) * 1000) / 1000);
    expect(3000 * zoom + PRINT_CHROME_HEIGHT).toBeLessThanOrEqual(A4_PRINTABLE.height);
    expect(1240 * zoom).toBeLessThanOrEqual(A4_PRINTABLE.width);
  });

  it('never enlarges, and leaves an unmeasured page as it is', () => {
    expect(printZoom({ width: 300, height: 200 })).toBe(1);
    expect(printZoom({ width: 0, height: 0 })).toBe(1);
    expect(printZoom({ width: Number.NaN, height: 100 })).toBe(1);
  });
});
