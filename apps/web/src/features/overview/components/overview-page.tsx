import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatDate } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { ApiRequestError, isApiError } from '../../../lib/api';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useRegions } from '../../../lib/regions';
import { forgetStoredRegion, useViewParams } from '../../../lib/view-params';
import { useOverview } from '../api/get-overview';
import { ContractsPanel } from './contracts-panel';
import { CoveragePanel } from './coverage-panel';
import { CutsPanel } from './cuts-panel';
import { FollowUpsOverviewPanel } from '../../follow-ups/components/follow-ups-overview-panel';
import { ContractAlertsOverviewPanel } from '../../contracts/components/contract-alerts-overview-panel';
import { ExecutionPanel } from './execution-panel';
import { HeadlineFigures } from './headline-figures';
import { PublishedFiguresPanel } from './published-figures-panel';
import { SyntheticBanner } from './synthetic-banner';
import { TargetsPanel } from './targets-panel';
import { WarningsPanel } from './warnings-panel';
import { PRINT_OMIT_CLASS, usePrintFit } from './use-print-fit';

/** 总览: the state of VBP in one region, as of one date, readable in two minutes. */
export function OverviewPage() {
  const { t, lang } = useI18n();
  const { region, date, setRegion } = useViewParams();
  const overview = useOverview(region, date);
  const data = overview.data;
  // Previous region's data stays on screen while the next loads: mark the page busy instead of blanking it.
  const busy = overview.isPlaceholderData || (overview.isFetching && data !== undefined);
  const name = data ? regionName(data.region, lang) : null;
  const pageRef = useRef<HTMLDivElement>(null);
  usePrintFit(pageRef);

  const rejected = overview.error instanceof ApiRequestError && [400, 403, 404].includes(overview.error.status);
  useEffect(() => {
    if (rejected) forgetStoredRegion(region);
  }, [rejected, region]);

  useEffect(() => {
    document.title = name ? `${name}${t.overview.titleAfterName} · ${t.app.name}` : t.app.name;
  }, [name, t]);

  // Another province (typed into the URL, or a bookmark): one answer for the page, not one per panel.
  if (isApiError(overview.error, 'FORBIDDEN') && !data) {
    return <RegionForbidden error={overview.error} onGoHome={setRegion} />;
  }

  return (
    <div className="page" ref={pageRef} data-testid="overview-page" data-region={data?.region.code ?? ''} aria-busy={busy}>
      <div className="page__head">
        {data ? (
          <>
            <h1 className="page__title">
              <span data-testid="region-name">{name}</span>
              {t.overview.titleAfterName}
            </h1>
            <p className="page__subtitle">
              {t.app.asOf} <time dateTime={data.date} data-testid="as-of-date">{formatDate(data.date)}</time>
            </p>
          </>
        ) : overview.isError ? (
          <h1 className="page__title">{t.app.overview}</h1>
        ) : (
          <>
            <h1 className="page__title page__title--loading">
              <span className="visually-hidden">{t.common.loading}</span>
              <Skeleton lines={1} />
            </h1>
            <p className="page__subtitle">&nbsp;</p>
          </>
        )}
      </div>

      {data?.syntheticData ? <SyntheticBanner /> : null}

      <section className="panel panel--figures" aria-label={t.overview.headlineLabel} aria-busy={busy} data-testid="headline">
        {overview.isError && !data ? (
          <ErrorNotice error={overview.error} onRetry={() => void overview.refetch()} />
        ) : data ? (
          <HeadlineFigures overview={data} />
        ) : (
          <div className="figures">
            {Array.from({ length: 5 }, (_, i) => (
              <div className="figure-card figure-card--loading" key={i}>
                <Skeleton lines={4} />
              </div>
            ))}
          </div>
        )}
      </section>

      <WarningsPanel query={overview} busy={busy} />

      <ExecutionPanel region={region} date={date} />

      <FollowUpsOverviewPanel region={region} date={date} />

      <ContractAlertsOverviewPanel region={region} date={date} />

      <CoveragePanel region={region} date={date} overview={data} />

      <CutsPanel query={overview} busy={busy} />

      {/* Left out of the one-page print: the headline figures carry targets and expiring contracts. */}
      <div className={`page__grid ${PRINT_OMIT_CLASS}`}>
        <TargetsPanel query={overview} busy={busy} />
        <ContractsPanel query={overview} busy={busy} />
      </div>
      <div className={PRINT_OMIT_CLASS}>
        <PublishedFiguresPanel query={overview} busy={busy} />
      </div>
    </div>
  );
}

function RegionForbidden({ error, onGoHome }: { error: unknown; onGoHome: (region: string) => void }) {
  const { t, lang } = useI18n();
  const user = useSessionUser();
  const regions = useRegions();
  const home = regions.data?.items.find((r) => r.code === user.regionCode);
  return (
    <div className="page page--narrow" data-testid="region-forbidden">
      <h1 className="page__title">{t.app.overview}</h1>
      <ErrorNotice error={error} title={t.overview.forbiddenTitle}>
        <p>{t.overview.forbiddenBody}</p>
      </ErrorNotice>
      <p>
        <button type="button" className="button button--primary" onClick={() => onGoHome(user.regionCode)}>
          {t.overview.forbiddenGo(home ? regionName(home, lang) : user.regionCode)}
        </button>
      </p>
    </div>
  );
}
