/**
 * Which rows of a long list to draw: a fixed-height-row window over the scroll position. Only the rows
 * in view (plus `overscan` above and below) are in the DOM, so thousands of rows stay fast; spacers above
 * and below keep the scrollbar true to the whole list.
 */
export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  overscan?: number;
}

export interface RowWindow {
  /** First row drawn (inclusive). */
  start: number;
  /** Row after the last drawn (exclusive). */
  end: number;
  /** Height of the spacer above the first drawn row. */
  before: number;
  /** Height of the spacer below the last drawn row. */
  after: number;
  totalHeight: number;
}

export function rowWindow({ scrollTop, viewportHeight, rowHeight, rowCount, overscan = 6 }: WindowInput): RowWindow {
  if (!(rowHeight > 0)) throw new RangeError(`rowHeight must be positive: ${rowHeight}`);
  const count = Math.max(0, Math.floor(rowCount));
  const totalHeight = count * rowHeight;
  // a scroll position past the end (the list just got shorter) is read as the end
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight, totalHeight };
}
