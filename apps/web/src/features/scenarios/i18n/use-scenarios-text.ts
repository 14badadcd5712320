import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { scenariosEn } from './en';
import { scenariosZh, type ScenariosDictionary } from './zh';

const DICTIONARIES: Record<Lang, ScenariosDictionary> = { zh: scenariosZh, en: scenariosEn };

/** The app's dictionary (t), the scenarios' (s) and the language. */
export function useScenariosText() {
  const { t, lang } = useI18n();
  return { t, s: DICTIONARIES[lang], lang };
}
