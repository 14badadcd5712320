import type { ReactNode } from 'react';
import type { ExecutionGroup, ExecutionRow } from '@vbp/contracts/execution';
import { StackTable } from '../../../components/ui/table';
import { formatPercent } from '../../../lib/format';
import { useExecutionText } from '../i18n/use-execution-text';
import { BehindBadge, CompletionBar } from './completion-bar';
import { QuantityPair } from './quantity';

/** One page of rollup rows; institution rows open the drill-down; `rowAction` adds a control beside a row's status (加入督办). */
export function ExecutionTable({ rows, by, onDrill, rowAction }: { rows: readonly ExecutionRow[]; by: ExecutionGroup; onDrill: (institutionId: number) => void; rowAction?: (row: ExecutionRow) => ReactNode }) {
  const { x } = useExecutionText();
  return (
    <StackTable
      className="exec-table"
      columns={[x.groupName[by], { label: `${x.completion} / ${x.timeProgress}`, className: 'exec-table__bar' }, { label: x.completion, className: 'num' }, { label: x.timeProgress, className: 'num' }, { label: `${x.purchased} / ${x.agreed}`, className: 'num' }, { label: x.nonSelectedShare, className: 'num' }, x.status]}
    >
      {rows.map((r) => (
        <tr key={r.key} data-testid="exec-row" data-key={r.key} data-behind={r.behind}>
          <th scope="row" data-label={x.groupName[by]}>
            {r.institutionId !== null ? (
              <button type="button" className="exec-link cell-main" onClick={() => onDrill(r.institutionId!)} aria-label={x.drillLabel(r.name)} data-testid="exec-drill">
                {r.name}
              </button>
            ) : (
              <span className="cell-main" data-testid="exec-name">{r.name}</span>
            )}
            {r.detail || r.level ? <span className="cell-sub">{[r.level, r.detail].filter(Boolean).join(' · ')}</span> : null}
          </th>
          <td data-label={x.marker} className="exec-table__bar">
            <CompletionBar name={r.name} completion={r.completion} timeProgress={r.timeProgress} behind={r.behind} />
          </td>
          <td data-label={x.completion} className="num" data-testid="exec-completion">
            {formatPercent(r.completion)}
          </td>
          <td data-label={x.timeProgress} className="num" data-testid="exec-progress">
            {formatPercent(r.timeProgress)}
          </td>
          <td data-label={`${x.purchased} / ${x.agreed}`} className="num">
            <QuantityPair purchased={r.purchased} agreed={r.agreed} />
          </td>
          <td data-label={x.nonSelectedShare} className="num" data-testid="exec-nonselected">
            {formatPercent(r.nonSelectedShare)}
          </td>
          <td data-label={x.status}>
            <BehindBadge behind={r.behind} completion={r.completion} />
            {rowAction?.(r)}
          </td>
        </tr>
      ))}
    </StackTable>
  );
}
