/**
 * The settings form's values as typed (text) and what they become: the threshold a decimal in (0, 1] with
 * at most 3 decimals, the alert days whole days separated by commas, spaces or 、. The API checks the same
 * rules (packages/contracts/src/settings.ts); checking here says what is wrong before a request.
 */
import { ContractAlertDays, ProgressWarningThreshold } from '@vbp/contracts/settings';

export interface SettingsDraft {
  threshold: string;
  alertDays: string;
}

export type SettingsErrors = Partial<Record<keyof SettingsDraft, string>>;

export function draftOf(settings: { progressWarningThreshold: number; contractAlertDays: readonly number[] }): SettingsDraft {
  return { threshold: String(settings.progressWarningThreshold), alertDays: settings.contractAlertDays.join(', ') };
}

/** The zod message is "english / 中文": the half of the page's language. */
function half(message: string, lang: 'zh' | 'en'): string {
  const [en, zh] = message.split(' / ');
  return (lang === 'zh' ? zh : en) ?? message;
}

export function parseDraft(draft: SettingsDraft, lang: 'zh' | 'en'): { ok: true; value: { progressWarningThreshold: number; contractAlertDays: number[] } } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const thresholdText = draft.threshold.trim();
  const threshold = ProgressWarningThreshold.safeParse(thresholdText === '' ? Number.NaN : Number(thresholdText));
  if (!threshold.success) errors.threshold = half(threshold.error.issues[0]?.message ?? '', lang);
  const parts = draft.alertDays.split(/[\s,，、]+/).filter((p) => p !== '');
  const days = ContractAlertDays.safeParse(parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN)));
  if (!days.success) errors.alertDays = half(days.error.issues[0]?.message ?? '', lang);
  if (!threshold.success || !days.success) return { ok: false, errors };
  return { ok: true, value: { progressWarningThreshold: threshold.data, contractAlertDays: days.data } };
}
