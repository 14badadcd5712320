import { useEffect, useId, useState, type Dispatch, type FormEvent, type ReactNode, type SetStateAction } from 'react';

/**
 * The filter form edits a draft; the URL (and so the list) changes when it is applied. A new URL (the back
 * button, a link) resets the draft to what the list shows.
 */
export function useFilterDraft<F extends { page: number }>(filters: F, toParams: (f: F) => URLSearchParams): [F, Dispatch<SetStateAction<F>>] {
  const [draft, setDraft] = useState(filters);
  const key = toParams({ ...filters, page: 1 }).toString();
  useEffect(() => setDraft(filters), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return [draft, setDraft];
}

/**
 * A list's filters (the fields are the children) with apply and clear. `onApply` runs on submit; clear is
 * offered only while something is filtered (`active`).
 */
export function FilterBar(props: {
  label: string;
  testId: string;
  onApply: () => void;
  onClear: () => void;
  active: boolean;
  applyLabel: string;
  clearLabel: string;
  applyDisabled?: boolean;
  applyTestId?: string;
  children: ReactNode;
}) {
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    props.onApply();
  };
  return (
    <form className="filters" onSubmit={onSubmit} role="search" aria-label={props.label} data-testid={props.testId}>
      {props.children}
      <div className="filters__buttons">
        <button type="submit" className="button button--primary" disabled={props.applyDisabled} data-testid={props.applyTestId}>
          {props.applyLabel}
        </button>
        <button type="button" className="button" onClick={props.onClear} disabled={!props.active}>
          {props.clearLabel}
        </button>
      </div>
    </form>
  );
}

/** One labelled filter; the control (given the id its label points to) and anything after it are the caller's. */
export function FilterField({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="filters__field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/** A filter chosen from a list, with "any" (no filter) first. */
export function FilterSelect<V extends string>(props: {
  label: string;
  anyLabel: string;
  value: V | undefined;
  options: readonly { value: V; label: string }[];
  onChange: (value: V | undefined) => void;
  testId?: string;
}) {
  return (
    <FilterField label={props.label}>
      {(id) => (
        <select id={id} className="input" value={props.value ?? ''} onChange={(e) => props.onChange((e.target.value || undefined) as V | undefined)} data-testid={props.testId}>
          <option value="">{props.anyLabel}</option>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FilterField>
  );
}
