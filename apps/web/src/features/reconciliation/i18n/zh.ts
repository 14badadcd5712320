/**
 * The 核对 page's words (Simplified Chinese, the default), loaded with the lazy page; en.ts provides every
 * key with the same type. Metric names, types and units come from the app's dictionary.
 */
import type { ReconciliationStatus } from '@vbp/contracts/reconciliation';

export const reconciliationZh = {
  title: '核对',
  intro: '政策文件公布的每一个数字，与本系统按同一地区、同一口径、同一日期计算的结果并列，列出差异、出处和差异的原因。',
  scopeLabel: '范围',
  scopeRegion: (name: string) => `仅${name}`,
  scopeAll: '全部可查看地区',
  listTitle: '公开数值与计算值',
  summary: (p: { total: number; matches: number; differs: number; notComputed: number }) =>
    `共 ${p.total} 项：一致 ${p.matches} 项，有差异 ${p.differs} 项，无法计算 ${p.notComputed} 项。`,
  empty: '该地区的文件没有公布可核对的数字。',
  emptyAll: '尚未收录文件公布的数字。',
  colRegion: '地区',
  colMetric: '指标',
  colPublished: '文件公布',
  colComputed: '本系统计算（同日）',
  colDifference: '差异',
  colCurrent: (date: string) => `截至 ${date}`,
  colSource: '出处',
  colExplanation: '差异说明',
  status: {
    matches: '一致',
    differs: '有差异',
    not_computed: '无法计算',
  } satisfies Record<ReconciliationStatus, string>,
  asOf: (date: string) => `口径日期 ${date}`,
  noExplanation: '无需说明。',
  documentNote: '文件注',
  national: '全国',
  method:
    '计算值按文件的口径日期计算：品种（类别）数为当日已在该地区执行的国家组织、省际联盟和本省批次累计覆盖数；批次数为当日已执行的该级别批次数；平均降幅为当日已执行批次的中选产品降幅按品种的简单平均。“截至”列为同一计算在页面日期的结果。文件写“超过”“以上”的，计算值满足该界限即为一致；百分比精确到0.1%。',
  methodLabel: '计算口径',
  targetsTitle: '文件中的目标（不是已公布的完成数）',
  targetsIntro: '以下数字出自各地文件，是要达到的目标，不是已完成的数字，因此不在上表核对；其进度见“目标”页。',
  targetsLink: '查看目标进度',
  targetText: (type: string, count: string, unit: string, due: string) => `${type} ≥ ${count}${unit}，截止 ${due}`,
};

export type ReconciliationDictionary = typeof reconciliationZh;
