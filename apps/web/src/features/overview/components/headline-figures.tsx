import type { Coverage, CutStats, Overview, PublishedFigure, TargetView } from '@vbp/contracts/api';
import { NATION_CODE, type ProductType, type TargetUnit } from '@vbp/contracts/enums';
import { Footnote } from '../../../components/ui/footnote';
import { ProgressBar } from '../../../components/ui/progress-bar';
import { StatusBadge } from '../../../components/ui/status-badge';
import { formatApprox, formatCount, formatDate, formatDays, formatPercent, formatPointDiff } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { OVERVIEW_DICTIONARIES } from '../i18n/use-overview-text';
import { groupEndingContracts } from '../utils/contracts';
import { formatPublishedValue } from '../../../lib/published-figure';
import { thresholdSourceLabel } from '../../../lib/threshold';
import { latestPublishedCut } from '../utils/published-figures';
import { coverageFor, pickHeadlineTarget } from '../utils/targets';
import { shortSourceText, sourceText } from '../../../components/ui/source-ref';

/** The five big numbers a leader reads first. Each says what it counts, as of when, and from where. */
export function HeadlineFigures({ overview }: { overview: Overview }) {
  const drugTarget = pickHeadlineTarget(overview.targets, 'drug', overview.date);
  const consumableTarget = pickHeadlineTarget(overview.targets, 'consumable', overview.date);
  const consumableUnit: TargetUnit = consumableTarget?.unit ?? 'category';
  return (
    <div className="figures">
      <CoverageCard overview={overview} type="drug" unit="variety" target={drugTarget} />
      <CoverageCard overview={overview} type="consumable" unit={consumableUnit} target={consumableTarget} />
      <InForceCard overview={overview} consumableUnit={consumableUnit} />
      <CutCard overview={overview} />
      <EndingCard overview={overview} />
    </div>
  );
}

function FootLine({ parts }: { parts: (string | null | false | undefined)[] }) {
  return <>{parts.filter(Boolean).join(' · ')}</>;
}

function CoverageCard({ overview, type, unit, target }: { overview: Overview; type: ProductType; unit: TargetUnit; target: TargetView | null }) {
  const { t, lang } = useI18n();
  const coverage: Coverage = coverageFor(overview, type, unit);
  const progress = target?.progress ?? null;
  const prefix = type === 'drug' ? 'drug' : 'consumable';
  const title = type === 'drug' ? t.overview.drugTitle : t.overview.consumableTitle(unit);
  const unitText = t.units[unit];
  const batchCount = new Set(coverage.batches.map((b) => b.code)).size;
  const other = type === 'consumable' ? coverageFor(overview, 'consumable', unit === 'category' ? 'variety' : 'category') : null;
  const isNation = overview.region.code === NATION_CODE;

  return (
    <article className="figure-card" data-testid={`card-${prefix}`}>
      <h3 className="figure-card__title">{title}</h3>
      <p className="figure-card__value">
        <span className="figure-card__big" data-testid={`${prefix}-cumulative`}>
          {formatCount(coverage.cumulative, lang)}
        </span>
        {target && progress ? (
          <span className="figure-card__of">
            {' / '}
            <span data-testid={`${prefix}-target-count`}>{formatCount(target.count, lang)}</span>
            <span className="figure-card__unit">{unitText}</span>
          </span>
        ) : (
          <span className="figure-card__unit">{unitText}</span>
        )}
      </p>
      {target && progress ? (
        <>
          <ProgressBar
            value={progress.current}
            max={target.count}
            expected={progress.expectedNow}
            tone={progress.status}
            label={title}
            valueText={t.overview.progressLabel(formatCount(progress.current, lang), formatCount(target.count, lang), formatPercent(progress.fraction))}
            expectedText={t.overview.expectedNowMark(formatApprox(progress.expectedNow))}
          />
          <div className="figure-card__meta">
            <StatusBadge status={progress.status} label={t.status[progress.status]} testId={`${prefix}-status`} />
            <span className="figure-card__pct">{formatPercent(progress.fraction)}</span>
            <span>
              {t.overview.due(formatDate(target.dueOn))}
              {target.dueAssumed ? (
                <span className="tag" title={target.dueNote ?? undefined}>
                  {t.overview.dueAssumed}
                </span>
              ) : null}
            </span>
          </div>
        </>
      ) : (
        <div className="figure-card__meta">
          <span className="muted">
            {target ? t.overview.perProvinceOnly(target.count, unitText) : t.overview.noTarget}
          </span>
        </div>
      )}
      {other ? (
        <p className="figure-card__secondary">
          {t.overview.otherUnit(unit === 'category' ? 'variety' : 'category')}{' '}
          <span data-testid="consumable-other-cumulative">{formatCount(other.cumulative, lang)}</span>
          {lang === 'zh' ? t.units[unit === 'category' ? 'variety' : 'category'] : null}
        </p>
      ) : null}
      <Footnote
        label={`${t.common.details}: ${title}`}
        summary={
          <FootLine
            parts={[
              `${t.common.asOf} ${formatDate(coverage.date)}`,
              t.overview.fnBatches(batchCount),
              coverage.placeholders > 0 && t.overview.fnPlaceholders(coverage.placeholders),
              target && t.overview.fnTargetSource(shortSourceText(target.source, t.common.sourceUnknown)),
            ]}
          />
        }
      >
        <p>{isNation ? t.overview.fnCumulativeNation : t.overview.fnCumulative(t.types[type])}</p>
        {target ? <p>{t.overview.fnTargetSource(sourceText(target.source, t.common.sourceUnknown))}</p> : null}
        {progress ? (
          <>
            <p>{lang === 'zh' ? progress.statusReasonZh : progress.statusReason}</p>
            <p className="muted">{t.overview.fnStatusRule}</p>
          </>
        ) : null}
        {target?.dueNote ? <p className="muted">{target.dueNote}</p> : null}
      </Footnote>
    </article>
  );
}

function InForceCard({ overview, consumableUnit }: { overview: Overview; consumableUnit: TargetUnit }) {
  const { t, lang } = useI18n();
  const drug = overview.coverage.drug;
  const consumable = coverageFor(overview, 'consumable', consumableUnit);
  const unknown = drug.inForceUnknownEnd + consumable.inForceUnknownEnd;
  return (
    <article className="figure-card" data-testid="card-in-force">
      <h3 className="figure-card__title">{t.overview.inForceTitle}</h3>
      <dl className="figure-card__pairs">
        <div>
          <dt>{t.overview.drugShort}</dt>
          <dd>
            <span className="figure-card__mid" data-testid="drug-in-force">
              {formatCount(drug.inForce, lang)}
            </span>
            <span className="figure-card__unit">{t.units.variety}</span>
          </dd>
        </div>
        <div>
          <dt>{t.overview.consumableShort}</dt>
          <dd>
            <span className="figure-card__mid" data-testid="consumable-in-force">
              {formatCount(consumable.inForce, lang)}
            </span>
            <span className="figure-card__unit">{t.units[consumableUnit]}</span>
          </dd>
        </div>
      </dl>
      <Footnote
        label={`${t.common.details}: ${t.overview.inForceTitle}`}
        summary={<FootLine parts={[`${t.common.asOf} ${formatDate(overview.date)}`, unknown > 0 && t.overview.fnInForceUnknown(unknown)]} />}
      >
        <p>{t.overview.fnInForce}</p>
      </Footnote>
    </article>
  );
}

/** A computed cut agrees with a published one stated as "超过50%" when above it, otherwise when equal at one decimal. */
function agreesWithPublished(computed: number, published: number, comparator: PublishedFigure['comparator'] | undefined): boolean {
  if (comparator === 'gt') return computed > published;
  if (comparator === 'gte') return computed >= published;
  return formatPercent(computed) === formatPercent(published);
}

function CutRow({ type, stats, published }: { type: ProductType; stats: CutStats; published: PublishedFigure | null }) {
  const { t, lang } = useI18n();
  const o = OVERVIEW_DICTIONARIES[lang];
  // The published figure is set beside the computed one; when they differ the gap is said in points.
  const publishedValue = published && (published.unit === 'fraction' || published.unit === 'percent') ? Number(published.value) / (published.unit === 'percent' ? 100 : 1) : null;
  const differs = stats.plainMean !== null && publishedValue !== null && !agreesWithPublished(stats.plainMean, publishedValue, published?.comparator);
  return (
    <div>
      <dt>{type === 'drug' ? t.overview.drugShort : t.overview.consumableShort}</dt>
      <dd>
        <span className="figure-card__mid" data-testid={`${type}-cut-computed`}>
          {stats.plainMean === null ? t.overview.notAvailable : formatPercent(stats.plainMean)}
        </span>
        <span className="figure-card__tag">
          {t.overview.computed} · {o.cut.plain}
        </span>
        {stats.plainMean !== null ? (
          <span className="figure-card__weighted">
            <span className="nowrap" data-testid={`${type}-cut-weighted`}>
              {stats.volumeWeightedMean === null ? o.cut.weightedNone : formatPercent(stats.volumeWeightedMean)}
            </span>
            <span className="figure-card__tag">{o.cut.weighted}</span>
          </span>
        ) : null}
        {published ? (
          <span className="figure-card__published">
            <span className="nowrap" data-testid={`${type}-cut-published`}>
              {formatPublishedValue(published, lang)}
            </span>
            <span className="figure-card__tag">
              {t.overview.published}
              {published.asOf ? ` ${formatDate(published.asOf)}` : ''}
            </span>
            {stats.plainMean !== null && publishedValue !== null ? (
              <span className="figure-card__diff" data-testid={`${type}-cut-diff`}>
                {differs ? o.cut.differs(formatPointDiff(stats.plainMean, publishedValue, lang)) : o.cut.same}
              </span>
            ) : null}
          </span>
        ) : null}
      </dd>
    </div>
  );
}

function CutCard({ overview }: { overview: Overview }) {
  const { t } = useI18n();
  const drugPublished = latestPublishedCut(overview.publishedFigures, overview.region.code, 'drug');
  const consumablePublished = latestPublishedCut(overview.publishedFigures, overview.region.code, 'consumable');
  const { drug, consumable } = overview.cuts;
  const published = [drugPublished, consumablePublished].filter((f): f is PublishedFigure => f !== null);
  return (
    <article className="figure-card" data-testid="card-cut">
      <h3 className="figure-card__title">{t.overview.cutTitle}</h3>
      <dl className="figure-card__pairs">
        <CutRow type="drug" stats={drug} published={drugPublished} />
        <CutRow type="consumable" stats={consumable} published={consumablePublished} />
      </dl>
      <Footnote
        label={`${t.common.details}: ${t.overview.cutTitle}`}
        summary={
          <FootLine
            parts={[
              `${t.common.asOf} ${formatDate(overview.date)}`,
              drug.plainMean === null ? `${t.overview.drugShort}: ${t.overview.fnCutNoData}` : `${t.overview.drugShort}: ${t.overview.fnCutFrom(drug.varietyCount, drug.productCount, drug.syntheticProductCount)}`,
              consumable.plainMean === null
                ? `${t.overview.consumableShort}: ${t.overview.fnCutNoData}`
                : `${t.overview.consumableShort}: ${t.overview.fnCutFrom(consumable.varietyCount, consumable.productCount, consumable.syntheticProductCount)}`,
            ]}
          />
        }
      >
        <p>{t.overview.fnCut}</p>
        {published.map((f) => (
          <p key={f.code}>
            {t.overview.published}: {sourceText(f.source, t.common.sourceUnknown)}
            {f.asOf ? ` (${formatDate(f.asOf)})` : ''}
          </p>
        ))}
      </Footnote>
    </article>
  );
}

function EndingCard({ overview }: { overview: Overview }) {
  const { t, lang } = useI18n();
  const groups = groupEndingContracts(overview.contractsEndingSoon);
  const shown = groups.slice(0, 2);
  const { days, source } = overview.contractWindow;
  const title = t.overview.endingTitle(formatDays(days, lang));
  return (
    <article className="figure-card" data-testid="card-ending" data-window-days={days} data-window-source={source}>
      <h3 className="figure-card__title">{title}</h3>
      <p className="figure-card__value">
        <span className="figure-card__big" data-testid="ending-count">
          {formatCount(groups.length, lang)}
        </span>
      </p>
      {groups.length === 0 ? (
        <p className="figure-card__secondary muted">{t.overview.endingNone(formatDays(days, lang))}</p>
      ) : (
        <ul className="figure-card__list">
          {shown.map((g) => (
            <li key={g.batchCode}>
              <span lang="zh-CN">{g.batchNameZh}</span>
              <span className="muted">
                {' '}
                {formatDate(g.contractEndOn)} · {t.overview.daysLeft(formatDays(g.daysLeft, lang))} ·{' '}
                {g.renewedBy.length > 0 ? t.overview.renewedBy(g.renewedBy.join(', ')) : t.overview.notRenewed}
              </span>
            </li>
          ))}
          {groups.length > shown.length ? <li className="muted">{t.overview.endingMore(groups.length - shown.length)}</li> : null}
        </ul>
      )}
      {overview.contractsEndUnknown > 0 ? (
        <p className="figure-card__secondary" data-testid="ending-unknown" data-value={overview.contractsEndUnknown}>
          {t.overview.endingUnknown(overview.contractsEndUnknown)}
        </p>
      ) : null}
      <Footnote label={`${t.common.details}: ${title}`} summary={`${t.common.asOf} ${formatDate(overview.date)}`}>
        <p>{t.overview.fnEnding(formatDays(days, lang), thresholdSourceLabel(source, lang))}</p>
      </Footnote>
    </article>
  );
}
