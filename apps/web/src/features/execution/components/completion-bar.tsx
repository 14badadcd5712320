import { StatusBadge } from '../../../components/ui/status-badge';
import { formatPercent } from '../../../lib/format';
import { useExecutionText } from '../i18n/use-execution-text';
import { completionBar } from '../utils/execution-filters';

/**
 * Completion as a filled bar and time progress as a vertical marker on the same scale, so a row behind
 * schedule reads as "fill short of the line" without relying on colour; the words are in aria-valuetext.
 */
export function CompletionBar({ name, completion, timeProgress, behind }: { name: string; completion: number | null; timeProgress: number; behind: boolean }) {
  const { x } = useExecutionText();
  const bar = completionBar(completion, timeProgress);
  return (
    <div
      className={`progress exec-bar${behind ? ' progress--behind' : ' progress--on_track'}`}
      role="img"
      aria-label={`${x.barLabel(name)}：${x.barText(formatPercent(completion), formatPercent(timeProgress))}`}
    >
      <div className="progress__fill" style={{ width: `${bar.fill}%` }} />
      <div className="progress__expected" style={{ left: `${bar.marker}%` }} title={`${x.timeProgress} ${formatPercent(timeProgress)}`} />
    </div>
  );
}

/** 滞后 / 正常 with a shape each (▼ in a square, ↑ in a circle), never by colour alone. */
export function BehindBadge({ behind, completion }: { behind: boolean; completion: number | null }) {
  const { x } = useExecutionText();
  if (completion === null) return <span className="muted">{x.noAgreed}</span>;
  return <StatusBadge status={behind ? 'behind' : 'on_track'} label={behind ? x.behind : x.onTrack} testId="exec-status" />;
}
