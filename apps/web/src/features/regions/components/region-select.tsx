import { useId } from 'react';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../api/get-regions';

/**
 * Picks the region a page is about: 全国 first, then the provinces and XPCC in the API's order. A native
 * <select>: keyboard, screen readers and phones handle it without help.
 */
export function RegionSelect({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const regions = useRegions();
  const items = regions.data?.items ?? [];
  const known = items.some((r) => r.code === value);
  return (
    <div className="control">
      <label htmlFor={id} className="control__label">
        {t.app.region}
      </label>
      <select
        id={id}
        className="control__input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={items.length === 0}
        data-testid="region-select"
        aria-describedby={regions.isError ? `${id}-error` : undefined}
      >
        {!known && <option value={value}>{regions.isPending ? t.app.loadingRegions : value}</option>}
        {items.map((r) => (
          <option key={r.code} value={r.code}>
            {regionName(r, lang, true)}
          </option>
        ))}
      </select>
      {regions.isError ? (
        <span id={`${id}-error`} className="control__error" role="alert">
          {t.common.errorTitle}
        </span>
      ) : null}
    </div>
  );
}
