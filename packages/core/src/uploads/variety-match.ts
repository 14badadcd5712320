/**
 * Matching a results table's drug names to the varieties already known. Tables write the listed name
 * with its salt and form (富马酸替诺福韦二吡呋酯片, 注射用培美曲塞二钠); the catalogue keys a variety by
 * its base generic name and dosage-form group (替诺福韦二吡呋酯|口服常释剂型). The match key strips the
 * common salt prefixes and suffixes and the preparation words, so both meet.
 */
import { toHalfWidth } from './text';

const SALT_PREFIXES = ['注射用', '盐酸', '硫酸氢', '硫酸', '马来酸', '甲磺酸', '富马酸', '草酸', '苯磺酸', '枸橼酸', '磷酸', '琥珀酸', '酒石酸', '氢溴酸', '醋酸', '乳酸'];
const SUFFIXES = [
  '分散片', '缓释片', '控释片', '肠溶片', '泡腾片', '咀嚼片', '口崩片', '片', '缓释胶囊', '肠溶胶囊', '软胶囊', '胶囊', '注射液', '注射剂', '颗粒', '干混悬剂',
  '混悬液', '口服溶液', '散', '吸入剂', '滴眼液', '贴剂', '乳膏',
  '二钠', '钠', '钙', '钾', '镁',
];

/** The key two spellings of the same generic name share: 阿托伐他汀钙片 → 阿托伐他汀. */
export function genericMatchKey(name: string): string {
  let key = toHalfWidth(name).replace(/\s+/g, '').replace(/[()（）]/g, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of SALT_PREFIXES) {
      if (key.startsWith(prefix) && key.length > prefix.length + 1) {
        key = key.slice(prefix.length);
        changed = true;
      }
    }
    for (const suffix of SUFFIXES) {
      if (key.endsWith(suffix) && key.length > suffix.length + 1) {
        key = key.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  return key;
}

/** The catalogue key of a variety: `generic|form` for drugs, the product kind for consumables. */
export function varietyKey(productType: 'drug' | 'consumable', generic: string, form: string | null): string {
  return productType === 'drug' ? `${generic}|${form ?? ''}` : generic;
}
