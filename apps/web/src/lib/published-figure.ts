/**
 * A published figure's value as the document states it (北京 "556个品种", "超过50%"): shared by every page that
 * shows published figures (the overview, a batch, 核对), so a figure reads the same everywhere.
 */
import type { PublishedFigure } from '@vbp/contracts/api';
import type { ReconciliationItem } from '@vbp/contracts/reconciliation';
import { formatComparator, formatCount, formatPercent, formatPointDiff, MISSING } from './format';
import type { Lang } from './i18n/types';
import type { Dictionary } from './i18n/zh';

/** The unit a figure's value is stated in; anything else is shown with its unit as stored. */
const UNITS: Record<string, { zh: string; en: (n: string) => string }> = {
  variety: { zh: '个品种', en: (n) => `${n} varieties` },
  category: { zh: '类', en: (n) => `${n} categories` },
  batch: { zh: '批', en: (n) => `${n} batches` },
};

/** A percentage as published: trailing zeros dropped (0.50 → "50%", 0.727 → "72.7%"). */
function publishedPercent(value: number): string {
  const pct = Number((value * 100).toFixed(2));
  return `${pct}%`;
}

/** A figure's value with its unit and comparator, as the document states it: "超过50%", "556个品种". */
export function formatPublishedValue(figure: Pick<PublishedFigure, 'value' | 'unit' | 'comparator'>, lang: Lang): string {
  const n = Number(figure.value);
  let text: string;
  if (figure.unit === 'fraction') text = publishedPercent(n);
  else if (figure.unit === 'percent' || figure.unit === '%') text = `${Number(n.toFixed(2))}%`;
  else {
    const unit = UNITS[figure.unit];
    const num = formatCount(n, lang);
    text = unit ? (lang === 'zh' ? `${num}${unit.zh}` : unit.en(num)) : `${num}${lang === 'zh' ? '' : ' '}${figure.unit}`;
  }
  return formatComparator(figure.comparator, text, lang);
}

/** What a figure measures, in words: "药品 · 平均降价幅度" for cuts (which need their product type), the metric's name otherwise. */
export function publishedMetricLabel(t: Pick<Dictionary, 'metrics' | 'types'>, f: Pick<PublishedFigure, 'metric' | 'productType'>): string {
  const base = t.metrics[f.metric] ?? f.metric;
  if ((f.metric === 'avg_cut' || f.metric === 'linked_procurement_avg_cut') && f.productType) return `${t.types[f.productType]} · ${base}`;
  return base;
}

type Valued = Pick<ReconciliationItem, 'scope' | 'published' | 'computed' | 'difference'>;

/** A computed number in its figure's terms: "556", "52.3%"; "—" when there is none. */
export function formatReconciledValue(item: Pick<ReconciliationItem, 'scope'>, value: number | null, lang: Lang): string {
  if (value === null) return MISSING;
  return item.scope.metricKind === 'fraction' ? formatPercent(value) : formatCount(value, lang);
}

/** computed − published, signed: "±0", "−41", "+3.2个百分点"; "—" without a computed value. */
export function formatDifference(item: Valued, lang: Lang): string {
  if (item.computed === null || item.difference === null) return MISSING;
  if (item.scope.metricKind === 'fraction') return formatPointDiff(item.computed, item.published, lang);
  const d = item.difference;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${formatCount(Math.abs(d), lang)}`;
}
