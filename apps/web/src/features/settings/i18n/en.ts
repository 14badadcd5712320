import type { SettingsDictionary } from './zh';

export const settingsEn: SettingsDictionary = {
  title: (region: string) => `${region} · Warning settings`,
  intro: 'The lag warning threshold and the contract expiry alert days, per province; changes are audited.',
  thresholdLabel: 'Lag warning threshold',
  thresholdHint: 'Behind when completion is below time progress × the threshold; a decimal in (0, 1], at most 3 decimals (default 0.8).',
  alertDaysLabel: 'Contract expiry alert days',
  alertDaysHint: 'Days before a contract ends at which to alert, separated by commas; at most 10, each 1 to 730 (default 180, 90, 60, 30, 7).',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Warning settings saved',
  reset: 'Reset',
  isDefault: 'The province has set nothing yet: these are the defaults.',
  updated: (by: string, at: string) => `Last changed by ${by}, ${at}`,
  readOnly: 'Read only: only the province’s procurement office or an administrator changes the warning settings.',
  days: (list: string) => `${list} days`,
  failed: 'Could not save',
};
