import { AlertIcon } from '../../../components/ui/icons';
import { useI18n } from '../../../lib/i18n/i18n-context';

/** Shown whenever the region's figures include generated demonstration data. */
export function SyntheticBanner() {
  const { t } = useI18n();
  return (
    <div className="banner banner--synthetic" role="note" data-testid="synthetic-banner">
      <AlertIcon size={20} />
      <div>
        <strong>{t.overview.synthetic}</strong>
        <span> {t.overview.syntheticBody}</span>
      </div>
    </div>
  );
}
