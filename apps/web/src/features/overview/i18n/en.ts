import type { OverviewDictionary } from './zh';

export const overviewEn: OverviewDictionary = {
  cutsByBatch: {
    title: 'Average price cut by batch',
    description: 'Batches implemented in the region by the as-of date: computed = plain mean of the varieties’ cuts (as announcements quote it); published = as the batch announcement states.',
    computed: 'Computed (plain mean)',
    volumeWeighted: 'Volume-weighted',
    published: 'Published',
    batch: 'Batch',
    level: 'Level',
    products: 'Products',
    synthetic: 'synthetic prices',
    syntheticNote: 'Batches marked “synthetic prices” are computed partly from demo prices.',
    empty: 'No price-cut data for the batches of this type implemented here',
    withoutCut: (n: number) => `${n} more ${n === 1 ? 'batch has' : 'batches have'} no price data and ${n === 1 ? 'is' : 'are'} not listed`,
    summary: (type: string, n: number, top: string | null) =>
      n === 0 ? `${type}: no batch cuts.` : `${type}: ${n} ${n === 1 ? 'batch' : 'batches'} with cuts${top ? `, largest ${top}` : ''}. See the table for each.`,
    fn: (date: string) => `As of ${date}. Computed = 1 − selected / ceiling price, averaged per variety, then a plain mean; volume-weighted by the region’s agreed volumes; published from the batch announcement.`,
  },
  distribution: {
    title: 'Distribution of product price cuts',
    description: 'Every selected product of those batches, in steps of 10 percentage points; products without a ceiling price are left out.',
    range: 'Price cut',
    count: 'Products',
    share: 'Share',
    empty: 'No selected-product prices yet',
    summary: (type: string, total: number, peak: string | null) =>
      total === 0 ? `${type}: no product cuts.` : `${type}: ${total} ${total === 1 ? 'product' : 'products'}${peak ? `, most in ${peak}` : ''}.`,
  },
  warnings: {
    title: (days: string, source: string) => `Warning: contracts ending within ${days} without a renewal (${source})`,
    none: (days: string, source: string) => `No contract ends within ${days} without a renewal (${source}).`,
    item: (name: string, date: string, days: string) => `${name}: ends ${date}, ${days} left`,
    regions: (n: number, renewed: number) => `${n} provinces, ${renewed} renewed`,
    toContracts: 'All contracts',
    label: 'Expiry warnings',
  },
  cut: {
    plain: 'plain mean',
    weighted: 'volume-weighted',
    weightedNone: 'no agreed volumes',
    differs: (diff: string) => `${diff} from published`,
    same: 'same as published',
  },
  print: {
    printed: (date: string) => `Printed ${date}`,
    button: 'Print',
  },
};
