import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { settingsEn } from './en';
import { settingsZh, type SettingsDictionary } from './zh';

const DICTIONARIES: Record<Lang, SettingsDictionary> = { zh: settingsZh, en: settingsEn };

/** The app's dictionary (t), the settings page's (s) and the language. */
export function useSettingsText() {
  const { t, lang } = useI18n();
  return { t, s: DICTIONARIES[lang], lang };
}
