import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { targetsEn } from './en';
import { targetsZh, type TargetsDictionary } from './zh';

const TARGETS_DICTIONARIES: Record<Lang, TargetsDictionary> = { zh: targetsZh, en: targetsEn };

/** The app's dictionary (t), the targets page's (g) and the language. */
export function useTargetsText() {
  const { t, lang } = useI18n();
  return { t, g: TARGETS_DICTIONARIES[lang], lang };
}
