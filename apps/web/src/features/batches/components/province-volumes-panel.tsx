import { useId, useMemo } from 'react';
import { Link } from 'react-router';
import type { BatchDetail, ProvinceVolumes } from '@vbp/contracts/api';
import { NATION_CODE } from '@vbp/contracts/enums';
import { Footnote } from '../../../components/ui/footnote';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { VolumesEmpty } from '../../../components/ui/volumes-empty';
import { useCan } from '../../../lib/auth/can';
import { isNationalUser } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { formatCount } from '../../../lib/format';
import { commonUnit, formatVolume, useProvinceVolumes } from '../../../lib/province-volumes';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useViewParams } from '../../../lib/view-params';
import { useBatchText } from '../i18n/use-batch-text';
import { decimalOrder } from '../utils/sort-rows';
import { useUrlSort } from './use-url-sort';
import { VirtualTable, type VirtualColumn } from './virtual-table';

type Item = ProvinceVolumes['items'][number];
type RegionTotal = ProvinceVolumes['regions'][number];

const ITEM_KEYS = ['variety', 'spec', 'quantity'] as const;
type ItemKey = (typeof ITEM_KEYS)[number];
const REGION_KEYS = ['region', 'varieties', 'total'] as const;
type RegionKey = (typeof REGION_KEYS)[number];

/**
 * 各省约定采购量 on the batch page: the official first-year task of the region the user is looking at (the
 * view's region, ?region=, for national users; a provincial user's own province, the only one the API lets
 * them read). 全国 lists each province's total; choosing one shows its varieties and strengths. Without a
 * loaded table it says so and leads a clerk to the upload with the kind chosen.
 */
export function ProvinceVolumesPanel({ batch }: { batch: BatchDetail }) {
  const user = useSessionUser();
  const mayRead = useCan('read:execution');
  if (!mayRead) return null;
  return isNationalUser(user) ? <NationalVolumesPanel batch={batch} /> : <VolumesPanel batch={batch} region={user.regionCode} />;
}

/** A national user's panel follows the view's region (and changes it, as the header's selector would). */
function NationalVolumesPanel({ batch }: { batch: BatchDetail }) {
  const view = useViewParams();
  return <VolumesPanel batch={batch} region={view.region} onChoose={view.setRegion} />;
}

function VolumesPanel({ batch, region, onChoose }: { batch: BatchDetail; region: string; onChoose?: (region: string) => void }) {
  const { t, b, lang } = useBatchText();
  const volumes = useProvinceVolumes(batch.code, region);
  const regions = useRegions();
  const regionRow = regions.data?.items.find((r) => r.code === region);
  const label = region === NATION_CODE ? t.auth.nationalRegion : regionRow ? regionName(regionRow, lang) : region;
  const busy = volumes.isPlaceholderData || (volumes.isFetching && volumes.data !== undefined);
  // which region the figures on screen answer (empty while another loads): tests wait for it
  const shown = volumes.data && !busy ? volumes.data.region : '';
  return (
    <div className="batch-volumes" data-testid="province-volumes" data-region={region} data-shown={shown}>
      <Panel
        title={b.volumesTitle(label)}
        description={region === NATION_CODE ? b.volumesIntroNation(batch.code) : b.volumesIntro(label, batch.code)}
        actions={onChoose ? <RegionChoice value={region} onChange={onChoose} /> : undefined}
        busy={busy}
        testId="province-volumes-panel"
      >
        <QueryContent query={volumes} skeleton={<Skeleton lines={6} />}>
          {(d) =>
            d.items.length === 0 ? (
              <VolumesEmpty
                region={d.region}
                message={d.region === NATION_CODE ? b.volumesEmptyNation(batch.code) : b.volumesEmpty(label, batch.code)}
                uploadLabel={b.volumesUpload}
                uploadBy={b.volumesUploadBy}
                testId="volumes-empty"
                uploadTestId="volumes-upload"
              />
            ) : (
              <VolumesView data={d} label={label} onChoose={onChoose} />
            )
          }
        </QueryContent>
        <VolumesFootnote />
      </Panel>
    </div>
  );
}

/** 全国 and every province (national users read them all), a native select. */
function RegionChoice({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t, b, lang } = useBatchText();
  const id = useId();
  const regions = useRegions();
  const items = regions.data?.items ?? [];
  return (
    <div className="control batch-volumes__region">
      <label htmlFor={id} className="control__label">
        {b.volumesRegion}
      </label>
      <select id={id} className="control__input" value={value} onChange={(e) => onChange(e.target.value)} data-testid="volumes-region-select">
        {items.some((r) => r.code === value) ? null : <option value={value}>{value === NATION_CODE ? t.auth.nationalRegion : value}</option>}
        {items.map((r) => (
          <option key={r.code} value={r.code}>
            {r.code === NATION_CODE ? t.auth.nationalRegion : regionName(r, lang, true)}
          </option>
        ))}
      </select>
    </div>
  );
}

function VolumesView({ data, label, onChoose }: { data: ProvinceVolumes; label: string; onChoose: ((region: string) => void) | undefined }) {
  const { b, lang } = useBatchText();
  const nation = data.region === NATION_CODE;
  const unit = commonUnit(data.items);
  const mixed = unit === null && new Set(data.items.map((i) => i.unit)).size > 1;
  return (
    <>
      <dl className="batch-facts batch-volumes__facts">
        <div>
          <dt>{b.volumesTotal}</dt>
          <dd className="num" data-testid="volumes-total" data-value={data.total}>
            {formatVolume(data.total, unit, lang)}
          </dd>
          {mixed ? <dd className="batch-volumes__meta">{b.volumesTotalMixed}</dd> : null}
        </div>
        <div>
          <dt>{b.volumesVarieties}</dt>
          <dd className="num" data-testid="volumes-variety-count">
            {formatCount(data.varietyCount, lang)}
          </dd>
        </div>
        <div>
          <dt>{b.volumesSpecs}</dt>
          <dd className="num">{formatCount(data.items.length, lang)}</dd>
        </div>
        {nation ? (
          <div>
            <dt>{b.volumesProvinces}</dt>
            <dd className="num" data-testid="volumes-province-count">
              {formatCount(data.regions.length, lang)}
            </dd>
          </div>
        ) : null}
      </dl>
      {nation && onChoose ? <RegionsTable data={data} onChoose={onChoose} /> : null}
      <h3 className="batch-subhead">{nation ? b.volumesItemsNation : b.volumesItemsProvince}</h3>
      <ItemsTable data={data} label={label} />
    </>
  );
}

function RegionsTable({ data, onChoose }: { data: ProvinceVolumes; onChoose: (region: string) => void }) {
  const { b, lang } = useBatchText();
  const [sort, setSort] = useUrlSort<RegionKey>('pvrsort', REGION_KEYS, { key: 'total', dir: 'desc' });
  // the API lists provinces in the code table's order: sorting by region keeps that order
  const order = useMemo(() => new Map(data.regions.map((r, i) => [r.region, i])), [data.regions]);
  const columns: VirtualColumn<RegionTotal, RegionKey>[] = [
    {
      key: 'region',
      label: b.colProvince,
      width: 'minmax(8em, 2fr)',
      value: (r) => order.get(r.region) ?? 0,
      title: (r) => r.nameZh,
      render: (r) => (
        <button type="button" className="batch-volumes__choose" onClick={() => onChoose(r.region)} aria-label={b.volumesChoose(r.nameZh)} data-testid="volumes-choose">
          {r.nameZh}
        </button>
      ),
    },
    { key: 'varieties', label: b.colVarietyCount, width: 'minmax(5em, 1fr)', numeric: true, initialDir: 'desc', value: (r) => r.varietyCount, render: (r) => formatCount(r.varietyCount, lang) },
    {
      key: 'total',
      label: b.colQuantity,
      width: 'minmax(9em, 1.5fr)',
      numeric: true,
      initialDir: 'desc',
      value: (r) => decimalOrder(r.total),
      render: (r) => <span data-testid="volumes-region-total">{formatVolume(r.total, null, lang)}</span>,
    },
  ];
  return (
    <VirtualTable
      caption={b.volumesRegionsCaption(data.batch)}
      rows={data.regions}
      columns={columns}
      rowKey={(r) => r.region}
      sort={sort}
      onSort={setSort}
      maxHeight={360}
      minWidth={420}
      testId="volumes-regions-table"
      rowTestId="volumes-region-row"
    />
  );
}

function ItemsTable({ data, label }: { data: ProvinceVolumes; label: string }) {
  const { b, lang } = useBatchText();
  const [sort, setSort] = useUrlSort<ItemKey>('pvsort', ITEM_KEYS, { key: 'variety', dir: 'asc' });
  const columns: VirtualColumn<Item, ItemKey>[] = [
    { key: 'variety', label: b.colVariety, width: 'minmax(10em, 2fr)', value: (i) => i.variety, title: (i) => i.variety, render: (i) => i.variety },
    {
      key: 'spec',
      label: b.colStrength,
      width: 'minmax(8em, 1.5fr)',
      value: (i) => i.spec,
      title: (i) => i.spec || b.noSpec,
      render: (i) => (
        <>
          {i.spec || <span className="muted">{b.noSpec}</span>}
          {i.isMainStrength ? (
            <span className="tag batch-tag" data-testid="volumes-main-strength">
              {' '}
              {b.mainStrength}
            </span>
          ) : null}
        </>
      ),
    },
    {
      key: 'quantity',
      label: b.colQuantity,
      width: 'minmax(9em, 1.5fr)',
      numeric: true,
      initialDir: 'desc',
      value: (i) => decimalOrder(i.quantity),
      render: (i) => <span data-testid="volumes-quantity">{formatVolume(i.quantity, i.unit, lang)}</span>,
    },
  ];
  return (
    <VirtualTable
      caption={b.volumesItemsCaption(data.batch, label)}
      rows={data.items}
      columns={columns}
      rowKey={(i) => `${i.varietyId}:${i.spec}`}
      sort={sort}
      onSort={setSort}
      maxHeight={420}
      minWidth={520}
      testId="volumes-items-table"
      rowTestId="volumes-item-row"
    />
  );
}

/** Where the numbers come from: the upload of the joint procurement office's table, with the definition. */
function VolumesFootnote() {
  const { b } = useBatchText();
  const mayReadUploads = useCan('read:upload');
  return (
    <Footnote
      summary={
        <span data-testid="volumes-source">
          {b.volumesSource}
          {mayReadUploads ? (
            <>
              {' '}
              <Link to="/uploads?kind=province-volumes">{b.volumesHistory}</Link>
            </>
          ) : null}
        </span>
      }
      label={b.volumesFootnoteLabel}
    >
      {b.volumesNotes.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </Footnote>
  );
}
