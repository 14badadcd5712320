import type { TargetView } from '@vbp/contracts/api';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { StatusBadge } from '../../../components/ui/status-badge';
import { formatApprox, formatCount, formatDate, formatPercent } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';

/*
 * The contents of a target row's cells, drawn the same way on the overview's targets panel and the 目标
 * page (each table owns its <td>s and column headings).
 */

/** The due date; an assumed one is tagged, with the reasoning in the tag's title or, with `showNote`, below it. */
export function TargetDue({ target, showNote = false }: { target: TargetView; showNote?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <span className="cell-main nowrap">{formatDate(target.dueOn)}</span>
      {target.dueAssumed ? (
        <span className="tag" title={target.dueNote ?? undefined} data-testid="due-assumed">
          {t.targets.dueAssumed}
        </span>
      ) : null}
      {showNote && target.dueAssumed && target.dueNote ? (
        <span className="cell-sub" data-testid="due-note">
          {target.dueNote}
        </span>
      ) : null}
    </>
  );
}

/** current / count · percent, and the bar with today's mark on the goal line. */
export function TargetProgress({ target }: { target: TargetView }) {
  const { t, lang } = useI18n();
  const p = target.progress;
  if (!p) return <span className="muted">{t.targets.notMeasured}</span>;
  return (
    <>
      <span className="cell-main num" data-testid="target-progress-text">
        {formatCount(p.current, lang)} / {formatCount(target.count, lang)} · {formatPercent(p.fraction)}
      </span>
      <ProgressBar
        value={p.current}
        max={target.count}
        expected={p.expectedNow}
        tone={p.status}
        label={t.targets.progress}
        valueText={t.overview.progressLabel(formatCount(p.current, lang), formatCount(target.count, lang), formatPercent(p.fraction))}
        expectedText={t.overview.expectedNowMark(formatApprox(p.expectedNow))}
      />
    </>
  );
}

/** The status by shape and word, and the rule's reason with its numbers (from the API). */
export function TargetStatus({ target }: { target: TargetView }) {
  const { t, lang } = useI18n();
  const p = target.progress;
  if (!p) return <span className="muted">—</span>;
  return (
    <>
      <StatusBadge status={p.status} label={t.status[p.status]} testId="target-status" />
      <span className="cell-sub">{lang === 'zh' ? p.statusReasonZh : p.statusReason}</span>
    </>
  );
}

/** When it was met, or what the trend projects at the due date and when it would be met. */
export function TargetProjection({ target }: { target: TargetView }) {
  const { t } = useI18n();
  const p = target.progress;
  if (!p) return <span className="muted">—</span>;
  if (p.status === 'met') return <span>{p.projectedMetOn ? <WithDate text={t.targets.metOn} date={formatDate(p.projectedMetOn)} /> : t.status.met}</span>;
  // the due date has passed unmet: said so first, then when the trend would still meet it
  const overdue = p.projectedAtDue === null && target.dueOn < p.asOf;
  return (
    <>
      {p.projectedAtDue !== null ? <span className="cell-main">{t.targets.projectedAtDue(formatApprox(p.projectedAtDue))}</span> : null}
      {overdue ? (
        <span className="cell-main tag tag--bad" data-testid="target-overdue">
          {t.targets.overdue}
        </span>
      ) : null}
      <span className="cell-sub">{p.projectedMetOn ? <WithDate text={t.targets.projectedMetOn} date={formatDate(p.projectedMetOn)} /> : t.targets.noProjection}</span>
    </>
  );
}

/** A sentence with a date in it, the date never broken across lines (2024-03- / 01). */
function WithDate({ text, date }: { text: (date: string) => string; date: string }) {
  const [before = '', after = ''] = text('\u0000').split('\u0000');
  return (
    <>
      {before}
      <span className="nowrap">{date}</span>
      {after}
    </>
  );
}
