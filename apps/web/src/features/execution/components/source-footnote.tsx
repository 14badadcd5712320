import type { ExecutionSource } from '@vbp/contracts/execution';
import type { ThresholdSource } from '@vbp/contracts/settings';
import { Footnote } from '../../../components/ui/footnote';
import { formatDate, formatMonth } from '../../../lib/format';
import { formatThreshold } from '../../../lib/threshold';
import { useExecutionText } from '../i18n/use-execution-text';

/** What the figures count, as of when, from where: shown under every set of figures on the page. */
export function SourceFootnote({ date, threshold, thresholdSource, source }: { date: string; threshold: number; thresholdSource: ThresholdSource; source: ExecutionSource }) {
  const { x, lang } = useExecutionText();
  const summary = `${x.asOf(formatDate(date))} · ${source.synthetic ? x.sourceSynthetic : x.sourceUploads}${source.purchasesThrough ? ` ${x.sourceLatest(formatMonth(source.purchasesThrough))}` : ''}`;
  return (
    <Footnote summary={<span data-testid="exec-source">{summary}</span>} label={x.footnoteLabel}>
      {x.definition.map((line) => (
        <p key={line}>{line}</p>
      ))}
      <p data-testid="exec-behind-rule">{x.behindRule(formatThreshold(threshold, thresholdSource, lang))}</p>
    </Footnote>
  );
}

