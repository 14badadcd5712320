export const settingsZh = {
  title: (region: string) => `${region} · 预警设置`,
  intro: '滞后预警阈值与合同到期预警天数，按省设置；修改记入审计日志。',
  thresholdLabel: '滞后预警阈值',
  thresholdHint: '完成率低于“序时进度 × 阈值”记为滞后；0 到 1 之间的小数，最多 3 位小数（默认 0.8）。',
  alertDaysLabel: '合同到期预警天数',
  alertDaysHint: '协议期满前多少天提醒，用逗号分隔，最多 10 个，每个 1 至 730 天（默认 180, 90, 60, 30, 7）。',
  save: '保存',
  saving: '正在保存…',
  saved: '预警设置已保存',
  reset: '还原',
  isDefault: '本省尚未设置，当前为默认值。',
  updated: (by: string, at: string) => `最后修改：${by}，${at}`,
  readOnly: '只读：仅本省集采办或系统管理员可修改预警设置。',
  days: (list: string) => `${list} 天`,
  failed: '保存失败',
};
export type SettingsDictionary = typeof settingsZh;
