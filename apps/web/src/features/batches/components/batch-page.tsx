import { lazy, Suspense, useEffect, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import type { BatchDetail, BatchProduct, BatchStrength, BatchVariety, PublishedFigure } from '@vbp/contracts/api';
import { ChartDataTable, HistogramTableRows } from '../../../components/charts/chart-data-table';
import { PageHead } from '../../../components/layout/page-head';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { AlertIcon } from '../../../components/ui/icons';
import { Skeleton } from '../../../components/ui/skeleton';
import { StackTable } from '../../../components/ui/table';
import { formatCount, formatDate, formatLarge, formatPercent, formatPrice, MISSING } from '../../../lib/format';
// A published figure reads the same here as on the overview.
import { formatPublishedValue } from '../../../lib/published-figure';
import { useBatch } from '../api/get-batches';
import { useBatchText } from '../i18n/use-batch-text';
import { formatDateAt } from '../utils/batch-dates';
import { groupImplementations } from '../utils/implementations';
import { buildHistogram } from '../utils/cut-histogram';
import { decimalOrder } from '../utils/sort-rows';
import { ProvinceVolumesPanel } from './province-volumes-panel';
import { useUrlSort } from './use-url-sort';
import { VirtualTable, type VirtualColumn } from './virtual-table';
import './batches.css';

const CutHistogramChart = lazy(() => import('../../../components/charts/cut-histogram-chart'));
const CHART_HEIGHT = 260;

const PRODUCT_KEYS = ['variety', 'company', 'spec', 'reference', 'selected', 'cut'] as const;
type ProductKey = (typeof PRODUCT_KEYS)[number];
const VARIETY_KEYS = ['name', 'form', 'class', 'outcome', 'products'] as const;
const STRENGTH_KEYS = ['variety', 'spec', 'quantity'] as const;
type StrengthKey = (typeof STRENGTH_KEYS)[number];
type VarietyKey = (typeof VARIETY_KEYS)[number];

/**
 * 批次详情 (/batches/:code): what the batch is, its counts and cuts (computed beside published, with
 * sources), the contract period and renewal chain, where and since when it is implemented, the cut
 * histogram, and its varieties and selected products in sortable, windowed tables (sorts in the URL:
 * ?psort=cut.desc&vsort=name.asc). Placeholder varieties say "list not loaded"; synthetic prices are labelled.
 */
export function BatchPage() {
  const { code = '' } = useParams();
  const { t, b } = useBatchText();
  const batch = useBatch(code);

  useEffect(() => {
    document.title = `${code} · ${b.listTitle} · ${t.app.name}`;
  }, [code, t, b]);

  return (
    <div className="page" data-testid="batch-page" data-code={code} data-loaded={batch.data !== undefined}>
      <p className="batch-back">
        <Link to="/batches">← {b.backToList}</Link>
      </p>
      <QueryContent query={batch} skeleton={<Skeleton lines={12} />}>
        {(d) => <BatchView batch={d} />}
      </QueryContent>
    </div>
  );
}

function BatchView({ batch }: { batch: BatchDetail }) {
  const { t, b, lang } = useBatchText();
  const placeholders = batch.varietiesArePlaceholders || batch.placeholderCount > 0;
  return (
    <>
      <PageHead
        title={
          <>
            <code data-testid="batch-code">{batch.code}</code> {lang === 'en' && batch.nameEn ? batch.nameEn : batch.nameZh}
          </>
        }
        intro={`${t.levels[batch.level]} · ${t.types[batch.productType]} · ${b.organizer}${b.colon}${batch.organizer}`}
      />
      {placeholders ? (
        <div className="notice notice--warn batch-notice" role="note" data-testid="placeholder-notice">
          <AlertIcon size={20} className="notice__icon" />
          <div>
            <p className="notice__title">{b.placeholdersTitle}</p>
            <p>{b.placeholdersBody(batch.placeholderCount)}</p>
          </div>
        </div>
      ) : null}
      {batch.syntheticProductCount > 0 ? (
        <div className="banner batch-notice" role="note" data-testid="synthetic-notice">
          <AlertIcon size={20} />
          <div>
            <strong>{b.syntheticTitle}</strong> <span>{b.syntheticBody(batch.syntheticProductCount, batch.productCount)}</span>
          </div>
        </div>
      ) : null}
      <div className="batch-grid">
        <FiguresPanel batch={batch} />
        <ContractPanel batch={batch} />
      </div>
      <HistogramPanel batch={batch} />
      <ImplementationsPanel batch={batch} />
      <ProvinceVolumesPanel batch={batch} />
      <VarietiesPanel batch={batch} />
      <ProductsPanel batch={batch} />
      {batch.strengths.length > 0 ? <StrengthsPanel batch={batch} /> : null}
    </>
  );
}

/** A computed figure beside the published one. */
function Pair({ label, computed, published, meta, testId }: { label: string; computed: string; published: string | null; meta: string; testId: string }) {
  const { b } = useBatchText();
  return (
    <div className="batch-figure" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <span className="batch-figure__value" data-testid={`${testId}-computed`}>
          {computed}
        </span>
        <span className="batch-figure__published" data-testid={`${testId}-published`}>
          {b.publishedValue(published ?? b.publishedNone)}
        </span>
        <span className="batch-figure__meta">{meta}</span>
      </dd>
    </div>
  );
}

function FiguresPanel({ batch }: { batch: BatchDetail }) {
  const { b, lang } = useBatchText();
  const c = batch.cuts;
  const withCut = batch.products.filter((p) => p.cut !== null).length;
  return (
    <Panel title={b.figuresTitle} description={b.figuresIntro} testId="figures-panel">
      <dl className="batch-figures">
        <Pair
          label={b.varieties}
          computed={formatCount(batch.varietyCount, lang)}
          published={batch.published.varietyCount === null ? null : formatCount(batch.published.varietyCount, lang)}
          meta={b.figureVarieties(batch.placeholderCount, batch.failedCount)}
          testId="figure-varieties"
        />
        <Pair
          label={b.products}
          computed={formatCount(batch.productCount, lang)}
          published={batch.published.productCount === null ? null : formatCount(batch.published.productCount, lang)}
          meta={batch.syntheticProductCount > 0 ? `${b.figureProducts}${b.sep}${b.productsSynthetic(batch.syntheticProductCount)}` : b.figureProducts}
          testId="figure-products"
        />
        <Pair
          label={b.avgCut}
          computed={formatPercent(c.plainMean)}
          published={batch.published.avgCut === null ? null : formatPercent(batch.published.avgCut)}
          meta={[b.figureCut(c.varietyCount, withCut), batch.published.cutNote].filter(Boolean).join(b.sep)}
          testId="figure-cut"
        />
      </dl>
      <dl className="batch-facts">
        <div>
          <dt>{b.volumeCut}</dt>
          <dd className="num">{c.volumeWeightedMean === null ? b.noVolume : formatPercent(c.volumeWeightedMean)}</dd>
        </div>
        <div>
          <dt>{b.spendCut}</dt>
          <dd className="num">{c.spendWeightedMean === null ? b.noVolume : formatPercent(c.spendWeightedMean)}</dd>
        </div>
        <div>
          <dt>{b.cutRange}</dt>
          <dd className="num" data-testid="cut-range">
            {formatPercent(c.min)} / {formatPercent(c.median)} / {formatPercent(c.max)}
          </dd>
        </div>
      </dl>
      {batch.source ? (
        <p className="batch-source">
          {b.source}
          {b.colon}
          <SourceText text={batch.source} />
        </p>
      ) : null}
      {batch.publishedFigures.length > 0 ? <PublishedFigures figures={batch.publishedFigures} /> : null}
    </Panel>
  );
}

/** A source as stored: URLs inside it become links (the rest stays text). */
function SourceText({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s;，；)）]+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part} target="_blank" rel="noreferrer noopener" className="batch-source__link">
            {part}
          </a>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

function PublishedFigures({ figures }: { figures: PublishedFigure[] }) {
  const { b, lang } = useBatchText();
  return (
    <div className="batch-published" data-testid="published-figures">
      <h3>{b.publishedFigures}</h3>
      <ul>
        {figures.map((f) => {
          return (
            <li key={f.code}>
              <strong>{formatPublishedValue(f, lang)}</strong> <span>{f.metric}</span>
              {f.asOf ? <span className="muted"> · {b.publishedAsOf(f.asOf)}</span> : null}
              <span className="batch-published__source">
                {[f.source.titleZh, f.source.clause].filter(Boolean).join(' ')}
                {f.sourceUrl ? (
                  <>
                    {' '}
                    <SourceText text={f.sourceUrl} />
                  </>
                ) : null}
              </span>
              {f.note ? <span className="muted batch-published__note">{f.note}</span> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ContractPanel({ batch }: { batch: BatchDetail }) {
  const { b } = useBatchText();
  // the earliest start anywhere (the API lists implementations by start date)
  const first = batch.implementations[0];
  return (
    <Panel title={b.contract} testId="contract-panel">
      <dl className="batch-facts">
        <div>
          <dt>{b.announcedOn}</dt>
          <dd className="num">{formatDateAt(batch.announcedOn, batch.announcedPrecision)}</dd>
        </div>
        <div>
          <dt>{b.implementedOn}</dt>
          <dd className="num">{batch.implementedOn ? formatDateAt(batch.implementedOn, batch.implementedPrecision) : b.notPublished}</dd>
        </div>
        <div>
          <dt>{b.firstStart}</dt>
          <dd className="num" data-testid="first-start">
            {first ? formatDateAt(first.startOn, first.startPrecision) : b.notRecorded}
            {first?.estimated ? (
              <abbr className="tag tag--warn batches-est" title={b.estimatedTitle}>
                {b.estimated}
              </abbr>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{b.contractYears}</dt>
          <dd data-testid="contract-years">{batch.contractYears ? b.years(String(Number(batch.contractYears))) : b.notPublished}</dd>
        </div>
      </dl>
      <h3 className="batch-subhead">{b.renewalChain}</h3>
      {batch.renewalChain.length > 1 ? (
        <ol className="batch-chain" data-testid="renewal-chain">
          {batch.renewalChain.map((r) => (
            <li key={r.code} aria-current={r.code === batch.code ? 'true' : undefined}>
              {r.code === batch.code ? (
                <span>
                  <code>{r.code}</code> {r.nameZh} <span className="muted">{b.paren(b.thisBatch)}</span>
                </span>
              ) : (
                <Link to={`/batches/${encodeURIComponent(r.code)}`}>
                  <code>{r.code}</code> {r.nameZh}
                </Link>
              )}
              <span className="muted num"> {formatDate(r.implementedOn)}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{b.renewalNone}</p>
      )}
      {batch.note ? (
        <p className="batch-note">
          {b.note}
          {b.colon}
          {batch.note}
        </p>
      ) : null}
    </Panel>
  );
}

function ImplementationsPanel({ batch }: { batch: BatchDetail }) {
  const { b } = useBatchText();
  const groups = useMemo(() => groupImplementations(batch.implementations), [batch.implementations]);
  return (
    <Panel
      title={b.implementationsTitle}
      description={batch.implementations.length > 0 ? b.implementationsIntro(batch.implementations.length) : undefined}
      testId="implementations-panel"
    >
      {groups.length === 0 ? (
        <EmptyState>{b.implementationsEmpty}</EmptyState>
      ) : (
        <StackTable className="batch-impl-table" columns={[b.colStart, b.colContractEnd, b.colRegion, b.colSource]}>
          {groups.map((g, i) => (
            <tr key={i} data-testid="implementation-group">
              <th scope="row" data-label={b.colStart} className="num nowrap">
                <span>
                  {formatDateAt(g.startOn, g.startPrecision)}
                  {g.estimated ? (
                    <abbr className="tag tag--warn batches-est" title={b.estimatedTitle}>
                      {b.estimated}
                    </abbr>
                  ) : null}
                </span>
              </th>
              <td data-label={b.colContractEnd} className="num nowrap">
                {g.contractEndOn ? formatDate(g.contractEndOn) : b.notPublished}
              </td>
              <td data-label={b.colRegion}>
                <span className="batch-impl-regions">
                  {b.regionCount(g.regions.length)}
                  {g.regions.map((r) => (
                    <span key={r.code} className="batch-impl-region" data-testid="implementation-region" data-region={r.code} data-estimated={g.estimated}>
                      {r.nameZh}
                    </span>
                  ))}
                </span>
              </td>
              <td data-label={b.colSource}>
                <span className="batch-impl-note">{[g.note, g.source].filter(Boolean).join(' · ') || MISSING}</span>
              </td>
            </tr>
          ))}
        </StackTable>
      )}
    </Panel>
  );
}

function HistogramPanel({ batch }: { batch: BatchDetail }) {
  const { b, lang } = useBatchText();
  const data = useMemo(() => buildHistogram(batch.cutHistogram), [batch.cutHistogram]);
  const summary = b.histogramSummary(data.total, data.mode?.label ?? null, data.rises);
  return (
    <Panel title={b.histogramTitle} description={b.histogramIntro} className="panel--chart" testId="histogram-panel">
      <div className="chart-frame" style={{ minHeight: CHART_HEIGHT }}>
        {data.total === 0 ? (
          <EmptyState>{b.histogramEmpty}</EmptyState>
        ) : (
          <figure className="chart-figure">
            <figcaption className="chart-figure__summary" data-testid="histogram-summary" data-total={data.total}>
              {summary}
            </figcaption>
            <div className="chart-figure__plot" aria-hidden="true">
              <Suspense fallback={<Skeleton height={CHART_HEIGHT - 40} />}>
                <CutHistogramChart rows={data.rows} countLabel={b.histogramCount} formatCount={(v) => formatCount(v, lang)} height={CHART_HEIGHT - 40} />
              </Suspense>
            </div>
            <ChartDataTable toggle={b.histogramBin} caption={summary} columns={[b.histogramBin, b.histogramCount, b.histogramShare]} testId="histogram-table">
              <HistogramTableRows rows={data.rows} lang={lang} />
            </ChartDataTable>
          </figure>
        )}
      </div>
    </Panel>
  );
}

function VarietiesPanel({ batch }: { batch: BatchDetail }) {
  const { t, b, lang } = useBatchText();
  const [sort, setSort] = useUrlSort<VarietyKey>('vsort', VARIETY_KEYS, { key: 'name', dir: 'asc' });
  const columns: VirtualColumn<BatchVariety, VarietyKey>[] = [
    {
      key: 'name',
      label: b.colVariety,
      width: 'minmax(12em, 3fr)',
      value: (v) => v.nameZh,
      title: (v) => v.nameZh,
      render: (v) => (
        <>
          {v.isPlaceholder ? (
            <span className="tag tag--warn batch-tag" title={b.listNotLoadedTitle(batch.placeholderCount)}>
              {b.placeholder}
            </span>
          ) : null}
          <span>{lang === 'en' && v.nameEn ? v.nameEn : v.nameZh}</span>
        </>
      ),
    },
    { key: 'form', label: b.colForm, width: 'minmax(8em, 2fr)', value: (v) => v.dosageFormGroup ?? v.categoryNameZh, render: (v) => v.dosageFormGroup ?? v.categoryNameZh ?? MISSING },
    { key: 'class', label: b.colClass, width: 'minmax(6em, 1fr)', value: (v) => (v.drugClass ? b.drugClass[v.drugClass] : null), render: (v) => (v.drugClass ? b.drugClass[v.drugClass] : MISSING) },
    { key: 'outcome', label: b.colOutcome, width: 'minmax(5em, 1fr)', value: (v) => v.outcome, render: (v) => b.outcome[v.outcome] },
    { key: 'products', label: b.colProductCount, width: 'minmax(6em, 1fr)', numeric: true, initialDir: 'desc', value: (v) => v.productCount, render: (v) => formatCount(v.productCount, lang) },
  ];
  return (
    <Panel title={`${b.varietiesTitle}${b.paren(formatCount(batch.varieties.length, lang))}`} description={batch.varieties.length > 0 ? b.varietiesIntro(batch.varieties.length) : undefined} testId="varieties-panel">
      {batch.varietiesArePlaceholders || batch.placeholderCount > 0 ? (
        <p className="batch-inline-note" data-testid="varieties-not-loaded">
          <span className="tag tag--warn">{b.listNotLoaded}</span> {b.listNotLoadedTitle(batch.placeholderCount)}
        </p>
      ) : null}
      {batch.varieties.length === 0 ? (
        <EmptyState>{b.varietiesEmpty}</EmptyState>
      ) : (
        <VirtualTable caption={`${batch.code} ${b.varietiesTitle} · ${t.types[batch.productType]}`} rows={batch.varieties} columns={columns} rowKey={(v) => v.id} sort={sort} onSort={setSort} maxHeight={420} minWidth={640} testId="varieties-table" rowTestId="variety-row" />
      )}
    </Panel>
  );
}

function ProductsPanel({ batch }: { batch: BatchDetail }) {
  const { b, lang } = useBatchText();
  const [sort, setSort] = useUrlSort<ProductKey>('psort', PRODUCT_KEYS, { key: 'variety', dir: 'asc' });
  const price = (value: string | null, unit: string | null) => (value === null ? MISSING : `${formatPrice(value, lang)}${unit ? `/${unit}` : ''}`);
  const companyAverage = batch.products.filter((p) => p.referenceBasis === 'company_average').length;
  const unpriced = batch.strengths.filter((s) => !s.hasPrice).length;
  const columns: VirtualColumn<BatchProduct, ProductKey>[] = [
    { key: 'variety', label: b.colVariety, width: 'minmax(9em, 2fr)', value: (p) => p.varietyNameZh, title: (p) => p.varietyNameZh, render: (p) => p.varietyNameZh },
    {
      key: 'company',
      label: b.colCompany,
      width: 'minmax(10em, 2fr)',
      value: (p) => p.company,
      title: (p) => p.company,
      render: (p) => (
        <>
          {p.isSynthetic ? <span className="tag batch-tag" data-testid="synthetic-tag">{b.synthetic}</span> : null}
          <span>{p.company}</span>
        </>
      ),
    },
    {
      key: 'spec',
      label: b.colSpec,
      width: 'minmax(8em, 1.5fr)',
      value: (p) => p.spec,
      title: (p) => [p.spec, p.packaging].filter(Boolean).join(' · '),
      render: (p) => (
        <>
          {[p.spec, p.packaging].filter(Boolean).join(' · ') || MISSING}
          {p.isMainStrength ? <span className="tag batch-tag" data-testid="main-strength-tag"> {b.mainStrength}</span> : null}
        </>
      ),
    },
    {
      key: 'reference',
      label: companyAverage === batch.products.length ? b.colReferenceCompanyAverage : companyAverage > 0 ? b.colReferenceMixed : b.colReference,
      width: 'minmax(8em, 1fr)',
      numeric: true,
      initialDir: 'desc',
      value: (p) => decimalOrder(p.referencePrice),
      title: (p) => (p.referenceBasis === 'company_average' ? b.basisCompanyAverage : b.basisCeiling),
      render: (p) => price(p.referencePrice, p.priceUnit),
    },
    { key: 'selected', label: b.colSelected, width: 'minmax(8em, 1fr)', numeric: true, initialDir: 'desc', value: (p) => decimalOrder(p.selectedPrice), render: (p) => price(p.selectedPrice, p.priceUnit) },
    { key: 'cut', label: b.colProductCut, width: 'minmax(5em, 0.8fr)', numeric: true, initialDir: 'desc', value: (p) => p.cut, render: (p) => <span data-testid="product-cut">{formatPercent(p.cut)}</span> },
  ];
  return (
    <Panel title={`${b.productsTitle}${b.paren(formatCount(batch.products.length, lang))}`} description={batch.products.length > 0 ? b.productsIntro(batch.products.length) : undefined} testId="products-panel">
      {batch.products.length === 0 ? (
        <EmptyState>{b.productsEmpty}</EmptyState>
      ) : (
        <>
          {companyAverage > 0 ? (
            <p className="batch-inline-note" data-testid="cut-basis-note">
              {b.cutBaseCompanyAverage}
            </p>
          ) : null}
          {unpriced > 0 ? (
            <p className="batch-inline-note" data-testid="follows-main-note">
              {b.followsMainNote(unpriced)}
            </p>
          ) : null}
          <VirtualTable caption={`${batch.code} ${b.productsTitle}`} rows={batch.products} columns={columns} rowKey={(p) => p.id} sort={sort} onSort={setSort} minWidth={860} testId="products-table" rowTestId="product-row" />
        </>
      )}
    </Panel>
  );
}

/** The strengths the results table lists with their agreed quantities; those without a price follow the main strength. */
function StrengthsPanel({ batch }: { batch: BatchDetail }) {
  const { b, lang } = useBatchText();
  const [sort, setSort] = useUrlSort<StrengthKey>('ssort', STRENGTH_KEYS, { key: 'variety', dir: 'asc' });
  const unpriced = batch.strengths.filter((s) => !s.hasPrice).length;
  // three columns, so a phone sees whether a strength has its own price without scrolling sideways
  const columns: VirtualColumn<BatchStrength, StrengthKey>[] = [
    { key: 'variety', label: b.colVariety, width: 'minmax(5em, 1.5fr)', value: (s) => s.varietyNameZh, title: (s) => s.varietyNameZh, render: (s) => s.varietyNameZh },
    {
      key: 'spec',
      label: b.colStrength,
      width: 'minmax(10.5em, 2fr)',
      value: (s) => s.spec,
      title: (s) => (s.hasPrice ? s.spec : `${s.spec} · ${b.followsMain}`),
      render: (s) => (
        <>
          {s.spec}
          {s.isMainStrength ? <span className="tag batch-tag" data-testid="strength-main-tag"> {b.mainStrength}</span> : null}
          {s.hasPrice ? null : <span className="tag tag--warn batch-tag" data-testid="follows-main-tag">{b.followsMain}</span>}
        </>
      ),
    },
    { key: 'quantity', label: b.colStrengthQuantity, width: 'minmax(6em, 1fr)', numeric: true, initialDir: 'desc', value: (s) => decimalOrder(s.quantity), render: (s) => (s.quantity === null ? MISSING : formatLarge(Number(s.quantity), lang, 0)) },
  ];
  return (
    <Panel title={`${b.strengthsTitle}${b.paren(formatCount(batch.strengths.length, lang))}`} description={b.strengthsIntro(batch.strengths.length, unpriced)} testId="strengths-panel">
      <VirtualTable caption={`${batch.code} ${b.strengthsTitle}`} rows={batch.strengths} columns={columns} rowKey={(s) => `${s.varietyId}|${s.spec}`} sort={sort} onSort={setSort} maxHeight={420} minWidth={300} testId="strengths-table" rowTestId="strength-row" />
      <p className="batch-source muted" data-testid="strengths-source">
        {b.strengthsSource}
      </p>
    </Panel>
  );
}
