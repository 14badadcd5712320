/** Price cuts (降价幅度) of selected products and a batch's average cut, reported several ways. */
import { createHash } from 'node:crypto';
import type { CutStats } from '@vbp/contracts/api';
import { Dec, ONE, ZERO, parseDecimal, toFraction } from './decimal';

/**
 * The cut as a Decimal: 1 − selected / reference. Null when the reference price is unknown or not
 * positive (no meaningful cut can be measured against it).
 */
function cutOf(referencePrice: string | null, selectedPrice: string): Dec | null {
  return pricesOf(referencePrice, selectedPrice).cut;
}

interface Priced {
  /** null when the reference price is unknown or not positive */
  cut: Dec | null;
  reference: Dec | null;
  selected: Dec;
  /** By agreed volume (its text): what the volume-weighted means add for this product (see weighed). */
  weighed?: Map<string, Weighed | null>;
}

/** A product's volume and the products the weighted means sum: volume × cut, × selected and × reference price. */
interface Weighed {
  volume: Dec;
  timesCut: Dec;
  timesSelected: Dec;
  timesReference: Dec;
}

/** A product's two prices read, and its cut worked out, once (see knownPrices). */
function pricesOf(referencePrice: string | null, selectedPrice: string): Priced {
  const key = `${referencePrice}/${selectedPrice}`;
  let priced = knownPrices.get(key);
  if (priced === undefined) {
    const reference = parseDecimal(referencePrice);
    const selected = new Dec(selectedPrice);
    priced = { cut: reference === null || reference.lte(0) ? null : ONE.minus(selected.div(reference)), reference, selected };
    if (knownPrices.size >= KNOWN_PRICES) knownPrices.clear();
    knownPrices.set(key, priced);
  }
  return priced;
}

/**
 * A priced product's volume read and multiplied, once per volume (null: no volume, or not positive). The
 * volumes are a region's agreed volumes, the same at every date the overview is asked: multiplying a
 * volume's 20 digits by a cut's 40 took half of the decimal arithmetic of an overview (a province, 20 M
 * purchases: ~40 → ~20 ms of it per overview, profiled).
 */
function weighed(priced: Priced, volumeText: string | null | undefined): Weighed | null {
  const key = volumeText ?? '';
  priced.weighed ??= new Map();
  let found = priced.weighed.get(key);
  if (found === undefined) {
    const volume = parseDecimal(volumeText);
    found =
      volume === null || volume.lte(0) || priced.cut === null
        ? null
        : { volume, timesCut: volume.times(priced.cut), timesSelected: volume.times(priced.selected), timesReference: volume.times(priced.reference!) };
    // (volumes change with every agreed-volume commit: a long-running server forgets the old ones)
    if (priced.weighed.size >= VOLUMES_PER_PRODUCT) priced.weighed.clear();
    priced.weighed.set(key, found);
  }
  return found;
}

/**
 * Prices already read and their cuts, by the two prices (Decimals are immutable: shared safely). The
 * overview asks for every product's cut three ways (by type, by batch, the histogram), and again at every
 * date it is asked: reading and dividing in 40 digits was a third of its time. A country's selected
 * products are a few tens of thousands; each keeps its volumes in the provinces asked (weighed).
 */
const knownPrices = new Map<string, Priced>();
const KNOWN_PRICES = 100_000;
/** A product's volumes remembered: one per province that selected it, and a few more. */
const VOLUMES_PER_PRODUCT = 64;

/** 1 − selected / reference, rounded to 6 decimals; null when the reference is missing or ≤ 0. Negative for a price rise. */
export function priceCut(referencePrice: string | null, selectedPrice: string): number | null {
  const cut = cutOf(referencePrice, selectedPrice);
  return cut === null ? null : toFraction(cut);
}

// A type alias, not an interface, so rows loaded with selectRows<PricedProduct>() satisfy Record<string, unknown>.
export type PricedProduct = {
  varietyId: number;
  referencePrice: string | null;
  selectedPrice: string;
  /** Agreed volume (约定采购量); missing, blank or ≤ 0 leaves the product out of the weighted means. */
  volume?: string | null;
  /** Labelled synthetic (demo data); counted so the figures can say they include such prices. */
  isSynthetic?: boolean;
};

function mean(values: readonly Dec[]): Dec {
  return values.reduce((sum, v) => sum.plus(v), ZERO).div(values.length);
}

/**
 * A batch's cuts, several ways (all in Decimal until rounded at the end):
 * - `plainMean`: mean over varieties of each variety's mean product cut, what announcements quote; a
 *   variety with several winners counts once. Products without a reference price are left out.
 * - `volumeWeightedMean`: Σ volume × cut / Σ volume over products with volume > 0 and a cut.
 * - `spendWeightedMean`: 1 − Σ volume × selected / Σ volume × reference over the same products: the cut
 *   in what the region actually pays, so expensive products weigh more.
 * - min / median / max over product cuts (median of an even count = mean of the middle two).
 * - productCount: products given; varietyCount: distinct varieties given (with or without a cut).
 * Any statistic without data is null.
 */
export function cutStats(products: readonly PricedProduct[]): CutStats {
  // the same products give the same figures: a region's batches hold the same products at every date
  const hash = createHash('sha1');
  for (const p of products) hash.update(`${p.varietyId}/${p.referencePrice}/${p.selectedPrice}/${p.volume ?? ''}/${p.isSynthetic === true ? 1 : 0};`);
  const key = hash.digest('base64');
  let stats = knownStats.get(key);
  if (stats === undefined) {
    stats = computeCutStats(products);
    if (knownStats.size >= KNOWN_STATS) knownStats.clear();
    knownStats.set(key, stats);
  }
  return { ...stats };
}

/**
 * Figures already worked out, by a digest of the products they were worked out from (in their order: the
 * median and the means do not depend on it, but a key that did not would cost a sort). The overview asks
 * for every batch's figures and each product type's at every date; between two dates only which batches
 * are implemented changes, rarely.
 */
const knownStats = new Map<string, CutStats>();
const KNOWN_STATS = 10_000;

function computeCutStats(products: readonly PricedProduct[]): CutStats {
  const varieties = new Set<number>();
  const byVariety = new Map<number, Dec[]>();
  const cuts: Dec[] = [];
  let volume = ZERO;
  let volumeTimesCut = ZERO;
  let spendAtSelected = ZERO;
  let spendAtReference = ZERO;

  for (const p of products) {
    varieties.add(p.varietyId);
    const priced = pricesOf(p.referencePrice, p.selectedPrice);
    const cut = priced.cut;
    if (cut === null) continue;
    cuts.push(cut);
    const list = byVariety.get(p.varietyId);
    if (list === undefined) byVariety.set(p.varietyId, [cut]);
    else list.push(cut);

    const w = weighed(priced, p.volume);
    if (w === null) continue;
    volume = volume.plus(w.volume);
    volumeTimesCut = volumeTimesCut.plus(w.timesCut);
    spendAtSelected = spendAtSelected.plus(w.timesSelected);
    spendAtReference = spendAtReference.plus(w.timesReference);
  }

  const sorted = [...cuts].sort((a, b) => a.comparedTo(b));
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? null
      : sorted.length % 2 === 1
        ? (sorted[middle] as Dec)
        : (sorted[middle - 1] as Dec).plus(sorted[middle] as Dec).div(2);
  const varietyMeans = [...byVariety.values()].map(mean);

  return {
    productCount: products.length,
    syntheticProductCount: products.filter((p) => p.isSynthetic === true).length,
    varietyCount: varieties.size,
    plainMean: varietyMeans.length === 0 ? null : toFraction(mean(varietyMeans)),
    volumeWeightedMean: volume.isZero() ? null : toFraction(volumeTimesCut.div(volume)),
    spendWeightedMean: spendAtReference.isZero() ? null : toFraction(ONE.minus(spendAtSelected.div(spendAtReference))),
    min: sorted.length === 0 ? null : toFraction(sorted[0] as Dec),
    median: median === null ? null : toFraction(median),
    max: sorted.length === 0 ? null : toFraction(sorted[sorted.length - 1] as Dec),
  };
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/**
 * Cuts counted in bins of `binWidth` (default 0.1): [from, to), the last bin closed so a cut of exactly 1
 * (a free product) is counted. Bins cover [min(0, lowest cut rounded down to a bin edge), 1], so price
 * rises (negative cuts) get their own bins below 0; a cut above 1 (a negative price, bad data) widens the
 * top instead of being lost. Edges are found in whole bins with a small tolerance so that 0.3 falls in
 * [0.3, 0.4) despite 0.3 / 0.1 = 2.9999999999999996. Non-finite values are ignored.
 */
export function cutHistogram(cuts: readonly number[], binWidth: number = 0.1): HistogramBin[] {
  if (!(binWidth > 0) || !Number.isFinite(binWidth)) throw new RangeError(`binWidth must be positive: ${binWidth}`);
  const binOf = (value: number) => Math.floor(value / binWidth + 1e-9);
  const values = cuts.filter(Number.isFinite);
  // reduce, not Math.max(...values): spreading a long array overflows the call stack
  const top = values.reduce((m, v) => Math.max(m, v), 1);
  const firstBin = values.reduce((m, v) => Math.min(m, binOf(v)), 0);
  const lastBin = Math.ceil(top / binWidth - 1e-9) - 1; // the bin that holds `top`
  const edge = (i: number) => Math.round(i * binWidth * 1e9) / 1e9;

  const bins: HistogramBin[] = [];
  for (let i = firstBin; i <= lastBin; i += 1) {
    // the top bin ends at 1 even when 1 is not a multiple of the width
    bins.push({ from: edge(i), to: i === lastBin && top === 1 ? 1 : edge(i + 1), count: 0 });
  }
  for (const value of values) {
    const bin = bins[Math.min(binOf(value), lastBin) - firstBin];
    if (bin !== undefined) bin.count += 1;
  }
  return bins;
}
