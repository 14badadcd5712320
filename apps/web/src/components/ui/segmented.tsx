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
  const own = typeof props.label === 'string';
  return (
    <div className="segmented" role="group" aria-labelledby={typeof props.label === 'string' ? id : props.label.labelledBy} data-testid={props.testId}>
      {own ? (
        <span id={id} className="visually-hidden">
          {props.label as string}
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
