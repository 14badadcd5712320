/** The overview's execution panel words, zh first; kept apart from the overview dictionary it sits beside. */
const zh = {
  title: '集采执行',
  completion: '约定量完成率',
  timeProgress: '序时进度',
  vs: '对比',
  saving: '预计节约',
  savingNote: (n: number) => (n > 0 ? `${n} 个中选产品无申报价，未计入` : '按申报价与中选价之差计算'),
  nonSelected: '非中选产品占比',
  behindInstitutions: (behind: string, total: string) => `滞后医疗机构 ${behind} / ${total}`,
  behindVarieties: (behind: string, total: string) => `滞后品种 ${behind} / ${total}`,
  noneBehind: '没有滞后',
  completionOf: (completion: string, progress: string) => `完成率 ${completion}，序时进度 ${progress}`,
  toExecution: '查看执行进度',
  toBehind: '查看全部滞后',
  empty: '截至该日期没有正在执行的约定采购量。',
  emptyGo: (date: string) => `查看 ${date} 的执行情况`,
  forbidden: '执行数据按医疗机构，省级用户只能查看本省：请在上方选择本省。',
  source: (date: string, synthetic: boolean) =>
    `截至 ${date} · ${synthetic ? '来源：合成演示数据（非真实数据）' : '来源：已提交的约定采购量与采购数据上传'}，系统计算`,
  /** The rule and the threshold that produced the warnings, e.g. "0.9（本省设置）". */
  behindRule: (threshold: string) => `完成率低于“序时进度 × ${threshold}”记为滞后。`,
  definition: [
    '完成率 = 正在执行的协议年度内采购中选产品的数量 ÷ 约定采购量；序时进度 = 协议年度已过天数 ÷ 总天数（按约定量加权）。',
    '预计节约 = Σ 采购量 ×（最高有效申报价 − 中选价），计自各协议年度开始至所选日期。',
    '非中选产品占比 = 未中选的同品种产品采购量 ÷ 该品种全部采购量。',
  ],
  footnoteLabel: '口径说明',
  chartLabel: '完成率与序时进度',
};

type ExecutionPanelText = typeof zh;

const en: ExecutionPanelText = {
  title: 'Execution',
  completion: 'Completion of agreed volumes',
  timeProgress: 'Time progress',
  vs: 'vs',
  saving: 'Estimated savings',
  savingNote: (n: number) => (n > 0 ? `${n} selected products without a reference price left out` : 'reference minus selected price'),
  nonSelected: 'Non-selected share',
  behindInstitutions: (behind: string, total: string) => `Institutions behind ${behind} of ${total}`,
  behindVarieties: (behind: string, total: string) => `Varieties behind ${behind} of ${total}`,
  noneBehind: 'None behind',
  completionOf: (completion: string, progress: string) => `completion ${completion}, time progress ${progress}`,
  toExecution: 'Open execution',
  toBehind: 'All that are behind',
  empty: 'No agreed volume is running on this date.',
  emptyGo: (date: string) => `See execution as of ${date}`,
  forbidden: 'Execution data is per institution: provincial users read their own province. Choose it above.',
  source: (date: string, synthetic: boolean) =>
    `As of ${date} · ${synthetic ? 'source: synthetic demo data (not real)' : 'source: committed uploads of agreed volumes and purchases'}; computed`,
  behindRule: (threshold: string) => `Behind when completion is below time progress × ${threshold}.`,
  definition: [
    'Completion = quantity of selected products bought in the contract years running ÷ agreed volume; time progress = share of the contract year elapsed (weighted by agreed volume).',
    'Estimated savings = Σ quantity × (reference − selected price), from the start of each contract year to the date.',
    'Non-selected share = quantity of non-selected products of the same variety ÷ all quantity of the variety.',
  ],
  footnoteLabel: 'Definitions',
  chartLabel: 'Completion and time progress',
};

export const EXECUTION_PANEL_TEXT = { zh, en };
