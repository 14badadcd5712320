/**
 * Contract periods (协议期) of the batches implemented in a region, with their renewal (接续采购): the
 * contracts page's timeline and the overview's "contracts ending soon" read the same rows from here.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ContractWindow, Overview } from '@vbp/contracts/api';
import type { ContractPeriod, ContractPeriods } from '@vbp/contracts/contract-periods';
import { addDays, daysBetween, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import { NATION_CODE, type BatchLevel, type DatePrecision, type ProductType } from '@vbp/contracts/enums';
import { selectRows, type Db } from '@vbp/db';
import { contractExpiry, DEFAULT_EXPIRY_WINDOW_DAYS } from '../calc/contract-expiry';
import { resolveAlertDays } from '../settings';
import { getRegion } from './regions';

/** One batch's implementation in one region, and the batch renewing it in the same region (if any). */
interface PeriodRow {
  batchCode: string;
  batchNameZh: string;
  batchNameEn: string | null;
  level: BatchLevel;
  productType: ProductType;
  regionCode: string;
  startOn: IsoDate;
  startPrecision: DatePrecision;
  contractEndOn: IsoDate | null;
  estimated: boolean;
  source: string | null;
  renewalOf: string | null;
  renewedBy: string | null;
  renewedByNameZh: string | null;
  renewalStartOn: IsoDate | null;
}

/**
 * Implementations in `region` (全国: every province's implementation of the national batches) that also
 * match `where`. The renewal is a batch whose `renewal_of` is this one and that is implemented in the
 * same region (the lowest id when several are); its start there tells whether it follows without a gap.
 */
export function periodRows(db: Db, region: string, where: SQL): Promise<PeriodRow[]> {
  return selectRows<PeriodRow>(db, periodRowsSql(region, where));
}

/** The statement of `periodRows`, to be read inside another (one round trip). */
function periodRowsSql(region: string, where: SQL): SQL {
  const scope = region === NATION_CODE ? sql`b.level = 'national'` : sql`i.region_code = ${region}`;
  return sql`select b.code as "batchCode", b.name_zh as "batchNameZh", b.name_en as "batchNameEn",
               b.level as "level", b.product_type as "productType", i.region_code as "regionCode",
               i.start_on::text as "startOn", i.start_precision as "startPrecision",
               i.contract_end_on::text as "contractEndOn", i.estimated as "estimated",
               coalesce(i.source, b.source) as "source", pb.code as "renewalOf",
               rn.code as "renewedBy", rn.name_zh as "renewedByNameZh", rn.start_on::text as "renewalStartOn"
        from implementations i
        join batches b on b.id = i.batch_id
        left join batches pb on pb.id = b.renewal_of_id
        left join lateral (
          select nb.code, nb.name_zh, ni.start_on
          from batches nb join implementations ni on ni.batch_id = nb.id and ni.region_code = i.region_code
          where nb.renewal_of_id = b.id
          order by nb.id limit 1
        ) rn on true
        where ${scope} and ${where}
        order by i.start_on, b.code, i.region_code`;
}

/**
 * The "ending soon" window of a region: its largest contract alert day (全国: the setting stored for 100000,
 * not the provinces'), so a province alerting at 90, 30 and 7 days sees contracts ending within 90.
 */
export async function contractWindow(db: Db, region: string): Promise<ContractWindow> {
  const { days, source } = await resolveAlertDays(db, region);
  return { days: days[0] ?? DEFAULT_EXPIRY_WINDOW_DAYS, source };
}

/**
 * Contracts ending within the region's window of `date` (全国: each province's), soonest first, the window,
 * and how many batches in force by `date` have no known contract end in any of their implementations (they
 * may be ending too: a count of none ending is only as good as the ends that are known).
 */
export async function contractsEndingSoon(
  db: Db,
  region: string,
  date: IsoDate,
): Promise<{ window: ContractWindow; items: Overview['contractsEndingSoon']; endUnknown: number }> {
  const scope = region === NATION_CODE ? sql`b.level = 'national'` : sql`i.region_code = ${region}`;
  const window = await contractWindow(db, region);
  // one statement: the count, and the ending rows beside it (none: one row with the count alone)
  const read = await selectRows<PeriodRow & { endUnknown: number }>(
    db,
    sql`with unknown as (
          select count(*)::int as n from (
            select b.id from implementations i join batches b on b.id = i.batch_id
            where ${scope} and i.start_on <= ${date}
            group by b.id having bool_and(i.contract_end_on is null)) u)
        select p.*, unknown.n as "endUnknown"
        from unknown left join (${periodRowsSql(region, sql`i.contract_end_on between ${date} and ${addDays(date, window.days)}`)}) p on true`,
  );
  const unknown = { n: read[0]?.endUnknown ?? 0 };
  const rows = read.filter((r) => r.batchCode !== null);
  const items = rows
    .map((r) => ({
      batchCode: r.batchCode,
      batchNameZh: r.batchNameZh,
      regionCode: r.regionCode,
      contractEndOn: r.contractEndOn as IsoDate,
      daysLeft: daysBetween(date, r.contractEndOn as IsoDate),
      renewedBy: r.renewedBy,
    }))
    .sort((a, b) => a.daysLeft - b.daysLeft || a.batchCode.localeCompare(b.batchCode) || a.regionCode.localeCompare(b.regionCode));
  return { window, items, endUnknown: unknown?.n ?? 0 };
}

const earliest = (a: IsoDate | null, b: IsoDate | null): IsoDate | null => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * One period per batch. A province has one implementation per batch. For 全国 a national batch's
 * provinces are folded into one period: the earliest start, the earliest known contract end (the first
 * province that needs the renewal), estimated if any date is, renewed when a renewal batch is implemented
 * in any of them (with the count of those that have it).
 */
function foldByBatch(rows: readonly PeriodRow[]) {
  const byBatch = new Map<string, { row: PeriodRow; regionCount: number; renewedRegionCount: number }>();
  for (const r of rows) {
    const seen = byBatch.get(r.batchCode);
    if (!seen) {
      byBatch.set(r.batchCode, { row: { ...r }, regionCount: 1, renewedRegionCount: r.renewedBy === null ? 0 : 1 });
      continue;
    }
    const f = seen.row;
    seen.regionCount += 1;
    if (r.renewedBy !== null) seen.renewedRegionCount += 1;
    if (r.startOn < f.startOn) {
      f.startOn = r.startOn;
      f.startPrecision = r.startPrecision;
    }
    f.contractEndOn = earliest(f.contractEndOn, r.contractEndOn);
    f.estimated = f.estimated || r.estimated;
    if (r.renewedBy !== null && (f.renewalStartOn === null || (r.renewalStartOn !== null && r.renewalStartOn < f.renewalStartOn))) {
      f.renewedBy = r.renewedBy;
      f.renewedByNameZh = r.renewedByNameZh;
      f.renewalStartOn = r.renewalStartOn;
    }
  }
  return [...byBatch.values()];
}

/** The contracts page: every batch implemented in the region by `date`, its period, expiry (in the region's window) and renewal. */
export async function listContractPeriods(db: Db, params: { region: string; date?: IsoDate | undefined }): Promise<ContractPeriods> {
  const date = params.date ?? todayInChina();
  const region = await getRegion(db, params.region);
  const [rows, window] = await Promise.all([periodRows(db, region.code, sql`i.start_on <= ${date}`), contractWindow(db, region.code)]);
  const items: ContractPeriod[] = foldByBatch(rows).map(({ row, regionCount, renewedRegionCount }) => {
    const expiry = contractExpiry({ contractEndOn: row.contractEndOn, asOf: date, renewalStartOn: row.renewalStartOn, windowDays: window.days });
    return {
      batchCode: row.batchCode,
      batchNameZh: row.batchNameZh,
      batchNameEn: row.batchNameEn,
      level: row.level,
      productType: row.productType,
      regionCount,
      startOn: row.startOn,
      startPrecision: row.startPrecision,
      contractEndOn: row.contractEndOn,
      estimated: row.estimated,
      daysLeft: expiry.daysLeft,
      state: expiry.state,
      renewal: expiry.renewal,
      renewedBy:
        row.renewedBy !== null && row.renewedByNameZh !== null && row.renewalStartOn !== null
          ? { code: row.renewedBy, nameZh: row.renewedByNameZh, startOn: row.renewalStartOn }
          : null,
      renewedRegionCount,
      renewalOf: row.renewalOf,
      source: row.source,
    };
  });
  items.sort((a, b) => (a.startOn < b.startOn ? -1 : a.startOn > b.startOn ? 1 : a.batchCode.localeCompare(b.batchCode)));
  return { region, date, windowDays: window.days, windowSource: window.source, items };
}
