import { Link } from 'react-router';
import { NATION_CODE } from '@vbp/contracts/enums';
import { AlertIcon, CheckOutlineIcon } from '../../../components/ui/icons';
import { formatDate, formatDays } from '../../../lib/format';
import { thresholdSourceLabel } from '../../../lib/threshold';
import { useOverviewText } from '../i18n/use-overview-text';
import { unrenewedEnding } from '../utils/warnings';
import type { OverviewQuery } from './overview-query';
import { BatchLink } from '../../../components/ui/batch-link';

/**
 * Contracts ending within the region's window (its largest contract alert day) without a renewal, shown
 * near the top with the days left: the one thing on the page that needs someone to act. The window and
 * where it came from are stated; a shape and words carry the warning, not colour alone.
 */
export function WarningsPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t, o, lang } = useOverviewText();
  const overview = query.data;
  if (!overview) return null;
  const warnings = unrenewedEnding(overview.contractsEndingSoon);
  const isNation = overview.region.code === NATION_CODE;
  const contractsHref = `/contracts?region=${overview.region.code}${overview.date ? `&date=${overview.date}` : ''}`;
  const { days, source } = overview.contractWindow;
  const windowText = [formatDays(days, lang), thresholdSourceLabel(source, lang)] as const;
  if (warnings.length === 0) {
    return (
      <section className="warnings warnings--none" aria-label={o.warnings.label} aria-busy={busy} data-testid="warnings" data-count="0" data-window-days={days} data-window-source={source}>
        <p>
          <CheckOutlineIcon className="warnings__icon" />
          {o.warnings.none(...windowText)}
          {overview.contractsEndUnknown > 0 ? (
            <span className="muted" data-testid="warnings-end-unknown">
              {' '}
              {t.overview.endingUnknown(overview.contractsEndUnknown)}
            </span>
          ) : null}
        </p>
      </section>
    );
  }
  return (
    <section className="warnings" aria-labelledby="warnings-title" aria-busy={busy} data-testid="warnings" data-count={warnings.length} data-window-days={days} data-window-source={source}>
      <h2 id="warnings-title" className="warnings__title">
        <AlertIcon className="warnings__icon" />
        {o.warnings.title(...windowText)}
      </h2>
      <ul className="warnings__list">
        {warnings.map((w) => (
          <li key={w.batchCode} data-testid={`warning-${w.batchCode}`}>
            <span className="warnings__days" data-testid="warning-days">
              {formatDays(w.daysLeft, lang)}
            </span>
            <span className="warnings__text">
              <span lang="zh-CN">{w.batchNameZh}</span> <span className="muted">
                (<BatchLink code={w.batchCode} />)
              </span>
              {' · '}
              {t.contracts.endsOn} <time dateTime={w.contractEndOn}>{formatDate(w.contractEndOn)}</time>
              {isNation ? <span className="muted"> · {o.warnings.regions(w.regionCount, w.renewedCount)}</span> : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="warnings__more">
        <Link to={contractsHref}>{o.warnings.toContracts} →</Link>
      </p>
    </section>
  );
}
