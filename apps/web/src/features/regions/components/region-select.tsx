import { useId } from 'react';
import { readableRegions } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';

/**
 * Picks the region a page is about: 全国 first, then the provinces and XPCC in the API's order, as far as
 * the user may read them (a provincial user: 全国 and their province). A native <select>: keyboard, screen
 * readers and phones handle it without help.
 */
export function RegionSelect({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const user = useSessionUser();
  const regions = useRegions();
  const all = regions.data?.items ?? [];
  const items = readableRegions(user, all);
  const known = items.some((r) => r.code === value);
  // A region in the URL the user may not read: named, so the page's "no permission" message makes sense.
  const outside = known ? undefined : all.find((r) => r.code === value);
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
        {!known && (
          <option value={value} disabled={outside !== undefined}>
            {regions.isPending ? t.app.loadingRegions : outside ? regionName(outside, lang, true) : value}
          </option>
        )}
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
