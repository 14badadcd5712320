import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': boolean | undefined;
  'aria-required': boolean | undefined;
}

/**
 * A labelled form control with its hint and its error, wired for screen readers (the error is announced
 * with the field, the field is marked invalid). The control is rendered by the caller with the props given.
 */
export function Field(props: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  className?: string;
  testId?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${props.error ? 'field--invalid' : ''} ${props.className ?? ''}`} data-testid={props.testId}>
      <label className="field__label" htmlFor={id}>
        {props.label}
        {props.required ? (
          <span className="field__required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {props.children({ id, 'aria-describedby': describedBy, 'aria-invalid': props.error ? true : undefined, 'aria-required': props.required || undefined })}
      {props.error ? (
        <p id={errorId} className="field__error" data-testid="field-error">
          {props.error}
        </p>
      ) : null}
      {props.hint ? (
        <p id={hintId} className="field__hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A checkbox with its label beside it. */
export function CheckboxField(props: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; testId?: string; name?: string }) {
  const id = useId();
  return (
    <div className="field field--checkbox">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} data-testid={props.testId} name={props.name} />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}
