import type { ContractsDictionary } from './zh';

export const contractsEn: ContractsDictionary = {
  title: (region: string) => `Contract periods: ${region}`,
  intro: (date: string) => `As of ${date}: each batch's implementation start to contract end in the region, expiry and renewal.`,
  introNation: (date: string) => `As of ${date}: national batches across provinces (per batch: the earliest start, the earliest known end).`,
  counts: {
    total: 'Batches',
    endingSoon: (days: string) => `Ending within ${days}`,
    endingUnrenewed: 'of which not renewed',
    endedUnrenewed: 'Ended, not renewed',
    unknownEnd: 'End unknown',
  },
  filters: {
    label: 'Filters',
    type: 'Type',
    show: 'Show',
    all: 'All',
    attention: 'Needs attention (ending soon or ended unrenewed)',
  },
  timeline: {
    title: 'Contract timeline',
    description: 'Each bar is one batch’s contract period in the region; a dashed outline marks estimated dates, a fading end an unknown end; ◆ marks the renewal batch’s start.',
    today: 'As of',
    summary: (n: number, ending: number, unrenewed: number, date: string, days: string) =>
      `As of ${date}: ${n} contract ${n === 1 ? 'period' : 'periods'}; ${ending} ending within ${days}, ${unrenewed} of them without a renewal batch. See the table for each.`,
    empty: 'No contract matches',
  },
  table: {
    title: 'Contract periods',
    batch: 'Batch',
    type: 'Type',
    start: 'Start',
    end: 'Contract end',
    daysLeft: 'Days left',
    state: 'State',
    renewal: 'Renewal',
    regions: 'Provinces',
    estimated: 'estimated',
    source: 'Source',
    unknown: 'unknown',
    regionCount: (n: number, renewed: number) => (renewed > 0 ? `${n} (${renewed} renewed)` : String(n)),
    renewalOf: (code: string) => `renews ${code}`,
  },
  states: {
    running: 'Running',
    ending_soon: 'Ending soon',
    ended: 'Ended',
    unknown_end: 'End unknown',
  },
  renewal: {
    renewed: (code: string, date: string) => `Renewed by ${code} (from ${date})`,
    renewedNoBatch: 'Renewed',
    pending: 'Renewal pending',
    not_needed: 'No renewal yet',
  },
  daysLeft: (days: string) => `${days} left`,
  endedAgo: (days: string) => `${days} ago`,
  fn: (date: string, days: string, source: string) =>
    `As of ${date}. Contract ends come from the implementation records (published, or estimated as start + contract years − 1 day); “ending soon” means within ${days} (the largest of the region's contract alert days, ${source}); a renewal is a later batch marked as renewing this one and implemented in the region.`,
};
