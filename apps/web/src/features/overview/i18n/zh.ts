/**
 * Words of the overview's price-cut charts, warnings and print view (Simplified Chinese, the default).
 * The rest of the overview's words are in the app's dictionary; en.ts provides every key with the same type.
 */
export const overviewZh = {
  cutsByBatch: {
    title: '各批次平均降价幅度',
    description: '截至日已在本地区执行的批次：计算值为各品种降幅的简单平均（与公告口径一致），公布值为批次公告所述。',
    computed: '计算值（简单平均）',
    volumeWeighted: '量加权',
    published: '公布值',
    batch: '批次',
    level: '层级',
    products: '产品数',
    synthetic: '含模拟价格',
    syntheticNote: '标有“含模拟价格”的批次，其计算值部分基于演示用模拟价格。',
    empty: '本地区已执行的该类批次尚无降价数据',
    withoutCut: (n: number) => `另有 ${n} 个批次尚无价格数据，未列出`,
    summary: (type: string, n: number, top: string | null) =>
      n === 0 ? `${type}：无批次降价数据。` : `${type}：${n} 个批次有降价数据${top ? `，最高为 ${top}` : ''}。明细见下表。`,
    fn: (date: string) => `截至 ${date}；计算值 = 1 − 中选价 / 最高有效申报价，先按品种平均再取简单平均；量加权按本地区约定采购量加权；公布值来自批次公告。`,
  },
  distribution: {
    title: '产品降价幅度分布',
    description: '上述批次全部中选产品的降价幅度，每 10 个百分点一组；无申报价的产品不计。',
    range: '降价幅度',
    count: '产品数',
    share: '占比',
    empty: '尚无中选产品的价格数据',
    summary: (type: string, total: number, peak: string | null) =>
      total === 0 ? `${type}：无产品降价数据。` : `${type}：共 ${total} 个产品${peak ? `，最多的区间为 ${peak}` : ''}。`,
  },
  warnings: {
    // days: "90天"; source: where the window came from ("本省设置" / "默认值")
    title: (days: string, source: string) => `预警：${days}内到期且尚无接续的协议（${source}）`,
    none: (days: string, source: string) => `未来${days}内没有尚无接续的到期协议（${source}）。`,
    item: (name: string, date: string, days: string) => `${name}：${date} 到期，剩余 ${days}`,
    regions: (n: number, renewed: number) => `涉及 ${n} 个省份，其中 ${renewed} 个已接续`,
    toContracts: '查看全部合同',
    label: '到期预警',
  },
  cut: {
    plain: '简单平均',
    weighted: '量加权',
    weightedNone: '无约定量',
    differs: (diff: string) => `与公布值相差 ${diff}`,
    same: '与公布值一致',
  },
  print: {
    printed: (date: string) => `打印于 ${date}`,
    button: '打印',
  },
};

export type OverviewDictionary = typeof overviewZh;
