/**
 * The 31 provincial-level regions of the mainland and the Xinjiang Production and Construction Corps
 * (XPCC, 新疆生产建设兵团), with the GB/T 2260 codes the database uses, and a parser for the lists result
 * tables write ("北京、天津，河北", "新疆（含兵团）", "全国").
 */
import { toHalfWidth } from './normalize';

export interface Province {
  code: string;
  name: string;
  short: string;
  /** Other spellings (one-character abbreviations are accepted only as a whole list item). */
  aliases: readonly string[];
}

export const PROVINCES: readonly Province[] = [
  { code: '110000', name: '北京市', short: '北京', aliases: ['京'] },
  { code: '120000', name: '天津市', short: '天津', aliases: ['津'] },
  { code: '130000', name: '河北省', short: '河北', aliases: ['冀'] },
  { code: '140000', name: '山西省', short: '山西', aliases: ['晋'] },
  { code: '150000', name: '内蒙古自治区', short: '内蒙古', aliases: ['内蒙', '蒙'] },
  { code: '210000', name: '辽宁省', short: '辽宁', aliases: ['辽'] },
  { code: '220000', name: '吉林省', short: '吉林', aliases: ['吉'] },
  { code: '230000', name: '黑龙江省', short: '黑龙江', aliases: ['黑'] },
  { code: '310000', name: '上海市', short: '上海', aliases: ['沪'] },
  { code: '320000', name: '江苏省', short: '江苏', aliases: ['苏'] },
  { code: '330000', name: '浙江省', short: '浙江', aliases: ['浙'] },
  { code: '340000', name: '安徽省', short: '安徽', aliases: ['皖'] },
  { code: '350000', name: '福建省', short: '福建', aliases: ['闽'] },
  { code: '360000', name: '江西省', short: '江西', aliases: ['赣'] },
  { code: '370000', name: '山东省', short: '山东', aliases: ['鲁'] },
  { code: '410000', name: '河南省', short: '河南', aliases: ['豫'] },
  { code: '420000', name: '湖北省', short: '湖北', aliases: ['鄂'] },
  { code: '430000', name: '湖南省', short: '湖南', aliases: ['湘'] },
  { code: '440000', name: '广东省', short: '广东', aliases: ['粤'] },
  { code: '450000', name: '广西壮族自治区', short: '广西', aliases: ['广西自治区', '桂'] },
  { code: '460000', name: '海南省', short: '海南', aliases: ['琼'] },
  { code: '500000', name: '重庆市', short: '重庆', aliases: ['渝'] },
  { code: '510000', name: '四川省', short: '四川', aliases: ['川', '蜀'] },
  { code: '520000', name: '贵州省', short: '贵州', aliases: ['黔', '贵'] },
  { code: '530000', name: '云南省', short: '云南', aliases: ['滇', '云'] },
  { code: '540000', name: '西藏自治区', short: '西藏', aliases: ['藏'] },
  { code: '610000', name: '陕西省', short: '陕西', aliases: ['陕', '秦'] },
  { code: '620000', name: '甘肃省', short: '甘肃', aliases: ['甘', '陇'] },
  { code: '630000', name: '青海省', short: '青海', aliases: ['青'] },
  { code: '640000', name: '宁夏回族自治区', short: '宁夏', aliases: ['宁夏自治区', '宁'] },
  { code: '650000', name: '新疆维吾尔自治区', short: '新疆', aliases: ['新疆自治区', '新'] },
  { code: '660000', name: '新疆生产建设兵团', short: '兵团', aliases: ['新疆兵团', '生产建设兵团', 'xpcc'] },
];

const XINJIANG = '650000';
const XPCC = '660000';
const ALL_CODES = PROVINCES.map((p) => p.code);

/** Lookup form of a name: half-width, no spaces or brackets, lower case. */
function key(text: string): string {
  return toHalfWidth(text).replace(/[\s()[\]【】]/gu, '').toLowerCase();
}

const BY_NAME = new Map<string, string[]>();
for (const p of PROVINCES) {
  for (const name of [p.name, p.short, p.code, ...p.aliases]) BY_NAME.set(key(name), [p.code]);
}
for (const name of ['全国', '全国各省', '全国各省份', '各省份', '所有省份', '全部省份', '全国（含兵团）']) BY_NAME.set(key(name), ALL_CODES);
// Xinjiang written with the Corps included: 新疆（含兵团）, 新疆维吾尔自治区（含新疆生产建设兵团）, 新疆及兵团.
for (const xj of ['新疆', '新疆维吾尔自治区']) {
  for (const corps of ['兵团', '新疆兵团', '新疆生产建设兵团', '生产建设兵团']) {
    for (const join of ['含', '包含', '及', '和', '、', '+']) BY_NAME.set(key(`${xj}${join}${corps}`), [XINJIANG, XPCC]);
  }
}

/** Separators between list items: Chinese and Western commas and semicolons, the enumeration comma, slashes. */
const SEPARATORS = new Set([',', '，', '、', ';', '；', '/', '|']);
const OPEN = new Set(['(', '（', '[', '【']);
const CLOSE = new Set([')', '）', ']', '】']);
const WHITESPACE = /\s/u;

/** Splits on the given separators outside brackets, so 新疆（含兵团、师市） stays one item. */
function splitOutsideBrackets(text: string, isSeparator: (ch: string) => boolean): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (OPEN.has(ch)) depth++;
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && isSeparator(ch)) {
      if (current.trim()) items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

/** The items of a list, split at commas, 、, semicolons and slashes (spaces are resolved by parseRegions). */
export function splitRegionList(text: string): string[] {
  return splitOutsideBrackets(text, (ch) => SEPARATORS.has(ch));
}

/** The longest run of whitespace-separated pieces that names a region wins: 湖 北 云 南 → 湖北, 云南. */
const MAX_PIECES = 4;

/**
 * Whitespace inside an item either separates names (北京 天津) or breaks one (湖 北, 新疆\n（含兵团）, as text
 * copied from a PDF does): the pieces are joined greedily, longest known name first.
 */
function resolveSpaced(item: string): { codes: string[][]; unknown: string[]; joined: boolean } {
  const pieces = splitOutsideBrackets(item, (ch) => WHITESPACE.test(ch));
  const codes: string[][] = [];
  const unknown: string[] = [];
  let joined = false;
  for (let i = 0; i < pieces.length; ) {
    let taken = 0;
    for (let j = Math.min(pieces.length, i + MAX_PIECES); j > i && taken === 0; j--) {
      const found = lookupRegion(pieces.slice(i, j).join(''));
      if (found) {
        codes.push(found);
        taken = j - i;
        joined ||= taken > 1;
      }
    }
    if (taken === 0) {
      unknown.push(pieces[i]!);
      taken = 1;
    }
    i += taken;
  }
  return { codes, unknown, joined };
}

/** One-character abbreviations (京, 津, 冀 …), which alliances are named by: 京津冀, 黑吉辽, 沪苏浙皖. */
const ABBREVIATIONS = new Map<string, string>();
for (const p of PROVINCES) for (const alias of p.aliases) if ([...alias].length === 1) ABBREVIATIONS.set(alias, p.code);

export function lookupRegion(item: string): string[] | null {
  const direct = BY_NAME.get(key(item));
  if (direct) return direct;
  const chars = [...key(item)];
  if (chars.length >= 2 && chars.length <= 8 && chars.every((ch) => ABBREVIATIONS.has(ch))) return chars.map((ch) => ABBREVIATIONS.get(ch)!);
  // "北京市（含在京中央单位）": a known name followed by a bracketed remark.
  const withoutRemark = item.replace(/[(（][^()（）]*[)）]\s*$/u, '');
  if (withoutRemark !== item && withoutRemark.trim()) {
    const found = lookupRegion(withoutRemark);
    if (found) return /兵团/u.test(item) && found.includes(XINJIANG) && !found.includes(XPCC) ? [XINJIANG, XPCC] : found;
  }
  return null;
}

/**
 * Codes in the order first written, without duplicates; items not recognised are returned as written.
 * `joined`: a name broken by whitespace (湖 北) was read whole.
 */
export function parseRegions(text: string): { codes: string[]; unknown: string[]; joined: boolean } {
  const codes: string[] = [];
  const unknown: string[] = [];
  let joined = false;
  const add = (found: readonly string[]) => {
    for (const code of found) if (!codes.includes(code)) codes.push(code);
  };
  for (const item of splitRegionList(text)) {
    const found = lookupRegion(item);
    if (found) {
      add(found);
      joined ||= WHITESPACE.test(item);
    } else if (!WHITESPACE.test(item)) unknown.push(item);
    else {
      const spaced = resolveSpaced(item);
      spaced.codes.forEach(add);
      unknown.push(...spaced.unknown);
      joined ||= spaced.joined;
    }
  }
  return { codes, unknown, joined };
}

export function provinceByCode(code: string): Province | undefined {
  return PROVINCES.find((p) => p.code === code);
}
