import { useId } from 'react';
import { todayInChina } from '@vbp/contracts/dates';
import { useI18n } from '../../lib/i18n/i18n-context';

/** The as-of date. Empty means today (China Standard Time); the "today" button clears a chosen date. */
export function DateControl({ value, onChange }: { value: string | null; onChange: (date: string | null) => void }) {
  const { t } = useI18n();
  const id = useId();
  const today = todayInChina();
  return (
    <div className="control">
      <label htmlFor={id} className="control__label">
        {t.app.asOf}
      </label>
      <span className="control__row">
        <input
          id={id}
          type="date"
          className="control__input"
          value={value ?? today}
          min="2018-01-01"
          max={today}
          onChange={(e) => onChange(e.target.value === '' || e.target.value === today ? null : e.target.value)}
          aria-describedby={`${id}-hint`}
          data-testid="date-input"
        />
        {value !== null ? (
          <button type="button" className="button button--small" onClick={() => onChange(null)}>
            {t.app.today}
          </button>
        ) : null}
      </span>
      <span id={`${id}-hint`} className="visually-hidden">
        {t.app.todayHint}
      </span>
    </div>
  );
}
