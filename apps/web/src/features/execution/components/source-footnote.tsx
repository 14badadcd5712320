import type { ExecutionSource } from '@vbp/contracts/execution';
import { Footnote } from '../../../components/ui/footnote';
import { formatDate, formatMonth } from '../../../lib/format';
import { useExecutionText } from '../i18n/use-execution-text';

/** What the figures count, as of when, from where: shown under every set of figures on the page. */
export function SourceFootnote({ date, threshold, source }: { date: string; threshold: number; source: ExecutionSource }) {
  const { x } = useExecutionText();
  const summary = `${x.asOf(formatDate(date))} · ${source.synthetic ? x.sourceSynthetic : x.sourceUploads}${source.purchasesThrough ? ` ${x.sourceLatest(formatMonth(source.purchasesThrough))}` : ''}`;
  return (
    <Footnote summary={<span data-testid="exec-source">{summary}</span>} label={x.footnoteLabel}>
      {x.definition.map((line) => (
        <p key={line}>{line}</p>
      ))}
      <p>{x.behindRule(String(threshold))}</p>
    </Footnote>
  );
}

