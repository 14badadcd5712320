import { useId } from 'react';
import type { TargetView } from '@vbp/contracts/api';
import { PRODUCT_TYPES, TARGET_SCOPES, TARGET_UNITS, NATION_CODE } from '@vbp/contracts/enums';
import { CheckboxField, Field } from '../../../components/ui/field';
import { FormActions } from '../../../components/ui/form-actions';
import { FormErrorSummary, SaveError, useFieldForm } from '../../../components/ui/field-form';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { useCreateTarget, useUpdateTarget } from '../api/target-mutations';
import { emptyTargetForm, TARGET_FIELDS, targetFormFromView, toUpdateInput, validateTargetForm, type TargetFormValues } from '../utils/target-form';

/**
 * Add or edit a target (loaded lazily, inside the dialog). Every rule is checked on submit, each message
 * beside its field; the API's own verdict lands on the same fields.
 */
export default function TargetForm(props: {
  regionCode: string;
  /** Editing this target; a new one otherwise. */
  target?: TargetView | undefined;
  /** Source documents offered as suggestions (code, with the title as the option's label). */
  documents: { code: string; titleZh: string | null }[];
  onDone: (outcome: 'created' | 'updated') => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { target, regionCode } = props;
  const { ref, values, set, errors, onApiError, handleSubmit } = useFieldForm<TargetFormValues>(() => (target ? targetFormFromView(target) : emptyTargetForm(regionCode)), TARGET_FIELDS);
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const mutation = target ? update : create;
  const listId = useId();
  const e = t.targetEdit;

  const onSubmit = handleSubmit(
    () => validateTargetForm(values, target?.ownerRegionCode ?? regionCode, lang, t),
    (input) => {
      if (target) update.mutate({ id: target.id, input: toUpdateInput(input) }, { onSuccess: () => props.onDone('updated'), onError: onApiError });
      else create.mutate(input, { onSuccess: () => props.onDone('created'), onError: onApiError });
    },
  );

  const scopeEditable = !target && regionCode === NATION_CODE;

  return (
    <form className="form" onSubmit={onSubmit} noValidate ref={ref} data-testid="target-form">
      <FormErrorSummary errors={errors} />
      <div className="form-grid">
        {scopeEditable ? (
          <Field label={e.scope} error={errors.scope} required className="form-grid__wide">
            {(p) => (
              <select {...p} className="input" value={values.scope} onChange={(ev) => set('scope', ev.target.value as TargetFormValues['scope'])} data-testid="target-scope">
                {TARGET_SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {s === 'each_province' ? e.scopeEachProvince : e.scopeRegion}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <Field label={e.productType} error={errors.productType} required>
          {(p) => (
            <select
              {...p}
              className="input"
              value={values.productType}
              onChange={(ev) => {
                const type = ev.target.value as TargetFormValues['productType'];
                set('productType', type);
                if (type === 'drug') set('unit', 'variety');
              }}
              data-testid="target-product-type"
            >
              {PRODUCT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t.types[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={e.unit} error={errors.unit} hint={values.productType === 'drug' ? e.drugUnitVariety : undefined} required>
          {(p) => (
            <select
              {...p}
              className="input"
              value={values.productType === 'drug' ? 'variety' : values.unit}
              disabled={values.productType === 'drug'}
              onChange={(ev) => set('unit', ev.target.value as TargetFormValues['unit'])}
              data-testid="target-unit"
            >
              {TARGET_UNITS.map((u) => (
                <option key={u} value={u}>
                  {t.unitNames[u]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={e.count} error={errors.count} required>
          {(p) => (
            <input
              {...p}
              className="input input--num"
              inputMode="numeric"
              autoComplete="off"
              value={values.count}
              onChange={(ev) => set('count', ev.target.value)}
              data-testid="target-count"
            />
          )}
        </Field>
        <Field label={e.dueOn} error={errors.dueOn} required>
          {(p) => <input {...p} className="input" type="date" min="2015-01-01" value={values.dueOn} onChange={(ev) => set('dueOn', ev.target.value)} data-testid="target-due-on" />}
        </Field>
        <div className="form-grid__wide">
          <CheckboxField label={e.dueAssumed} checked={values.dueAssumed} onChange={(c) => set('dueAssumed', c)} testId="target-due-assumed" />
          {values.dueAssumed ? (
            <Field label={e.dueNote} error={errors.dueNote} hint={e.dueNoteHint} required>
              {(p) => <textarea {...p} className="input" rows={2} maxLength={500} value={values.dueNote} onChange={(ev) => set('dueNote', ev.target.value)} data-testid="target-due-note" />}
            </Field>
          ) : null}
        </div>
        <Field label={e.documentCode} error={errors.documentCode} hint={e.documentCodeHint} required className="form-grid__wide">
          {(p) => (
            <>
              <input
                {...p}
                className="input"
                list={listId}
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                value={values.documentCode}
                onChange={(ev) => set('documentCode', ev.target.value)}
                data-testid="target-document-code"
              />
              <datalist id={listId}>
                {props.documents.map((d) => (
                  <option key={d.code} value={d.code} label={d.titleZh ?? undefined} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label={e.clause} error={errors.clause} hint={e.clauseHint} required>
          {(p) => <input {...p} className="input" maxLength={200} value={values.clause} onChange={(ev) => set('clause', ev.target.value)} data-testid="target-clause" />}
        </Field>
        <Field label={e.setOn} error={errors.setOn} hint={e.setOnHint} required>
          {(p) => <input {...p} className="input" type="date" min="2015-01-01" value={values.setOn} onChange={(ev) => set('setOn', ev.target.value)} data-testid="target-set-on" />}
        </Field>
        <Field label={e.note} error={errors.note} className="form-grid__wide">
          {(p) => <textarea {...p} className="input" rows={2} maxLength={1000} value={values.note} onChange={(ev) => set('note', ev.target.value)} data-testid="target-note" />}
        </Field>
      </div>
      <SaveError error={mutation.error} fields={TARGET_FIELDS} testId="target-save-error" />
      <FormActions onCancel={props.onCancel} submitLabel={e.save} pendingLabel={e.saving} pending={mutation.isPending} submitTestId="target-save" />
    </form>
  );
}
