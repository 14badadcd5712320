import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { overviewEn } from './en';
import { overviewZh, type OverviewDictionary } from './zh';

export const OVERVIEW_DICTIONARIES: Record<Lang, OverviewDictionary> = { zh: overviewZh, en: overviewEn };

/** The app's dictionary (t), the overview additions' (o) and the language. */
export function useOverviewText() {
  const { t, lang } = useI18n();
  return { t, o: OVERVIEW_DICTIONARIES[lang], lang };
}
