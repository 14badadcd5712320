import { useState, type FormEvent } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';
import { fieldErrorsFromApi, hasErrors, type FieldErrors } from '../../lib/validation';
import { ErrorNotice } from './error-notice';
import { useFocusFirstInvalid } from './use-focus-first-invalid';

/** A form's own check of its values: the input for the API, or a message per field. */
export type FormCheck<I, F extends string> = { ok: true; input: I } | { ok: false; errors: FieldErrors<F> };

/**
 * What the dialog forms share: the values, a message per field (editing a field clears its own), and on
 * submit the form's check first, each message beside its field and the focus on the first. The API's
 * validation issues land on the same fields (`onApiError`, for a mutation's onError). Attach `ref` to the
 * <form>.
 */
export function useFieldForm<V extends object>(initial: V | (() => V), fields: readonly (keyof V & string)[]) {
  type F = keyof V & string;
  const { lang } = useI18n();
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const { ref, focusFirstInvalid } = useFocusFirstInvalid<HTMLFormElement>();

  const set = <K extends F>(field: K, value: V[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const fail = (found: FieldErrors<F>) => {
    setErrors(found);
    focusFirstInvalid();
  };

  const onApiError = (error: unknown) => {
    const fromApi = fieldErrorsFromApi(error, fields, lang);
    if (hasErrors(fromApi)) fail(fromApi);
  };

  /** The submit handler: `check` the values; if they pass, clear the messages and `send` the input. */
  const handleSubmit =
    <I,>(check: () => FormCheck<I, F>, send: (input: I) => void) =>
    (ev: FormEvent) => {
      ev.preventDefault();
      const checked = check();
      if (!checked.ok) {
        fail(checked.errors);
        return;
      }
      setErrors({});
      send(checked.input);
    };

  return { ref, values, set, errors, onApiError, handleSubmit };
}

/** "2 fields need attention", announced, above a form whose submit failed its check. */
export function FormErrorSummary({ errors }: { errors: FieldErrors }) {
  const { t } = useI18n();
  const count = Object.values(errors).filter(Boolean).length;
  if (count === 0) return null;
  return (
    <p className="form__summary" role="alert">
      {t.validation.summary(count)}
    </p>
  );
}

/** A failed save whose reason is on none of the form's fields (those show beside their field). */
export function SaveError({ error, fields, testId }: { error: unknown; fields: readonly string[]; testId?: string }) {
  const { t, lang } = useI18n();
  if (!error || hasErrors(fieldErrorsFromApi(error, fields, lang))) return null;
  return <ErrorNotice error={error} title={t.dialog.saveFailed} testId={testId} />;
}
