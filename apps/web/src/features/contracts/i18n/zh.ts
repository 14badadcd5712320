/**
 * The contracts page's words (Simplified Chinese, the default). Kept with the feature so they load with
 * the lazy page; en.ts provides every key with the same type.
 */
import type { ContractState, RenewalState } from '@vbp/contracts/contract-periods';

export const contractsZh = {
  title: (region: string) => `${region}合同协议期`,
  intro: (date: string) => `截至 ${date}：各批次在本地区的执行起始日至协议期满日，到期提醒与接续情况。`,
  introNation: (date: string) => `截至 ${date}：国家组织批次在各省的执行（按批次汇总：最早起始日、最早的已知期满日）。`,
  counts: {
    total: '批次',
    endingSoon: (days: string) => `${days}内到期`,
    endingUnrenewed: '其中尚无接续',
    endedUnrenewed: '已到期未接续',
    unknownEnd: '期满日未知',
  },
  filters: {
    label: '筛选',
    type: '类别',
    show: '显示',
    all: '全部',
    attention: '需关注（即将到期或到期未接续）',
  },
  timeline: {
    title: '协议期时间轴',
    description: '每条横条为一个批次在本地区的协议期；虚线框为推定日期，渐隐的末端表示期满日未知；◆为接续批次的起始日。',
    today: '截至日',
    summary: (n: number, ending: number, unrenewed: number, date: string, days: string) =>
      `截至 ${date}，共 ${n} 个批次的协议期；${ending} 个在${days}内到期，其中 ${unrenewed} 个尚无接续批次。逐项见下表。`,
    empty: '没有符合条件的协议',
  },
  table: {
    title: '协议期明细',
    batch: '批次',
    type: '类别',
    start: '执行起始',
    end: '协议期满',
    daysLeft: '剩余天数',
    state: '状态',
    renewal: '接续',
    regions: '省份',
    estimated: '推定',
    source: '来源',
    unknown: '未知',
    regionCount: (n: number, renewed: number) => `${n} 个${renewed > 0 ? `（${renewed} 个已接续）` : ''}`,
    renewalOf: (code: string) => `接续 ${code}`,
  },
  states: {
    running: '执行中',
    ending_soon: '即将到期',
    ended: '已到期',
    unknown_end: '期满日未知',
  } satisfies Record<ContractState, string>,
  renewal: {
    renewed: (code: string, date: string) => `已由 ${code} 接续（${date} 起）`,
    renewedNoBatch: '已接续',
    pending: '接续待定',
    not_needed: '尚无接续批次',
  } satisfies Record<RenewalState, unknown> & { renewedNoBatch: string },
  daysLeft: (days: string) => `剩 ${days}`,
  endedAgo: (days: string) => `已过 ${days}`,
  fn: (date: string, days: string, source: string) =>
    `截至 ${date}。期满日来自执行记录（公告或按“起始日 + 协议年限 − 1天”推定）；“即将到期”指${days}内期满（本地区到期预警天数中最大者，${source}）；接续指在本地区执行的、标注为接续该批次的后续批次。`,
};

export type ContractsDictionary = typeof contractsZh;
