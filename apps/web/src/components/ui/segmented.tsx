import { useId, type ReactNode } from 'react';

/**
 * A small group of toggle buttons choosing one value (product type, scope, language). `label` names the
 * group: text read to screen readers only, or the id of a visible label the caller draws.
 */
export function Segmented<T extends string>(props: {
  label: string | { labelledBy: string };
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  text: (value: T) => ReactNode;
  optionTestId?: (value: T) => string;
  optionLang?: (value: T) => string;
  testId?: string;
}) {
  const id = useId();
  const { label } = props;
  return (
    <div className="segmented" role="group" aria-labelledby={typeof label === 'string' ? id : label.labelledBy} data-testid={props.testId}>
      {typeof label === 'string' ? (
        <span id={id} className="visually-hidden">
          {label}
        </span>
      ) : null}
      {props.options.map((v) => (
        <button
          key={v}
          type="button"
          className="segmented__item"
          aria-pressed={props.value === v}
          onClick={() => props.onChange(v)}
          data-value={v}
          data-testid={props.optionTestId?.(v)}
          lang={props.optionLang?.(v)}
        >
          {props.text(v)}
        </button>
      ))}
    </div>
  );
}
