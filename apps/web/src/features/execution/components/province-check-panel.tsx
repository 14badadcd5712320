import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ProvinceVolumes } from '@vbp/contracts/api';
import type { ExecutionList } from '@vbp/contracts/execution';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Footnote } from '../../../components/ui/footnote';
import { Pagination } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { VolumesEmpty } from '../../../components/ui/volumes-empty';
import { StatusBadge } from '../../../components/ui/status-badge';
import { StackTable } from '../../../components/ui/table';
import { formatCount, formatLarge, formatPercent } from '../../../lib/format';
import { commonUnit, formatVolume, useProvinceVolumes } from '../../../lib/province-volumes';
import { readPage } from '../../../lib/search-params';
import { withParam } from '../../../lib/view-params';
import { useBatchVarietyRows } from '../api/get-execution';
import { useExecutionText } from '../i18n/use-execution-text';
import { ALLOCATION_TOLERANCE, buildProvinceCheck, type AllocationFlag, type ProvinceCheck, type ProvinceCheckRow } from '../utils/province-check';

/** Varieties a page (a batch has tens); the page is `cpage` in the URL. */
const ROWS_PER_PAGE = 20;

const FLAG_STATUS = { ok: 'met', under: 'behind', over: 'at_risk' } as const;

/**
 * 省级约定采购量核对 (a batch chosen, the region a province): per variety the province's official volume,
 * the institutions' agreed volumes summed and their ratio (flagged outside 99%–101%), and completion against
 * the official volume from the same contract year's purchases (both from the volumes API); the execution
 * rollup by variety adds time progress and the varieties the province's table does not list.
 */
export function ProvinceCheckPanel({ region, regionLabel, date, batch }: { region: string; regionLabel: string; date: string | null; batch: string }) {
  const { x } = useExecutionText();
  const volumes = useProvinceVolumes(batch, region);
  const loaded = volumes.data !== undefined && volumes.data.items.length > 0;
  const rows = useBatchVarietyRows(region, date, batch, loaded);
  const busy = volumes.isPlaceholderData || rows.isPlaceholderData || (volumes.isFetching && volumes.data !== undefined) || (rows.isFetching && rows.data !== undefined);
  const ready = volumes.data !== undefined && (!loaded || rows.data !== undefined) && !busy;
  const error = volumes.error ?? rows.error;
  const retry = () => void (volumes.isError ? volumes.refetch() : rows.refetch());

  return (
    <Panel title={x.checkTitle} description={x.checkIntro(regionLabel, batch)} busy={busy} testId="province-check">
      <div data-testid="province-check-state" data-ready={ready} data-batch={batch} data-region={region}>
        {error && (volumes.data === undefined || (loaded && rows.data === undefined)) ? (
          <ErrorNotice error={error} onRetry={retry} />
        ) : volumes.data === undefined ? (
          <Skeleton lines={6} />
        ) : volumes.data.items.length === 0 ? (
          <VolumesEmpty
            region={region}
            message={x.checkEmpty(regionLabel, batch)}
            uploadLabel={x.checkUpload}
            uploadBy={x.checkUploadBy}
            testId="province-check-empty"
            uploadTestId="province-check-upload"
          />
        ) : rows.data === undefined ? (
          <Skeleton lines={6} />
        ) : (
          <CheckView volumes={volumes.data} rows={rows.data} />
        )}
      </div>
      <CheckFootnote />
    </Panel>
  );
}

function CheckView({ volumes, rows }: { volumes: ProvinceVolumes; rows: ExecutionList }) {
  const { x, lang } = useExecutionText();
  const check = useMemo(() => buildProvinceCheck(volumes.allocation, rows.items), [volumes.allocation, rows.items]);
  // each variety's minimum unit, when its strengths agree on one
  const units = useMemo(() => {
    const byVariety = new Map<number, { unit: string | null }[]>();
    for (const i of volumes.items) byVariety.set(i.varietyId, [...(byVariety.get(i.varietyId) ?? []), i]);
    return new Map([...byVariety].map(([id, items]) => [id, commonUnit(items)]));
  }, [volumes.items]);
  const low = formatPercent(1 - ALLOCATION_TOLERANCE, 0);
  const high = formatPercent(1 + ALLOCATION_TOLERANCE, 0);
  return (
    <>
      <CheckTotals check={check} />
      <p className="exec-check__rule" data-testid="province-check-rule">
        {x.checkRule(low, high)} {x.checkYears} {x.checkUnits}
      </p>
      <p className="exec-check__counts" data-testid="province-check-counts">
        {x.checkCounts(formatCount(check.counts.under, lang), formatCount(check.counts.over, lang), formatCount(check.counts.ok, lang))}
        {check.counts.missing > 0 ? ` ${x.checkMissing(formatCount(check.counts.missing, lang))}` : ''}
      </p>
      {rows.total > rows.items.length ? <p className="muted">{x.checkCapped(formatCount(rows.items.length, lang), formatCount(rows.total, lang))}</p> : null}
      <CheckRows rows={check.rows} units={units} />
    </>
  );
}

function CheckTotals({ check }: { check: ProvinceCheck }) {
  const { x, lang } = useExecutionText();
  return (
    <dl className="exec-totals" data-testid="province-check-totals" data-flag={check.flag}>
      <div className="exec-totals__item">
        <dt>{x.checkOfficial}</dt>
        <dd data-testid="province-check-official" data-value={check.official}>
          {formatVolume(check.official, null, lang)}
        </dd>
      </div>
      <div className="exec-totals__item">
        <dt>{x.checkAllocated}</dt>
        <dd data-testid="province-check-allocated" data-value={check.allocated}>
          {formatVolume(check.allocated, null, lang)}
        </dd>
      </div>
      <div className="exec-totals__item">
        <dt>{x.checkRatio}</dt>
        <dd className="exec-totals__big" data-testid="province-check-ratio">
          {formatPercent(check.ratio)}
        </dd>
        <dd>
          <FlagBadge flag={check.flag} />
        </dd>
      </div>
      <div className="exec-totals__item">
        <dt>{x.checkCompletion}</dt>
        <dd className="exec-totals__big" data-testid="province-check-completion">
          {formatPercent(check.completion)}
        </dd>
        <dd className="exec-check__note">{x.checkCompletionNote}</dd>
      </div>
    </dl>
  );
}

/** A flag in words and by shape (✓ circle, ▼ square, ! triangle), not by colour alone. */
function FlagBadge({ flag }: { flag: AllocationFlag }) {
  const { x } = useExecutionText();
  if (flag === 'none') return <span className="muted">{x.checkFlags.none}</span>;
  if (flag === 'missing') return <span className="tag tag--warn">{x.checkFlags.missing}</span>;
  return <StatusBadge status={FLAG_STATUS[flag]} label={x.checkFlags[flag]} testId="province-check-flag" />;
}

function CheckRows({ rows: all, units }: { rows: readonly ProvinceCheckRow[]; units: ReadonlyMap<number, string | null> }) {
  const { x, lang } = useExecutionText();
  const [params, setParams] = useSearchParams();
  const pages = Math.max(1, Math.ceil(all.length / ROWS_PER_PAGE));
  const page = Math.min(readPage(params.get('cpage')), pages);
  const rows = all.slice((page - 1) * ROWS_PER_PAGE, page * ROWS_PER_PAGE);
  // the unit is stated once above the table; a cell names it only when the variety's table gives one
  const volume = (value: string | null, varietyId: number) => {
    if (value === null) return '—';
    const unit = units.get(varietyId) ?? null;
    return unit === null ? formatLarge(Number(value), lang, 0) : formatVolume(value, unit, lang);
  };
  return (
    <>
      <StackTable
        className="exec-table exec-check__table"
        columns={[
          x.groupName.variety,
          { label: x.checkOfficial, className: 'num' },
          { label: x.checkAllocated, className: 'num' },
          { label: x.checkRatio, className: 'num' },
          x.checkFlag,
          { label: x.checkPurchased, className: 'num' },
          { label: x.checkCompletion, className: 'num' },
          { label: x.timeProgress, className: 'num' },
        ]}
      >
        {rows.map((r) => (
          <tr key={r.varietyId} data-testid="province-check-row" data-variety={r.varietyId} data-flag={r.flag}>
            <th scope="row" data-label={x.groupName.variety}>
              <span className="cell-main">{r.variety}</span>
            </th>
            <td data-label={x.checkOfficial} className="num" data-testid="province-check-row-official">
              {volume(r.official, r.varietyId)}
            </td>
            <td data-label={x.checkAllocated} className="num" data-testid="province-check-row-allocated">
              {volume(r.allocated, r.varietyId)}
            </td>
            <td data-label={x.checkRatio} className="num" data-testid="province-check-row-ratio">
              {formatPercent(r.ratio)}
            </td>
            <td data-label={x.checkFlag}>
              <FlagBadge flag={r.flag} />
            </td>
            <td data-label={x.checkPurchased} className="num" data-testid="province-check-row-purchased">
              {volume(r.purchased, r.varietyId)}
            </td>
            <td data-label={x.checkCompletion} className="num" data-testid="province-check-row-completion">
              {formatPercent(r.completion)}
            </td>
            <td data-label={x.timeProgress} className="num">
              {formatPercent(r.timeProgress)}
            </td>
          </tr>
        ))}
      </StackTable>
      {all.length > ROWS_PER_PAGE ? (
        <Pagination page={page} pageSize={ROWS_PER_PAGE} total={all.length} onPage={(p) => setParams((prev) => withParam(prev, 'cpage', p > 1 ? String(p) : null))} />
      ) : null}
    </>
  );
}

/** Where each column comes from and how the ratio and completion are computed. */
function CheckFootnote() {
  const { x } = useExecutionText();
  return (
    <Footnote summary={<span data-testid="province-check-source">{x.checkSource}</span>} label={x.footnoteLabel}>
      {x.checkDefinition.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </Footnote>
  );
}
