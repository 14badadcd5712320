import { Link, useSearchParams } from 'react-router';
import type { ExecutionRow, ExecutionSummary } from '@vbp/contracts/execution';
import { Footnote } from '../../../components/ui/footnote';
import { AlertIcon, CheckOutlineIcon } from '../../../components/ui/icons';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { Skeleton } from '../../../components/ui/skeleton';
import { isApiError } from '../../../lib/api';
import { suggestedDate } from '../../../lib/execution-source';
import { withParam } from '../../../lib/view-params';
import { formatCount, formatDate, formatMoney, formatPercent } from '../../../lib/format';
import { formatThreshold } from '../../../lib/threshold';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { useExecutionSummary } from '../api/get-execution-summary';
import { EXECUTION_PANEL_TEXT } from '../i18n/execution-panel';
import './execution-panel.css';

/** A link into the execution page for this view (the region and date stay). */
function executionHref(summary: Pick<ExecutionSummary, 'region' | 'date'>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ region: summary.region, date: summary.date, ...extra });
  return `/execution?${params.toString()}`;
}

/**
 * 集采执行 on the overview: completion against time progress, estimated savings, non-selected share and the
 * hospitals and varieties most behind, from /api/execution/summary (asked beside /api/overview, not after it).
 */
export function ExecutionPanel({ region, date }: { region: string; date: string | null }) {
  const { lang } = useI18n();
  const e = EXECUTION_PANEL_TEXT[lang];
  const query = useExecutionSummary(region, date);
  const busy = query.isPlaceholderData || (query.isFetching && query.data !== undefined);
  return (
    <Panel title={e.title} busy={busy} testId="execution-panel" actions={query.data ? <Link to={executionHref(query.data)}>{e.toExecution} →</Link> : null}>
      {isApiError(query.error, 'FORBIDDEN') && !query.data ? (
        <EmptyState>{e.forbidden}</EmptyState>
      ) : (
        <QueryContent query={query} skeleton={<Skeleton lines={5} />} isEmpty={(s) => s.totals.items === 0} empty={<NothingInForce summary={query.data} />}>
          {(s) => <ExecutionFigures summary={s} />}
        </QueryContent>
      )}
    </Panel>
  );
}

/** Nothing in force on the view's date: say so, and offer the latest date that has data (the view's date changes). */
function NothingInForce({ summary }: { summary: ExecutionSummary | undefined }) {
  const { lang } = useI18n();
  const e = EXECUTION_PANEL_TEXT[lang];
  const [params] = useSearchParams();
  const suggestion = summary ? suggestedDate(summary.source) : null;
  return (
    <>
      {e.empty}
      {suggestion && suggestion !== summary?.date ? (
        <>
          {' '}
          <Link to={`?${withParam(params, 'date', suggestion).toString()}`} data-testid="execution-panel-go">
            {e.emptyGo(suggestion)}
          </Link>
        </>
      ) : null}
    </>
  );
}

function ExecutionFigures({ summary: s }: { summary: ExecutionSummary }) {
  const { lang } = useI18n();
  const e = EXECUTION_PANEL_TEXT[lang];
  const completion = formatPercent(s.totals.completion);
  const progress = formatPercent(s.totals.timeProgress);
  return (
    <>
      <div className="exec-panel__figures">
        <div className="exec-panel__figure">
          <p className="exec-panel__label">{e.completion}</p>
          <p className="exec-panel__value">
            <span data-testid="exec-summary-completion">{completion}</span>
            <span className="exec-panel__vs">
              {e.vs} {e.timeProgress} <span data-testid="exec-summary-progress">{progress}</span>
            </span>
          </p>
          <ProgressBar
            value={Math.min(1, s.totals.completion ?? 0)}
            max={1}
            expected={s.totals.timeProgress}
            label={e.chartLabel}
            valueText={e.completionOf(completion, progress)}
            expectedText={`${e.timeProgress} ${progress}`}
            tone={s.totals.behind ? 'behind' : 'on_track'}
          />
        </div>
        <div className="exec-panel__figure">
          <p className="exec-panel__label">{e.saving}</p>
          <p className="exec-panel__value" data-testid="exec-summary-saving">
            {formatMoney(s.savings.saving, lang)}
          </p>
          <p className="exec-panel__note">{e.savingNote(s.savings.itemsWithoutReference)}</p>
        </div>
        <div className="exec-panel__figure">
          <p className="exec-panel__label">{e.nonSelected}</p>
          <p className="exec-panel__value" data-testid="exec-summary-nonselected">
            {formatPercent(s.totals.nonSelectedShare)}
          </p>
        </div>
      </div>
      <p className="exec-panel__rule" data-testid="exec-summary-threshold" data-threshold={s.threshold} data-source={s.thresholdSource}>
        {e.behindRule(formatThreshold(s.threshold, s.thresholdSource, lang))}
      </p>
      <div className="exec-panel__warnings">
        <BehindList
          title={e.behindInstitutions(formatCount(s.institutions.behind, lang), formatCount(s.institutions.total, lang))}
          rows={s.behindInstitutions}
          href={(r) => executionHref(s, r.institutionId !== null ? { institution: String(r.institutionId) } : {})}
          testId="exec-summary-institutions"
        />
        <BehindList
          title={e.behindVarieties(formatCount(s.varieties.behind, lang), formatCount(s.varieties.total, lang))}
          rows={s.behindVarieties}
          href={() => executionHref(s, { by: 'variety', behind: '1' })}
          testId="exec-summary-varieties"
        />
      </div>
      {s.institutions.behind > 0 ? (
        <p className="exec-panel__more">
          <Link to={executionHref(s, { behind: '1' })}>{e.toBehind} →</Link>
        </p>
      ) : null}
      <Footnote summary={<span data-testid="exec-summary-source">{e.source(formatDate(s.date), s.source.synthetic)}</span>} label={e.footnoteLabel}>
        {e.definition.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </Footnote>
    </>
  );
}

function BehindList({ title, rows, href, testId }: { title: string; rows: readonly ExecutionRow[]; href: (r: ExecutionRow) => string; testId: string }) {
  const { lang } = useI18n();
  const e = EXECUTION_PANEL_TEXT[lang];
  return (
    <section className="exec-panel__list" data-testid={testId}>
      <h3 className="exec-panel__list-title">
        {rows.length > 0 ? <AlertIcon className="exec-panel__icon exec-panel__icon--behind" /> : <CheckOutlineIcon className="exec-panel__icon" />}
        {title}
      </h3>
      {rows.length === 0 ? (
        <p className="muted">{e.noneBehind}</p>
      ) : (
        <ul>
          {rows.map((r) => (
            <li key={r.key} data-testid="exec-summary-row" data-key={r.key}>
              <Link to={href(r)}>{r.name}</Link>
              <span className="exec-panel__row-figures">{e.completionOf(formatPercent(r.completion), formatPercent(r.timeProgress))}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
