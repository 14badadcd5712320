/**
 * The overview prints on one A4 page: it keeps the layout it has on screen (so the charts, drawn for the
 * screen's width, need no redraw, which printing does not wait for) and is scaled down to the paper.
 * The scale is the smaller of width-fit and height-fit, never above 1. Pure, so it is unit-tested.
 */

/** A4 portrait at 96 px per inch inside app.css's 12 mm page margins: 186 × 273 mm. */
export const A4_PRINTABLE = { width: 703, height: 1032 } as const;
/** Room for the app's header and footer, which print outside the overview at full size. */
export const PRINT_CHROME_HEIGHT = 200;

export function printZoom(content: { width: number; height: number }, paper: { width: number; height: number } = A4_PRINTABLE, chrome = PRINT_CHROME_HEIGHT): number {
  if (!(content.width > 0) || !(content.height > 0)) return 1;
  const zoom = Math.min(1, paper.width / content.width, (paper.height - chrome) / content.height);
  // rounded down: a rounding error must not push the last line onto a second page
  return Math.max(0.05, Math.floor(zoom * 1000) / 1000);
}
