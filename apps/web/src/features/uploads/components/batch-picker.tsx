import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { BatchSummary } from '@vbp/contracts/api';
import { PRODUCT_TYPES, type ProductType } from '@vbp/contracts/enums';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { useBatchSearch } from '../api/get-batches';
import { useUploadText } from '../i18n/use-upload-text';

/** Waits until typing pauses before asking the API. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * A searchable batch select (the ARIA combobox pattern): type a code or a name, move with ↑ ↓, choose
 * with Enter, close with Escape. The product type narrows the list. Once chosen, the batch is shown with
 * what the upload will change (a list still made of placeholders says so).
 */
export function BatchPicker(props: {
  value: BatchSummary | null;
  onChange: (batch: BatchSummary | null) => void;
  label: string;
  hint: string;
  required: boolean;
  error?: string | undefined;
}) {
  const { t, u, lang } = useUploadText();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [type, setType] = useState<ProductType | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const search = { q: useDebounced(q, 250), type };
  const batches = useBatchSearch(search, open);
  const items = batches.data?.items ?? [];
  const listId = `${id}-list`;

  useEffect(() => setActive(-1), [search.q, type]);

  const choose = (batch: BatchSummary) => {
    props.onChange(batch);
    setOpen(false);
    setQ('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      setActive((i) => Math.min(items.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      if (open && active >= 0 && items[active]) {
        e.preventDefault();
        choose(items[active]);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
      }
    }
  };

  const describedBy = [props.error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ');
  const name = (b: BatchSummary) => (lang === 'en' && b.nameEn ? b.nameEn : b.nameZh);

  return (
    <div className={`field batch-picker${props.error ? ' field--invalid' : ''}`} data-testid="batch-picker">
      <span className="field__label" id={`${id}-label`}>
        {props.label}
        {props.required ? (
          <span className="field__required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </span>
      {props.value ? (
        <div className="batch-picker__chosen" data-testid="batch-chosen" data-code={props.value.code}>
          <div>
            <span className="cell-main">
              <code>{props.value.code}</code> {name(props.value)}
            </span>
            <span className="cell-sub">
              {t.levels[props.value.level]} · {t.types[props.value.productType]} ·{' '}
              {props.value.varietiesArePlaceholders ? (
                <span className="tag tag--warn">{u.batchPlaceholders(props.value.placeholderCount)}</span>
              ) : (
                u.batchProducts(props.value.productCount)
              )}
            </span>
          </div>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              props.onChange(null);
              setOpen(true);
              requestAnimationFrame(() => inputRef.current?.focus());
            }}
            data-testid="batch-clear"
          >
            {u.batchClear}
          </button>
        </div>
      ) : (
        <div className="batch-picker__search">
          <div className="input-row">
            <input
              ref={inputRef}
              id={`${id}-input`}
              className="input"
              type="search"
              role="combobox"
              aria-labelledby={`${id}-label`}
              aria-expanded={open}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={open && active >= 0 && items[active] ? `${id}-opt-${items[active].code}` : undefined}
              aria-describedby={describedBy}
              aria-invalid={props.error ? true : undefined}
              aria-required={props.required || undefined}
              autoComplete="off"
              spellCheck={false}
              placeholder={u.batchPlaceholder}
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                setOpen(true);
              }}
              onFocus={() => setOpen(true)}
              onKeyDown={onKeyDown}
              onBlur={(e) => {
                // Leaving the picker (not into its own list) closes the list.
                if (!e.currentTarget.closest('.batch-picker')?.contains(e.relatedTarget as Node | null)) setOpen(false);
              }}
              data-testid="batch-search"
            />
            <select
              className="input batch-picker__type"
              aria-label={u.batchType}
              value={type ?? ''}
              onChange={(e) => {
                setType((e.target.value || null) as ProductType | null);
                setOpen(true);
              }}
              data-testid="batch-type"
            >
              <option value="">{u.batchTypeAny}</option>
              {PRODUCT_TYPES.map((p) => (
                <option key={p} value={p}>
                  {t.types[p]}
                </option>
              ))}
            </select>
          </div>
          <div className="batch-picker__popup" hidden={!open}>
            {batches.isError && batches.data === undefined ? (
              <ErrorNotice error={batches.error} onRetry={() => void batches.refetch()} />
            ) : (
              <>
                <ul id={listId} role="listbox" aria-labelledby={`${id}-label`} className="batch-picker__list" aria-busy={batches.isFetching}>
                  {items.map((b, i) => (
                    <li
                      key={b.code}
                      id={`${id}-opt-${b.code}`}
                      role="option"
                      aria-selected={i === active}
                      className={`batch-picker__option${i === active ? ' is-active' : ''}`}
                      // mousedown, not click: the input must not lose focus (and close the list) first
                      onMouseDown={(e) => {
                        e.preventDefault();
                        choose(b);
                      }}
                      onMouseEnter={() => setActive(i)}
                      data-testid={`batch-option-${b.code}`}
                    >
                      <span className="cell-main">
                        <code>{b.code}</code> {name(b)}
                      </span>
                      <span className="cell-sub">
                        {t.levels[b.level]} · {t.types[b.productType]}
                        {b.varietiesArePlaceholders ? ` · ${u.batchPlaceholders(b.placeholderCount)}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
                <p className="batch-picker__status" role="status" aria-live="polite">
                  {batches.data === undefined
                    ? u.batchLoading
                    : items.length === 0
                      ? u.batchNone
                      : batches.data.total > items.length
                        ? u.batchMore(items.length, batches.data.total)
                        : t.pagination.total(batches.data.total)}
                </p>
              </>
            )}
          </div>
        </div>
      )}
      {props.error ? (
        <p id={`${id}-error`} className="field__error" data-testid="batch-error">
          {props.error}
        </p>
      ) : null}
      <p id={`${id}-hint`} className="field__hint">
        {props.hint}
      </p>
    </div>
  );
}
