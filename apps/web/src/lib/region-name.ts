import type { Region } from '@vbp/contracts/api';
import type { Lang } from './i18n/types';

/** The name a region goes by on screen: 江苏省 / 江苏 (short) / Jiangsu. */
export function regionName(region: Pick<Region, 'nameZh' | 'shortNameZh' | 'nameEn'>, lang: Lang, short = false): string {
  if (lang === 'en') return region.nameEn;
  return short ? region.shortNameZh : region.nameZh;
}
