/**
 * A horizontal bar for progress towards a count. The fill is capped at 100%; a tick marks where the goal
 * line stands today, so "behind schedule" is visible without colour. The accessible value is in words.
 */
export function ProgressBar(props: {
  value: number;
  max: number;
  /** Where the goal line stands today, in the same unit; omitted when not known. */
  expected?: number | null | undefined;
  label: string;
  valueText: string;
  expectedText?: string | undefined;
  tone?: 'met' | 'on_track' | 'at_risk' | 'behind' | 'neutral';
}) {
  const { value, max, expected, label, valueText, expectedText, tone = 'neutral' } = props;
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  const expectedPct = expected !== null && expected !== undefined && max > 0 ? Math.min(100, Math.max(0, (expected / max) * 100)) : null;
  return (
    <div
      className={`progress progress--${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      aria-valuetext={valueText}
    >
      <div className="progress__fill" style={{ width: `${pct}%` }} />
      {expectedPct !== null && <div className="progress__expected" style={{ left: `${expectedPct}%` }} title={expectedText} />}
    </div>
  );
}
