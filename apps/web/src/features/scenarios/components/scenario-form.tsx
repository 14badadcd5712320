import { useState } from 'react';
import { PRODUCT_TYPES } from '@vbp/contracts/enums';
import { MAX_SCENARIO_BATCHES, PLANNED_BATCH_LEVELS, type ScenarioView } from '@vbp/contracts/scenarios';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { FormActions } from '../../../components/ui/form-actions';
import { useCreateScenario, useUpdateScenario } from '../api/scenarios';
import { useScenariosText } from '../i18n/use-scenarios-text';
import { draftFromView, emptyBatch, emptyScenario, issueAt, validateScenarioDraft, type BatchDraft, type DraftIssue, type ScenarioDraft } from '../utils/scenario-form';

/**
 * Add or edit a scenario (loaded lazily, inside the dialog): its name, note and planned batches, each a
 * pasted list of variety names or a count with the share expected covered already. Checked on submit with
 * the contract's schema; the API's own refusal (a taken name, a province not the user's) shows below.
 */
export default function ScenarioForm(props: { regionCode: string; scenario?: ScenarioView | undefined; onDone: (outcome: 'created' | 'updated', view: ScenarioView) => void; onCancel: () => void }) {
  const { t, s, lang } = useScenariosText();
  const [draft, setDraft] = useState<ScenarioDraft>(() => (props.scenario ? draftFromView(props.scenario) : emptyScenario()));
  const [issues, setIssues] = useState<DraftIssue[]>([]);
  const create = useCreateScenario();
  const update = useUpdateScenario();
  const mutation = props.scenario ? update : create;

  const setBatch = (index: number, patch: Partial<BatchDraft>) => setDraft((d) => ({ ...d, batches: d.batches.map((b, i) => (i === index ? { ...b, ...patch } : b)) }));

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    const checked = validateScenarioDraft(draft, props.scenario?.regionCode ?? props.regionCode, lang, s.invalid);
    if (!checked.ok) {
      setIssues(checked.issues);
      return;
    }
    setIssues([]);
    const { regionCode: _region, ...changes } = checked.input;
    if (props.scenario) update.mutate({ id: props.scenario.id, input: changes }, { onSuccess: (view) => props.onDone('updated', view) });
    else create.mutate(checked.input, { onSuccess: (view) => props.onDone('created', view) });
  };

  return (
    <form className="form scenario-form" onSubmit={onSubmit} noValidate data-testid="scenario-form">
      {issues.length > 0 ? (
        <div className="notice notice--error" role="alert" data-testid="scenario-form-issues">
          <p>{s.fixBelow}</p>
          <ul>
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="form-grid">
        <Field label={s.name} error={issueAt(issues, 'name')} required>
          {(p) => <input {...p} className="input" maxLength={100} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="scenario-name" />}
        </Field>
        <Field label={s.note} error={issueAt(issues, 'note')}>
          {(p) => <input {...p} className="input" maxLength={1000} value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} data-testid="scenario-note" />}
        </Field>
      </div>
      {draft.batches.map((b, i) => {
        const at = (field: string) => issueAt(issues, `batches.${i}.${field}`);
        return (
          <fieldset key={i} className="scenario-form__batch" data-testid="scenario-batch">
            <legend>
              <span className="scenario-tag">{s.label}</span> {s.batchTitle(i + 1)}
            </legend>
            <div className="form-grid">
              <Field label={s.batchName} error={at('name')} required>
                {(p) => <input {...p} className="input" maxLength={200} value={b.name} onChange={(e) => setBatch(i, { name: e.target.value })} data-testid="batch-name" />}
              </Field>
              <Field label={s.level} error={at('level')} required>
                {(p) => (
                  <select {...p} className="input" value={b.level} onChange={(e) => setBatch(i, { level: e.target.value as BatchDraft['level'] })} data-testid="batch-level">
                    {PLANNED_BATCH_LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {s.levels[l]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={s.productType} error={at('productType')} required>
                {(p) => (
                  <select {...p} className="input" value={b.productType} onChange={(e) => setBatch(i, { productType: e.target.value as BatchDraft['productType'] })} data-testid="batch-product-type">
                    {PRODUCT_TYPES.map((type) => (
                      <option key={type} value={type}>
                        {t.types[type]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={s.announcementDate} error={at('announcementDate')}>
                {(p) => <input {...p} className="input" type="date" value={b.announcementDate} onChange={(e) => setBatch(i, { announcementDate: e.target.value })} data-testid="batch-announcement" />}
              </Field>
              <Field label={s.implementationDate} error={at('implementationDate')} required>
                {(p) => <input {...p} className="input" type="date" value={b.implementationDate} onChange={(e) => setBatch(i, { implementationDate: e.target.value })} data-testid="batch-implementation" />}
              </Field>
              <Field label={s.mode} required>
                {(p) => (
                  <select {...p} className="input" value={b.mode} onChange={(e) => setBatch(i, { mode: e.target.value as BatchDraft['mode'] })} data-testid="batch-mode">
                    <option value="list">{s.modeList}</option>
                    <option value="count">{s.modeCount}</option>
                  </select>
                )}
              </Field>
              {b.mode === 'list' ? (
                <Field label={s.varieties} hint={s.varietiesHint} error={at('varieties')} required className="form-grid__wide">
                  {(p) => <textarea {...p} className="input" rows={5} value={b.varietiesText} onChange={(e) => setBatch(i, { varietiesText: e.target.value })} data-testid="batch-varieties" />}
                </Field>
              ) : (
                <>
                  <Field label={s.varietyCount} error={at('varietyCount') ?? at('varieties')} required>
                    {(p) => <input {...p} className="input input--num" inputMode="numeric" value={b.varietyCount} onChange={(e) => setBatch(i, { varietyCount: e.target.value })} data-testid="batch-count" />}
                  </Field>
                  <Field label={s.coveredShare} hint={s.coveredShareHint} error={at('coveredShare')}>
                    {(p) => <input {...p} className="input input--num" inputMode="decimal" value={b.coveredShare} onChange={(e) => setBatch(i, { coveredShare: e.target.value })} data-testid="batch-share" />}
                  </Field>
                </>
              )}
            </div>
            {draft.batches.length > 1 ? (
              <button type="button" className="button button--small button--danger-quiet" onClick={() => setDraft({ ...draft, batches: draft.batches.filter((_, j) => j !== i) })} data-testid="remove-batch">
                {s.removeBatch}
              </button>
            ) : null}
          </fieldset>
        );
      })}
      {draft.batches.length < MAX_SCENARIO_BATCHES ? (
        <button type="button" className="button button--small" onClick={() => setDraft({ ...draft, batches: [...draft.batches, emptyBatch()] })} data-testid="add-batch">
          {s.addBatch}
        </button>
      ) : null}
      {mutation.isError ? <ErrorNotice error={mutation.error} title={t.dialog.saveFailed} testId="scenario-save-error" /> : null}
      <FormActions onCancel={props.onCancel} submitLabel={s.save} pendingLabel={s.saving} pending={mutation.isPending} submitTestId="scenario-save" />
    </form>
  );
}
