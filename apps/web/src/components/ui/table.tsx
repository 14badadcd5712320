import type { ReactNode } from 'react';

/** A column's heading; `hidden` keeps it for screen readers only (a column of buttons, say). */
export type TableColumn = string | { label: string; hidden?: boolean; className?: string };

/**
 * A table that scrolls sideways when it must and, on a phone, shows each row as a card (`table--stack`:
 * every cell carries its column's name in `data-label`). The caller draws the rows.
 */
export function StackTable({ className, columns, children }: { className?: string; columns: readonly TableColumn[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className={className ? `table table--stack ${className}` : 'table table--stack'}>
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { label, hidden, className: cellClass } = typeof column === 'string' ? { label: column, hidden: false, className: undefined } : column;
              return (
                <th key={i} scope="col" className={cellClass}>
                  {hidden ? <span className="visually-hidden">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
