export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}
