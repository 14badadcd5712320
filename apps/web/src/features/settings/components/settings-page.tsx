import { useEffect, useState, type FormEvent } from 'react';
import type { RegionSettingsView } from '@vbp/contracts/settings';
import { PageHead } from '../../../components/layout/page-head';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { useToast } from '../../../components/ui/toast';
import { useCan } from '../../../lib/auth/can';
import { formatDateTime } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { formatThresholdValue } from '../../../lib/threshold';
import { useViewParams } from '../../../lib/view-params';
import { useRegionSettings } from '../api/get-settings';
import { useUpdateSettings } from '../api/update-settings';
import { useSettingsText } from '../i18n/use-settings-text';
import { draftOf, parseDraft, type SettingsDraft, type SettingsErrors } from '../utils/settings-form';
import './settings.css';

/** 设置 / 预警阈值: the province's warning threshold and contract alert days; editable by its office or an admin. */
export function SettingsPage() {
  const { t, s, lang } = useSettingsText();
  const { region } = useViewParams();
  const regions = useRegions();
  const query = useRegionSettings(region);
  const found = regions.data?.items.find((r) => r.code === region);
  const name = found ? regionName(found, lang) : region;
  const canEdit = useCan('write:settings', region);

  useEffect(() => {
    document.title = `${s.title(name)} · ${t.app.name}`;
  }, [name, s, t]);

  return (
    <div className="page settings-page" data-testid="settings-page" data-region={region}>
      <PageHead title={<span data-testid="settings-title">{s.title(name)}</span>} intro={s.intro} />
      <Panel title={s.thresholdLabel + ' · ' + s.alertDaysLabel} testId="settings-panel">
        <QueryContent query={query} skeleton={<Skeleton lines={4} />}>
          {(settings) => (canEdit ? <SettingsForm key={`${settings.regionCode}:${settings.updatedAt ?? 'default'}`} settings={settings} /> : <SettingsView settings={settings} />)}
        </QueryContent>
      </Panel>
    </div>
  );
}

function Provenance({ settings }: { settings: RegionSettingsView }) {
  const { s } = useSettingsText();
  return (
    <p className="muted" data-testid="settings-provenance">
      {settings.isDefault || settings.updatedAt === null ? s.isDefault : s.updated(settings.updatedBy ?? '—', formatDateTime(settings.updatedAt))}
    </p>
  );
}

function SettingsView({ settings }: { settings: RegionSettingsView }) {
  const { s, lang } = useSettingsText();
  return (
    <>
      <p className="notice" data-testid="settings-read-only">
        {s.readOnly}
      </p>
      <dl className="settings-values">
        <div>
          <dt>{s.thresholdLabel}</dt>
          <dd data-testid="settings-threshold-value">{formatThresholdValue(settings.progressWarningThreshold, lang)}</dd>
        </div>
        <div>
          <dt>{s.alertDaysLabel}</dt>
          <dd data-testid="settings-alert-days-value">{s.days(settings.contractAlertDays.join(', '))}</dd>
        </div>
      </dl>
      <Provenance settings={settings} />
    </>
  );
}

function SettingsForm({ settings }: { settings: RegionSettingsView }) {
  const { s, lang } = useSettingsText();
  const toast = useToast();
  const update = useUpdateSettings();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDraft(draft, lang);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    update.mutate({ regionCode: settings.regionCode, ...parsed.value }, { onSuccess: () => toast.notify(s.saved) });
  };

  return (
    <form className="form settings-form" onSubmit={onSubmit} noValidate data-testid="settings-form">
      <div className="form-grid">
        <Field label={s.thresholdLabel} hint={s.thresholdHint} error={errors.threshold} required>
          {(p) => (
            <input {...p} className="input" inputMode="decimal" value={draft.threshold} onChange={(e) => setDraft({ ...draft, threshold: e.target.value })} data-testid="settings-threshold" />
          )}
        </Field>
        <Field label={s.alertDaysLabel} hint={s.alertDaysHint} error={errors.alertDays} required>
          {(p) => (
            <input {...p} className="input" value={draft.alertDays} onChange={(e) => setDraft({ ...draft, alertDays: e.target.value })} data-testid="settings-alert-days" />
          )}
        </Field>
      </div>
      {update.isError ? <ErrorNotice error={update.error} title={s.failed} testId="settings-error" /> : null}
      <Provenance settings={settings} />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => { setDraft(draftOf(settings)); setErrors({}); }}>
          {s.reset}
        </button>
        <button type="submit" className="button button--primary" disabled={update.isPending} data-testid="settings-save">
          {update.isPending ? s.saving : s.save}
        </button>
      </div>
    </form>
  );
}
