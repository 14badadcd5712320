import { useI18n } from '../../../lib/i18n/i18n-context';
import type { Lang } from '../../../lib/i18n/types';
import { contractsEn } from './en';
import { contractsZh, type ContractsDictionary } from './zh';

const DICTIONARIES: Record<Lang, ContractsDictionary> = { zh: contractsZh, en: contractsEn };

/** The app's dictionary (t), the contracts page's (c) and the language. */
export function useContractsText() {
  const { t, lang } = useI18n();
  return { t, c: DICTIONARIES[lang], lang };
}
