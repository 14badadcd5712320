import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { batchesEn } from './en';
import { batchesZh, type BatchesDictionary } from './zh';

export const BATCH_DICTIONARIES: Record<Lang, BatchesDictionary> = { zh: batchesZh, en: batchesEn };

/** The app's dictionary (t), the batch pages' (b) and the language. */
export function useBatchText() {
  const { t, lang } = useI18n();
  return { t, b: BATCH_DICTIONARIES[lang], lang };
}
