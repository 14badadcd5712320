/**
 * Where synthetic institutions are placed: the real prefecture-level divisions (GB/T 2260 codes) of a few
 * regions we know, weighted roughly by population (millions, rounded); any other region gets numbered
 * stand-in cities (城市01 …) with codes under the region's two-digit prefix.
 */
export interface City {
  code: string;
  name: string;
  weight: number;
}

const KNOWN: Record<string, readonly City[]> = {
  // 江苏省
  '320000': [
    { code: '320100', name: '南京市', weight: 9.5 },
    { code: '320200', name: '无锡市', weight: 7.5 },
    { code: '320300', name: '徐州市', weight: 9.0 },
    { code: '320400', name: '常州市', weight: 5.3 },
    { code: '320500', name: '苏州市', weight: 12.9 },
    { code: '320600', name: '南通市', weight: 7.7 },
    { code: '320700', name: '连云港市', weight: 4.6 },
    { code: '320800', name: '淮安市', weight: 4.6 },
    { code: '320900', name: '盐城市', weight: 6.7 },
    { code: '321000', name: '扬州市', weight: 4.6 },
    { code: '321100', name: '镇江市', weight: 3.2 },
    { code: '321200', name: '泰州市', weight: 4.5 },
    { code: '321300', name: '宿迁市', weight: 5.0 },
  ],
  // 北京市: districts stand in for cities
  '110000': [
    { code: '110101', name: '东城区', weight: 0.7 },
    { code: '110102', name: '西城区', weight: 1.1 },
    { code: '110105', name: '朝阳区', weight: 3.4 },
    { code: '110106', name: '丰台区', weight: 2.0 },
    { code: '110107', name: '石景山区', weight: 0.6 },
    { code: '110108', name: '海淀区', weight: 3.1 },
    { code: '110109', name: '门头沟区', weight: 0.4 },
    { code: '110111', name: '房山区', weight: 1.3 },
    { code: '110112', name: '通州区', weight: 1.8 },
    { code: '110113', name: '顺义区', weight: 1.3 },
    { code: '110114', name: '昌平区', weight: 2.3 },
    { code: '110115', name: '大兴区', weight: 2.0 },
    { code: '110116', name: '怀柔区', weight: 0.4 },
    { code: '110117', name: '平谷区', weight: 0.5 },
    { code: '110118', name: '密云区', weight: 0.5 },
    { code: '110119', name: '延庆区', weight: 0.3 },
  ],
  // 内蒙古自治区
  '150000': [
    { code: '150100', name: '呼和浩特市', weight: 3.4 },
    { code: '150200', name: '包头市', weight: 2.7 },
    { code: '150300', name: '乌海市', weight: 0.6 },
    { code: '150400', name: '赤峰市', weight: 4.0 },
    { code: '150500', name: '通辽市', weight: 2.9 },
    { code: '150600', name: '鄂尔多斯市', weight: 2.2 },
    { code: '150700', name: '呼伦贝尔市', weight: 2.2 },
    { code: '150800', name: '巴彦淖尔市', weight: 1.5 },
    { code: '150900', name: '乌兰察布市', weight: 1.7 },
    { code: '152200', name: '兴安盟', weight: 1.4 },
    { code: '152500', name: '锡林郭勒盟', weight: 1.1 },
    { code: '152900', name: '阿拉善盟', weight: 0.3 },
  ],
};

const STAND_IN_CITIES = 12;

export function citiesOf(regionCode: string): readonly City[] {
  const known = KNOWN[regionCode];
  if (known) return known;
  const prefix = regionCode.slice(0, 2);
  return Array.from({ length: STAND_IN_CITIES }, (_, i) => {
    const nn = String(i + 1).padStart(2, '0');
    // larger first, so the stand-ins are not all the same size
    return { code: `${prefix}${nn}00`, name: `城市${nn}`, weight: STAND_IN_CITIES + 4 - i };
  });
}

/** `count` split over the weights by largest remainder; every part gets one first when there are enough. */
export function apportion(count: number, weights: readonly number[]): number[] {
  const parts = weights.map(() => 0);
  let left = count;
  if (count >= weights.length) {
    parts.fill(1);
    left -= weights.length;
  }
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (left * w) / total);
  const floors = exact.map(Math.floor);
  let given = floors.reduce((sum, n) => sum + n, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; given < left; k++, given++) {
    const i = order[k % order.length]!.i;
    floors[i] = (floors[i] ?? 0) + 1;
  }
  return parts.map((p, i) => p + (floors[i] ?? 0));
}

const CHINESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 35 → 三十五; beyond 99 → Arabic digits. */
export function chineseOrdinal(n: number): string {
  if (n <= 10) return CHINESE_DIGITS[n] ?? String(n);
  if (n < 20) return `十${CHINESE_DIGITS[n - 10]}`;
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return `${CHINESE_DIGITS[tens]}十${ones ? CHINESE_DIGITS[ones] : ''}`;
  }
  return String(n);
}
