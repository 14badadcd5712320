import { useMemo, useRef, useState, type ReactNode } from 'react';
import { nextSort, sortRows, type SortDirection, type SortState, type SortValue } from '../utils/sort-rows';
import { rowWindow } from '../utils/virtual-window';
import { useBatchText } from '../i18n/use-batch-text';

export interface VirtualColumn<T, K extends string> {
  key: K;
  label: string;
  /** A CSS grid track, e.g. 'minmax(10em, 2fr)'. */
  width: string;
  numeric?: boolean;
  /** The direction a first click sorts in (numbers: high first). */
  initialDir?: SortDirection;
  value: (row: T) => SortValue;
  /** What the cell shows (one line: it is cut with an ellipsis; the title holds the full text). */
  render: (row: T) => ReactNode;
  title?: (row: T) => string | undefined;
}

const ROW_HEIGHT = 40;
const HEAD_HEIGHT = 44;

/**
 * A sortable table that draws only the rows in view (a fixed-row-height window, utils/virtual-window.ts):
 * thousands of rows scroll without thousands of DOM nodes. ARIA table roles (the rows are divs laid out on
 * one grid), aria-rowcount/aria-rowindex so screen readers know the whole size, the header row sticks, the
 * scroll box is keyboard-focusable, and on a narrow screen it scrolls sideways inside its own box.
 */
export function VirtualTable<T, K extends string>(props: {
  caption: string;
  rows: readonly T[];
  columns: readonly VirtualColumn<T, K>[];
  rowKey: (row: T) => string | number;
  sort: SortState<K>;
  onSort: (sort: SortState<K>) => void;
  /** The most the box grows to before it scrolls. */
  maxHeight?: number;
  minWidth?: number;
  testId: string;
  rowTestId?: string;
}) {
  const { b } = useBatchText();
  const { rows, columns, sort } = props;
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  // sorted once per data or sort change, not on every scroll (the columns are rebuilt each render)
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key) ?? columns[0];
    return column ? sortRows(rows, column.value, sort.dir) : [...rows];
  }, [rows, sort.key, sort.dir]); // eslint-disable-line react-hooks/exhaustive-deps

  const maxHeight = props.maxHeight ?? 520;
  const height = Math.min(maxHeight, HEAD_HEIGHT + rows.length * ROW_HEIGHT + 2);
  const win = rowWindow({ scrollTop, viewportHeight: height - HEAD_HEIGHT, rowHeight: ROW_HEIGHT, rowCount: sorted.length });
  const grid = columns.map((c) => c.width).join(' ');

  const onSort = (key: K) => {
    const c = columns.find((x) => x.key === key);
    props.onSort(nextSort(sort, key, c?.initialDir ?? 'asc'));
    // back to the top: the first rows of the new order are what the user asked to see
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  };

  return (
    <div
      ref={scroller}
      className="vtable"
      style={{ height, ['--vtable-row' as string]: `${ROW_HEIGHT}px`, ['--vtable-head' as string]: `${HEAD_HEIGHT}px` }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      role="region"
      aria-label={props.caption}
      data-testid={props.testId}
      data-rows={rows.length}
      data-sort={`${sort.key}.${sort.dir}`}
    >
      <div role="table" aria-label={props.caption} aria-rowcount={sorted.length + 1} className="vtable__table" style={{ minWidth: props.minWidth ?? 720 }}>
        <div role="rowgroup" className="vtable__head">
          <div role="row" aria-rowindex={1} className="vtable__row vtable__row--head" style={{ gridTemplateColumns: grid }}>
            {columns.map((c) => {
              const active = c.key === sort.key;
              return (
                <div
                  key={c.key}
                  role="columnheader"
                  className={c.numeric ? 'vtable__cell num' : 'vtable__cell'}
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="vtable__sort" onClick={() => onSort(c.key)} title={b.sortBy(c.label)} data-testid={`sort-${c.key}`}>
                    <span>{c.label}</span>
                    <span className="vtable__arrow" aria-hidden="true">
                      {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                    {active ? <span className="visually-hidden">{sort.dir === 'asc' ? b.sortedAsc : b.sortedDesc}</span> : null}
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" style={{ paddingTop: win.before, paddingBottom: win.after }}>
          {sorted.slice(win.start, win.end).map((row, i) => (
            <div
              key={props.rowKey(row)}
              role="row"
              aria-rowindex={win.start + i + 2}
              className="vtable__row"
              style={{ gridTemplateColumns: grid }}
              data-testid={props.rowTestId}
              data-index={win.start + i}
            >
              {columns.map((c) => (
                <div key={c.key} role="cell" className={c.numeric ? 'vtable__cell num' : 'vtable__cell'} title={c.title?.(row)} data-col={c.key}>
                  {c.render(row)}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
