/** The alert stage of a contract period: which of a province's alert days it has crossed. */

/**
 * The smallest alert day `d` with daysLeft ≤ d (a period 25 days from its end is in the 30-day stage when the
 * days are 180, 90, 60, 30, 7); null when it ended already (daysLeft < 0) or is farther than every alert day.
 */
export function alertStage(daysLeft: number, alertDays: readonly number[]): number | null {
  if (daysLeft < 0) return null;
  let stage: number | null = null;
  for (const d of alertDays) if (daysLeft <= d && (stage === null || d < stage)) stage = d;
  return stage;
}
