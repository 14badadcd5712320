/** The contract expiry alerts' words (contracts page and overview), zh first. */
const zh = {
  title: '合同到期预警',
  description: (days: string, source: 'setting' | 'default') => `协议期满前 ${days} 天分阶段提醒（${source === 'setting' ? '本省设置' : '默认值'}）；阶段为已进入的最小预警天数。`,
  stage: (days: number) => `${days} 天内到期`,
  stageCount: (days: number, count: string) => `${days} 天内 ${count} 个`,
  pendingOf: (pending: string) => `待接续 ${pending}`,
  all: '全部',
  empty: '没有进入预警期的协议期。',
  export: '导出 Excel',
  batch: '批次',
  end: '协议期满日',
  daysLeft: '剩余天数',
  stageCol: '预警阶段',
  renewal: '接续采购',
  renewed: (name: string, start: string) => `已接续：${name}（${start} 起）`,
  pending: '待接续',
  estimated: '推算',
  days: (n: string) => `${n} 天`,
  overviewLink: '查看合同到期预警',
  filterLabel: '预警阶段',
};

type AlertsText = typeof zh;

const en: AlertsText = {
  title: 'Contract expiry alerts',
  description: (days: string, source: 'setting' | 'default') => `Alerts ${days} days before a contract period ends (${source === 'setting' ? 'province setting' : 'default'}); the stage is the smallest alert day reached.`,
  stage: (days: number) => `Ends within ${days} days`,
  stageCount: (days: number, count: string) => `${count} within ${days} days`,
  pendingOf: (pending: string) => `${pending} not renewed`,
  all: 'All',
  empty: 'No contract period is within an alert window.',
  export: 'Export to Excel',
  batch: 'Batch',
  end: 'Contract end',
  daysLeft: 'Days left',
  stageCol: 'Stage',
  renewal: 'Renewal',
  renewed: (name: string, start: string) => `Renewed: ${name} (from ${start})`,
  pending: 'Not renewed',
  estimated: 'estimated',
  days: (n: string) => `${n} days`,
  overviewLink: 'Open contract alerts',
  filterLabel: 'Alert stage',
};

export const CONTRACT_ALERTS_TEXT = { zh, en };
