import { useSearchParams } from 'react-router';
import type { InstitutionExecutionRow } from '@vbp/contracts/execution';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Pagination } from '../../../components/ui/pagination';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { StackTable } from '../../../components/ui/table';
import { formatDate, formatPercent, formatPrice } from '../../../lib/format';
import { readPage } from '../../../lib/search-params';
import { withParam } from '../../../lib/view-params';
import { AddFollowUpButton } from '../../follow-ups/components/add-follow-up-button';
import { useInstitutionExecution } from '../api/get-execution';
import { useExecutionText } from '../i18n/use-execution-text';
import { BehindBadge, CompletionBar } from './completion-bar';
import { SourceFootnote } from './source-footnote';
import { QuantityPair, useQuantity } from './quantity';

/** Drill-down: region → institution → its contract years by variety → the products it bought. */
export function InstitutionView({ region, regionLabel, date, id, onBack }: { region: string; regionLabel: string; date: string | null; id: number; onBack: () => void }) {
  const { x } = useExecutionText();
  const query = useInstitutionExecution(region, date, id);
  const data = query.data;
  const busy = query.isPlaceholderData || (query.isFetching && data !== undefined);
  const inst = data?.institution;
  return (
    <div className="page" data-testid="exec-institution" aria-busy={busy}>
      <nav className="exec-crumbs" aria-label={x.crumbs}>
        <ol>
          <li>
            <button type="button" className="exec-link" onClick={onBack} data-testid="exec-crumb-region">
              {regionLabel}
            </button>
          </li>
          <li aria-current="page">{inst?.name ?? '…'}</li>
        </ol>
      </nav>
      <div className="page__head page__head--actions">
        <div>
          <h1 className="page__title" data-testid="exec-institution-name">
            {inst ? inst.name : <Skeleton lines={1} />}
          </h1>
          {inst ? (
            <p className="page__subtitle">
              {inst.code} · {x.levelCity(inst.level ?? '—', inst.cityName ?? '—')} · {x.asOf(formatDate(data.date))}
            </p>
          ) : null}
        </div>
        <button type="button" className="button" onClick={onBack} data-testid="exec-back">
          {x.back}
        </button>
      </div>
      {query.isError && !data ? (
        <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Panel title={x.institutionTitle} busy={busy} testId="exec-institution-panel">
          <QueryContent query={query} skeleton={<Skeleton lines={8} />}>
            {(d) => (
              <>
                <dl className="exec-totals">
                  <div className="exec-totals__item">
                    <dt>{x.completion}</dt>
                    <dd className="exec-totals__big" data-testid="exec-inst-completion">{formatPercent(d.totals.completion)}</dd>
                  </div>
                  <div className="exec-totals__item">
                    <dt>{x.timeProgress}</dt>
                    <dd className="exec-totals__big" data-testid="exec-inst-progress">{formatPercent(d.totals.timeProgress)}</dd>
                  </div>
                  <div className="exec-totals__item">
                    <dt>{x.purchased} / {x.agreed}</dt>
                    <dd><QuantityPair purchased={d.totals.purchased} agreed={d.totals.agreed} /></dd>
                  </div>
                  <div className="exec-totals__item">
                    <dt>{x.nonSelectedShare}</dt>
                    <dd data-testid="exec-inst-nonselected">{formatPercent(d.totals.nonSelectedShare)}</dd>
                  </div>
                </dl>
                <SourceFootnote date={d.date} threshold={d.threshold} thresholdSource={d.thresholdSource} source={d.source} />
                {d.rows.length === 0 ? <EmptyState>{x.institutionEmpty}</EmptyState> : <InstitutionRows rows={d.rows} region={region} institution={d.institution} />}
              </>
            )}
          </QueryContent>
        </Panel>
      )}
    </div>
  );
}

/** Contract years a page (a tertiary hospital buys hundreds of varieties); the page is `ipage` in the URL. */
const ROWS_PER_PAGE = 25;

function InstitutionRows({ rows: all, region, institution }: { rows: readonly InstitutionExecutionRow[]; region: string; institution: { id: number; name: string } }) {
  const { x } = useExecutionText();
  const [params, setParams] = useSearchParams();
  const pages = Math.max(1, Math.ceil(all.length / ROWS_PER_PAGE));
  const page = Math.min(readPage(params.get('ipage')), pages);
  const rows = all.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE);
  return (
    <>
    <StackTable className="exec-table" columns={[x.groupName.variety, x.contractYear, { label: `${x.completion} / ${x.timeProgress}`, className: 'exec-table__bar' }, { label: x.completion, className: 'num' }, { label: x.timeProgress, className: 'num' }, { label: `${x.purchased} / ${x.agreed}`, className: 'num' }, { label: x.nonSelectedShare, className: 'num' }, x.status]}>
      {rows.map((r) => (
        <InstitutionRow key={`${r.batchCode}:${r.varietyId}:${r.productId ?? ''}:${r.contractYear}`} row={r} region={region} institution={institution} />
      ))}
    </StackTable>
    {all.length > ROWS_PER_PAGE ? (
      <Pagination page={page} pageSize={ROWS_PER_PAGE} total={all.length} onPage={(p) => setParams((prev) => withParam(prev, 'ipage', p > 1 ? String(p) : null))} />
    ) : null}
    </>
  );
}

function InstitutionRow({ row: r, region, institution }: { row: InstitutionExecutionRow; region: string; institution: { id: number; name: string } }) {
  const { x } = useExecutionText();
  return (
    <>
      <tr data-testid="exec-inst-row" data-variety={r.varietyId}>
        <th scope="row" data-label={x.groupName.variety}>
          <span className="cell-main">{r.varietyNameZh}</span>
          <span className="cell-sub">{[r.dosageFormGroup, `${r.batchCode} ${r.batchNameZh}`].filter(Boolean).join(' · ')}</span>
        </th>
        <td data-label={x.contractYear}>
          <span className="cell-main">{x.yearN(r.contractYear)}</span>
          <span className="cell-sub nowrap">{r.periodStart} – {r.periodEnd}</span>
        </td>
        <td data-label={x.marker} className="exec-table__bar">
          <CompletionBar name={r.varietyNameZh} completion={r.completion} timeProgress={r.timeProgress} behind={r.behind} />
        </td>
        <td data-label={x.completion} className="num" data-testid="exec-completion">{formatPercent(r.completion)}</td>
        <td data-label={x.timeProgress} className="num" data-testid="exec-progress">{formatPercent(r.timeProgress)}</td>
        <td data-label={`${x.purchased} / ${x.agreed}`} className="num">
          <QuantityPair purchased={r.purchased} agreed={r.agreed} />
          {r.unit ? <span className="cell-sub">{r.unit}</span> : null}
        </td>
        <td data-label={x.nonSelectedShare} className="num" data-testid="exec-nonselected">{formatPercent(r.nonSelectedShare)}</td>
        <td data-label={x.status}>
          <BehindBadge behind={r.behind} completion={r.completion} />
          {r.behind ? (
            <AddFollowUpButton target={{ region, institutionId: institution.id, institutionName: institution.name, variety: { id: r.varietyId, name: r.varietyNameZh }, batchCode: r.batchCode }} />
          ) : null}
        </td>
      </tr>
      <tr className="exec-products-row">
        <td colSpan={8}>
          <details className="exec-products" data-testid="exec-products">
            <summary>{x.showProducts(r.products.length)}</summary>
            {r.products.length === 0 ? <p className="muted">{x.noProducts}</p> : <ProductTable row={r} />}
          </details>
        </td>
      </tr>
    </>
  );
}

function ProductTable({ row }: { row: InstitutionExecutionRow }) {
  const { x, lang } = useExecutionText();
  const quantity = useQuantity();
  return (
    <table className="table table--compact exec-products__table">
      <caption className="visually-hidden">{x.products}</caption>
      <thead>
        <tr>
          <th scope="col">{x.company}</th>
          <th scope="col">{x.spec}</th>
          <th scope="col">{x.kind}</th>
          <th scope="col" className="num">{x.quantity}</th>
          <th scope="col" className="num">{x.prices}</th>
        </tr>
      </thead>
      <tbody>
        {row.products.map((p) => (
          <tr key={p.productId} data-testid="exec-product" data-selected={p.selected}>
            <td>{p.company}</td>
            <td>{[p.spec, p.packaging].filter(Boolean).join(' · ')}</td>
            <td>{p.selected ? x.selectedHere : p.nonSelected ? <span className="tag tag--warn">{x.nonSelected}</span> : x.otherSelected}</td>
            <td className="num" data-testid="exec-product-quantity">{quantity(p.quantity)}</td>
            <td className="num">{p.selectedPrice ? `${formatPrice(p.referencePrice, lang)} → ${formatPrice(p.selectedPrice, lang)}` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
