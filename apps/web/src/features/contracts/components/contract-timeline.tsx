import { useId } from 'react';
import type { Timeline, TimelineRow } from '../utils/timeline';
import { StateIcon } from './contract-status';

const ROW = 30;
/** Year labels on the first line, the as-of marker's label on the second. */
const AXIS = 40;
const BAR = 14;

/**
 * Draws a prepared timeline (utils/timeline.ts): batch labels in an HTML column, the bars in an SVG whose
 * x positions are percentages of the axis, so it fits any width without horizontal scrolling. States are
 * told by shape and fill pattern (and the label's icon), not by colour alone. Hidden from screen readers:
 * the table after it says the same.
 */
export function ContractTimeline({ timeline, todayLabel, windowLabel }: { timeline: Timeline; todayLabel: string; windowLabel: string }) {
  const id = useId().replace(/:/g, '');
  const height = timeline.rows.length * ROW + AXIS;
  const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
  return (
    <div className="timeline" aria-hidden="true" data-testid="contract-timeline">
      <ol className="timeline__labels" style={{ paddingTop: AXIS }}>
        {timeline.rows.map((r) => (
          <li key={r.period.batchCode} style={{ height: ROW }} className={`timeline__label timeline__label--${r.tone}`} title={r.period.batchNameZh}>
            <StateIcon state={r.tone} />
            <span>{r.period.batchCode}</span>
          </li>
        ))}
      </ol>
      <svg className="timeline__plot" width="100%" height={height} role="presentation">
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f4b860" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#955800" strokeWidth="2.2" />
          </pattern>
          <linearGradient id={`${id}-fade`} x1="0" x2="1" y1="0" y2="0">
            <stop offset="0" stopColor="#4f8fc0" stopOpacity="0.9" />
            <stop offset="1" stopColor="#4f8fc0" stopOpacity="0.05" />
          </linearGradient>
        </defs>
        {/* the expiry window: from the as-of date to windowDays (the region's largest alert day) later */}
        <rect x={pct(timeline.today)} y={AXIS - 6} width={pct(Math.max(0, timeline.windowEnd - timeline.today))} height={height - AXIS + 6} fill="#fff4e0" />
        {timeline.ticks.map((tick) => (
          <g key={tick.date}>
            <line x1={pct(tick.x)} x2={pct(tick.x)} y1={AXIS - 6} y2={height} stroke="#e3e7ec" />
            <text x={pct(tick.x)} y={12} fontSize="11" fill="#4a5560" dx="2">
              {tick.label}
            </text>
          </g>
        ))}
        {timeline.rows.map((r, i) => (
          <Bar key={r.period.batchCode} row={r} y={AXIS + i * ROW + (ROW - BAR) / 2} id={id} pct={pct} />
        ))}
        <line x1={pct(timeline.today)} x2={pct(timeline.today)} y1={AXIS - 16} y2={height} stroke="#b3261e" strokeWidth="2" data-testid="today-marker" />
        <text x={pct(timeline.today)} y={AXIS - 18} fontSize="11" fill="#b3261e" textAnchor={timeline.today > 0.8 ? 'end' : 'start'} dx={timeline.today > 0.8 ? -3 : 3}>
          {todayLabel}
        </text>
        {timeline.windowEnd - timeline.today > 0.06 ? (
          <text x={pct(timeline.windowEnd)} y={AXIS - 4} fontSize="10" fill="#955800" textAnchor="end" dx="-2">
            {windowLabel}
          </text>
        ) : null}
      </svg>
    </div>
  );
}

function Bar({ row, y, id, pct }: { row: TimelineRow; y: number; id: string; pct: (x: number) => string }) {
  const width = Math.max(0.004, row.end - row.start);
  const fill =
    row.tone === 'ending_soon' ? `url(#${id}-hatch)` : row.tone === 'ended' ? '#c4cad1' : row.openEnd ? `url(#${id}-fade)` : '#1f4e79';
  return (
    <g data-state={row.tone}>
      <rect
        x={pct(row.start)}
        y={y}
        width={pct(width)}
        height={BAR}
        rx="2"
        fill={fill}
        stroke={row.period.estimated ? '#1b2733' : 'none'}
        strokeDasharray={row.period.estimated ? '3 2' : undefined}
        strokeWidth="1"
      />
      {row.renewal !== null ? (
        <svg x={pct(row.renewal)} y={y + BAR / 2} overflow="visible" data-testid="renewal-marker">
          <polygon points="0,-7 7,0 0,7 -7,0" fill="#1d7a32" stroke="#fff" strokeWidth="1.2" />
        </svg>
      ) : null}
    </g>
  );
}
