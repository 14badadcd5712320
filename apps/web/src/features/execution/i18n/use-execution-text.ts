import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { executionEn } from './en';
import { executionZh, type ExecutionDictionary } from './zh';

const DICTIONARIES: Record<Lang, ExecutionDictionary> = { zh: executionZh, en: executionEn };

/** The app's dictionary (t), the execution page's (x) and the language. */
export function useExecutionText() {
  const { t, lang } = useI18n();
  return { t, x: DICTIONARIES[lang], lang };
}
