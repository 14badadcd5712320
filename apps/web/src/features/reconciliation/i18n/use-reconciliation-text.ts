import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { reconciliationEn } from './en';
import { reconciliationZh, type ReconciliationDictionary } from './zh';

const DICTIONARIES: Record<Lang, ReconciliationDictionary> = { zh: reconciliationZh, en: reconciliationEn };

/** The app's dictionary (t), the 核对 page's (r) and the language. */
export function useReconciliationText() {
  const { t, lang } = useI18n();
  return { t, r: DICTIONARIES[lang], lang };
}
