/**
 * The warning threshold as every warning states it: the number and where it came from (the province's
 * setting, the default, or the page's own request), e.g. "0.9（本省设置）".
 */
import type { ThresholdSource } from '@vbp/contracts/settings';
import type { Lang } from './i18n/types';

const SOURCE_LABELS: Record<Lang, Record<ThresholdSource, string>> = {
  zh: { setting: '本省设置', default: '默认值', request: '本页指定' },
  en: { setting: 'province setting', default: 'default', request: 'set on this page' },
};

/** 0.9 → "0.9"; at most 3 decimals, as stored. */
export function formatThresholdValue(threshold: number, lang: Lang = 'zh'): string {
  return threshold.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 3 });
}

/** Where a threshold came from, in words: "本省设置", "默认值", "本页指定". */
export function thresholdSourceLabel(source: ThresholdSource, lang: Lang = 'zh'): string {
  return SOURCE_LABELS[lang][source];
}

export function formatThreshold(threshold: number, source: ThresholdSource, lang: Lang = 'zh'): string {
  const label = SOURCE_LABELS[lang][source];
  return lang === 'zh' ? `${formatThresholdValue(threshold, lang)}（${label}）` : `${formatThresholdValue(threshold, lang)} (${label})`;
}
