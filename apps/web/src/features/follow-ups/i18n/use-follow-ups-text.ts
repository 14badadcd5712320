import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { followUpsEn } from './en';
import { followUpsZh, type FollowUpsDictionary } from './zh';

const FOLLOW_UPS_DICTIONARIES: Record<Lang, FollowUpsDictionary> = { zh: followUpsZh, en: followUpsEn };

/** The app's dictionary (t), the follow-up list's (f) and the language. */
export function useFollowUpsText() {
  const { t, lang } = useI18n();
  return { t, f: FOLLOW_UPS_DICTIONARIES[lang], lang };
}
