import { useI18n } from '../../../lib/i18n/i18n-context';

/** Shown whenever the region's figures include generated demonstration data. */
export function SyntheticBanner() {
  const { t } = useI18n();
  return (
    <div className="banner banner--synthetic" role="note" data-testid="synthetic-banner">
      <svg width="20" height="20" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d="M8 1.3L15 14H1z" fill="currentColor" />
        <path d="M8 5.6v4" stroke="#fff" strokeWidth="1.7" strokeLinecap="round" />
        <circle cx="8" cy="11.9" r="0.95" fill="#fff" />
      </svg>
      <div>
        <strong>{t.overview.synthetic}</strong>
        <span> {t.overview.syntheticBody}</span>
      </div>
    </div>
  );
}
