import type { ReactNode } from 'react';
import type { Lang } from '../../lib/i18n/types';
import { formatCount, formatPercent } from '../../lib/format';
import type { HistogramRow } from './histogram-data';

/**
 * A chart's text alternative: its numbers as a table, folded under the chart (and read by screen readers,
 * since the drawn chart is aria-hidden). `columns` are the header cells; the caller renders the rows.
 */
export function ChartDataTable({ toggle, caption, columns, testId, children }: { toggle: string; caption: string; columns: readonly string[]; testId?: string; children: ReactNode }) {
  return (
    <details className="chart-figure__table">
      <summary>{toggle}</summary>
      <div className="table-scroll">
        <table className="table table--compact" data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </details>
  );
}

/** The rows of a cut histogram's table: range, products, share. */
export function HistogramTableRows({ rows, lang, countTestId }: { rows: readonly HistogramRow[]; lang: Lang; countTestId?: string }) {
  return rows.map((r) => (
    <tr key={r.label}>
      <th scope="row">{r.label}</th>
      <td className="num" data-testid={countTestId}>
        {formatCount(r.count, lang)}
      </td>
      <td className="num">{formatPercent(r.share)}</td>
    </tr>
  ));
}
