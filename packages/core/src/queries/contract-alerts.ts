/**
 * Contract expiry alerts (issue 14): the contract periods of a region ending within its largest alert day,
 * each with its stage (calc/contract-alerts.ts) and renewal (the contracts page's rule, calc/contract-expiry.ts).
 * A province implements a few dozen batches, so the rows are read whole and paginated here.
 */
import { sql } from 'drizzle-orm';
import type { ContractAlert, ContractAlerts, ContractAlertsListQuery, ContractAlertsQuery } from '@vbp/contracts/contract-alerts';
import { addDays, daysBetween, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import type { Db } from '@vbp/db';
import { alertStage } from '../calc/contract-alerts';
import { contractExpiry } from '../calc/contract-expiry';
import { resolveAlertDays } from '../settings';
import { periodRows } from './contract-periods';
import { getRegion } from './regions';

/** Every alert of the region as of the date (soonest first), the stages with their counts, the days used. */
export async function contractAlertRows(db: Db, query: ContractAlertsQuery) {
  const region = await getRegion(db, query.region);
  const date: IsoDate = query.date ?? todayInChina();
  const { days, source } = await resolveAlertDays(db, region.code);
  const windowDays = days[0] ?? 0;
  const rows = await periodRows(db, region.code, sql`i.contract_end_on between ${date} and ${addDays(date, windowDays)}`);
  const all: ContractAlert[] = [];
  for (const r of rows) {
    const end = r.contractEndOn as IsoDate;
    const daysLeft = daysBetween(date, end);
    const stage = alertStage(daysLeft, days);
    if (stage === null) continue;
    const expiry = contractExpiry({ contractEndOn: end, asOf: date, renewalStartOn: r.renewalStartOn, windowDays });
    all.push({
      batchCode: r.batchCode,
      batchNameZh: r.batchNameZh,
      level: r.level,
      productType: r.productType,
      regionCode: r.regionCode,
      contractEndOn: end,
      estimated: r.estimated,
      daysLeft,
      stage,
      renewal: expiry.renewal === 'renewed' ? 'renewed' : 'pending',
      renewedBy:
        r.renewedBy !== null && r.renewedByNameZh !== null && r.renewalStartOn !== null
          ? { code: r.renewedBy, nameZh: r.renewedByNameZh, startOn: r.renewalStartOn }
          : null,
    });
  }
  all.sort((a, b) => a.daysLeft - b.daysLeft || a.batchCode.localeCompare(b.batchCode) || a.regionCode.localeCompare(b.regionCode));
  const stages = days.map((d) => {
    const inStage = all.filter((a) => a.stage === d);
    return { days: d, count: inStage.length, pending: inStage.filter((a) => a.renewal === 'pending').length };
  });
  const items = query.stage === undefined ? all : all.filter((a) => a.stage === query.stage);
  return { region: region.code, date, alertDays: days, alertDaysSource: source, stages, items };
}

/** GET /api/contracts/alerts: one page of the alerts, with the counts by stage. */
export async function listContractAlerts(db: Db, query: ContractAlertsListQuery): Promise<ContractAlerts> {
  const { items, ...rest } = await contractAlertRows(db, query);
  const start = (query.page - 1) * query.pageSize;
  return { ...rest, items: items.slice(start, start + query.pageSize), total: items.length, page: query.page, pageSize: query.pageSize };
}
