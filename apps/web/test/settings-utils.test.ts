import { describe, expect, it } from 'vitest';
import { draftOf, parseDraft } from '../src/features/settings/utils/settings-form';
import { formatThreshold } from '../src/lib/threshold';

describe('the settings form', () => {
  it('turns the typed values into the settings, alert days descending', () => {
    expect(parseDraft({ threshold: ' 0.85 ', alertDays: '7，30、 180 90' }, 'zh')).toEqual({ ok: true, value: { progressWarningThreshold: 0.85, contractAlertDays: [180, 90, 30, 7] } });
    expect(draftOf({ progressWarningThreshold: 0.8, contractAlertDays: [180, 90, 60, 30, 7] })).toEqual({ threshold: '0.8', alertDays: '180, 90, 60, 30, 7' });
  });

  it('says what is wrong in the page’s language', () => {
    expect(parseDraft({ threshold: '1.5', alertDays: '30, 30' }, 'zh')).toEqual({ ok: false, errors: { threshold: '预警阈值不得超过 1', alertDays: '预警天数不得重复' } });
    expect(parseDraft({ threshold: '', alertDays: '30, x' }, 'en')).toEqual({ ok: false, errors: { threshold: 'the warning threshold must be a number', alertDays: 'alert days must be numbers' } });
    expect(parseDraft({ threshold: '0', alertDays: '' }, 'en')).toEqual({ ok: false, errors: { threshold: 'the warning threshold must be above 0', alertDays: 'give at least one alert day' } });
  });

  it('states a threshold with its source', () => {
    expect(formatThreshold(0.9, 'setting', 'zh')).toBe('0.9（本省设置）');
    expect(formatThreshold(0.8, 'default', 'en')).toBe('0.8 (default)');
    expect(formatThreshold(0.125, 'request', 'zh')).toBe('0.125（本页指定）');
  });
});
