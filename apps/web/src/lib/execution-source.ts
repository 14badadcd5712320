import { maxDate, minDate, monthEnd } from '@vbp/contracts/dates';
import type { ExecutionSource } from '@vbp/contracts/execution';

/**
 * A date that has execution data, offered by the empty states (execution page, overview panel): the end
 * of the latest purchase month, within the span of the agreed contract years (null when nothing is on file).
 */
export function suggestedDate(source: Pick<ExecutionSource, 'periodsFrom' | 'periodsTo' | 'purchasesThrough'>): string | null {
  if (!source.periodsFrom || !source.periodsTo) return null;
  const candidate = source.purchasesThrough ? minDate(monthEnd(source.purchasesThrough), source.periodsTo) : source.periodsTo;
  return maxDate(candidate, source.periodsFrom);
}
