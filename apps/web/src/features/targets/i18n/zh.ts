/**
 * The 目标 page's words (Simplified Chinese, the default). Kept with the feature so they load with the lazy
 * page; en.ts provides every key with the same type. Shared words (types, units, statuses, the targets
 * table's headings) come from the app's dictionary.
 */
import type { TargetStatus } from '@vbp/contracts/enums';

export const targetsZh = {
  title: '目标',
  intro: '各地区的集采目标：进度、状态、推算的完成时间，以及目标出自哪份文件的哪一条。点击列标题排序。',
  asOf: (date: string) => `按今天（${date}）的数据评估`,
  listTitle: '全部目标',
  count: (shown: number, total: number) => (shown === total ? `共 ${total} 条` : `${shown} / ${total} 条`),
  colRegion: '地区',
  colType: '产品类型',
  colUnit: '单位',
  colCount: '目标数',
  colActions: '操作',
  sortBy: (column: string) => `按${column}排序`,
  sortLabel: '排序',
  sortAsc: '升序；点击改为降序',
  sortDesc: '降序；点击改为升序',
  filters: '筛选目标',
  filterType: '产品类型',
  anyType: '全部类型',
  filterStatus: '状态',
  anyStatus: '全部状态',
  filterRegion: '地区',
  anyRegion: '全部地区',
  apply: '筛选',
  clear: '清除',
  empty: '没有符合条件的目标。',
  emptyAll: '还没有收录目标。',
  national: '全国',
  dueAssumedWhy: '推定理由',
  progressNote:
    '进度 = 今天已在该地区执行的国家组织、省际联盟和本省批次累计覆盖的品种（或类别）数 ÷ 目标数；流标品种不计，续约批次不重复计。国家对各省的要求按每个省份分别评估。',
  ruleTitle: '状态如何判定',
  rules: {
    met: '当前累计已达到目标数。',
    on_track: '截止日未过，按近24个月的趋势推算，截止日可达到目标数。',
    at_risk: '截止日未过，推算值不足目标数但不低于90%，或当前不低于目标线（从设定日基数到截止日目标数的直线）。',
    behind: '截止日已过仍未达到；或推算值低于90%且当前低于目标线。',
  } satisfies Record<TargetStatus, string>,
  chartTitle: '各省份进度对比',
  chartScope: '对比的目标',
  chartDescription: '每个省份一条：今天的累计数 ÷ 目标数，从高到低；竖线为 100%（达标）。',
  chartEmpty: '该目标没有可对比的省份。',
  chartNoScope: '没有按省份评估的目标可供对比。',
  chartSummary: (p: { target: string; provinces: number; met: number; top: string | null; bottom: string | null; allTied: string | null }) =>
    `${p.target}：${p.provinces} 个省份中 ${p.met} 个已达标` + (p.allTied ? `；${p.allTied}` : (p.top ? `；最高 ${p.top}` : '') + (p.bottom ? `；最低 ${p.bottom}` : '')) + '。',
  /** One end of the comparison: the provinces tied there by name (up to three), else how many. */
  chartEnd: (labels: readonly string[], value: string) =>
    labels.length === 1 ? `${labels[0]} ${value}` : labels.length <= 3 ? `${labels.join('、')} ${value}（并列）` : `${value}（${labels.length} 个省份并列）`,
  chartAllTied: (n: number, value: string) => `全部 ${n} 个省份均为 ${value}`,
  chartFraction: '完成比例',
  chartCurrent: '当前累计',
  chartTarget: '目标',
  chartLine: '100%（达标）',
  addTitleRegion: '为哪个地区设定目标',
};

export type TargetsDictionary = typeof targetsZh;
