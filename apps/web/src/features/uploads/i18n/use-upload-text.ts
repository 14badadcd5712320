import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { uploadsEn } from './en';
import { uploadsZh, type UploadsDictionary } from './zh';

export const UPLOAD_DICTIONARIES: Record<Lang, UploadsDictionary> = { zh: uploadsZh, en: uploadsEn };

/** The app's dictionary (t), the upload pages' (u) and the language. */
export function useUploadText() {
  const { t, lang } = useI18n();
  return { t, u: UPLOAD_DICTIONARIES[lang], lang };
}
