/**
 * Where and from when each batch applies (落地执行), by these rules:
 *
 * 1. Start date of a batch, when implementations.csv gives none: the `implemented_on` the batch publishes
 *    (stored at its precision, `estimated = false`); otherwise the first of the month N months after
 *    `announced_on`, where N is the median announcement → implementation lag in whole months over the
 *    batches that publish both dates at month precision or better (N = 4 with the current data),
 *    `estimated = true`. A batch known only to the year needs an explicit row.
 * 2. National batches apply in every province and in XPCC (not in the nation row) from that start.
 *    implementations.csv can replace the set (`mode = only`, e.g. the 4+7 pilot's 9 provincial regions)
 *    or override single regions (`mode = override`, e.g. Beijing's later start of the 4th consumables batch).
 * 3. Alliance batches apply only where implementations.csv says so, i.e. where a source states membership;
 *    nothing is inferred from an alliance's size.
 * 4. Provincial batches apply in their own province (`region_code`), unless implementations.csv says
 *    otherwise.
 * 5. Contract end = start + contract_years − 1 day when the batch publishes contract_years; else unknown.
 *
 * Every row's `source` starts with {@link SEED_SOURCE}, so the loader can tell its own rows from those a
 * clerk entered and never overwrites a published (non-estimated) date that did not come from the seed.
 */
import { addDays, addMonths } from '@vbp/contracts/dates';
import type { DatePrecision } from '@vbp/contracts/enums';
import { ReferenceDataError, type Row } from './table';
import type { AnnouncementLag, BatchPlan, ImplementationPlan, RegionPlan } from './types';

export const SEED_SOURCE = 'seed:reference';

export const IMPLEMENTATION_MODES = ['only', 'override'] as const;
export type ImplementationMode = (typeof IMPLEMENTATION_MODES)[number];

/** One row of implementations.csv, checked. */
export interface ExplicitImplementation {
  batchCode: string;
  regionCodes: string[];
  mode: ImplementationMode;
  /** Null: the start comes from rule 1. */
  start: { on: string; precision: DatePrecision; estimated: boolean } | null;
  note: string | null;
  row: Row;
}

function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** Rule 1's N: the median lag over the batches that publish both dates to the month or the day. */
export function computeAnnouncementLag(batches: readonly BatchPlan[]): AnnouncementLag {
  const sample = batches
    .filter((b) => b.announcedOn && b.implementedOn && b.announcedPrecision !== 'year' && b.implementedPrecision !== 'year')
    .map((b) => ({ batchCode: b.code, months: monthIndex(b.implementedOn!) - monthIndex(b.announcedOn!) }));
  if (sample.length === 0) {
    throw new ReferenceDataError('vbp_batches.csv', undefined, undefined, undefined, 'no batch publishes both announced_on and implemented_on: the lag rule has no data');
  }
  const sorted = sample.map((s) => s.months).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { months: Math.round(median), sample };
}

interface Start {
  on: string;
  precision: DatePrecision;
  estimated: boolean;
  source: string;
  note: string;
}

/** Notes and sources are shown to users as they are: Simplified Chinese, like the UI. */
const PRECISION_ZH: Record<DatePrecision, string> = { day: '日', month: '月', year: '年' };

/** Rule 1's reasoning: the median lag and the batches it comes from. */
function describeLag(lag: AnnouncementLag): string {
  const list = lag.sample.map((s) => `${s.batchCode} ${s.months}个月`).join('、');
  return `${lag.months}个月为公布日期与实施日期均已公布的${lag.sample.length}个批次从公布到实施间隔的中位数（${list}）`;
}

/** Rule 1, or null when the batch has neither a published start nor an announcement to the month. */
export function ruleStart(batch: BatchPlan, lag: AnnouncementLag): Start | null {
  if (batch.implementedOn && batch.implementedPrecision) {
    return {
      on: batch.implementedOn,
      precision: batch.implementedPrecision,
      estimated: false,
      source: `${SEED_SOURCE}; 按${batch.code}公布的实施日期（出处见该批次来源）`,
      note: `按批次公布的实施日期（精确到${PRECISION_ZH[batch.implementedPrecision]}）。`,
    };
  }
  if (batch.announcedOn && batch.announcedPrecision && batch.announcedPrecision !== 'year') {
    return {
      on: addMonths(`${batch.announcedOn.slice(0, 7)}-01`, lag.months),
      precision: 'month',
      estimated: true,
      source: `${SEED_SOURCE}; 推定规则：公布日期后${lag.months}个月`,
      note: `实施日期为推定：按公布日期（${batch.announcedOn.slice(0, batch.announcedPrecision === 'day' ? 10 : 7)}）所在月份后推${lag.months}个月，取当月1日；${describeLag(lag)}。`,
    };
  }
  return null;
}

export function contractEnd(startOn: string, contractYears: string | null): string | null {
  if (contractYears === null) return null;
  return addDays(addMonths(startOn, Math.round(Number(contractYears) * 12)), -1);
}

export function planImplementations(
  batches: readonly BatchPlan[],
  explicit: readonly ExplicitImplementation[],
  regions: readonly RegionPlan[],
  lag: AnnouncementLag,
): ImplementationPlan[] {
  const provincialLevel = regions.filter((r) => r.kind !== 'nation').map((r) => r.code);
  const byBatch = new Map<string, ExplicitImplementation[]>();
  for (const e of explicit) byBatch.set(e.batchCode, [...(byBatch.get(e.batchCode) ?? []), e]);

  const out: ImplementationPlan[] = [];
  for (const batch of batches) {
    const rows = byBatch.get(batch.code) ?? [];
    const modes = new Set(rows.map((r) => r.mode));
    if (modes.size > 1) rows[0]!.row.fail('mode', `batch ${batch.code} mixes modes only and override: use one`, rows[0]!.mode);

    const fromRule = (): Start => {
      const start = ruleStart(batch, lag);
      if (!start) {
        throw new ReferenceDataError(
          batch.origin.file,
          batch.origin.row,
          'implemented_on',
          '',
          `batch ${batch.code} has no implementation date and no announcement to the month: give its start in implementations.csv`,
        );
      }
      return start;
    };

    // region → start, built from the default set and then the explicit rows
    const planned = new Map<string, Start>();
    const useDefault = rows.length === 0 || modes.has('override');
    if (useDefault) {
      const defaultRegions =
        batch.level === 'national' ? provincialLevel : batch.level === 'provincial' && batch.regionCode ? [batch.regionCode] : [];
      if (defaultRegions.length) {
        const start = fromRule();
        for (const code of defaultRegions) planned.set(code, start);
      }
    }
    const explicitRegions = new Set<string>();
    for (const e of rows) {
      const start: Start = e.start
        ? {
            on: e.start.on,
            precision: e.start.precision,
            estimated: e.start.estimated,
            source: `${SEED_SOURCE}; implementations.csv 第${e.row.row}行`,
            note: e.note ?? '',
          }
        : (() => {
            const base = fromRule();
            return { ...base, note: [e.note, base.note].filter(Boolean).join('') };
          })();
      for (const code of e.regionCodes) {
        if (explicitRegions.has(code)) e.row.fail('region_codes', `region ${code} is given twice for batch ${batch.code}`, code);
        if (e.mode === 'override' && !planned.has(code)) {
          e.row.fail('region_codes', `override of region ${code}, which batch ${batch.code} does not apply in by default`, code);
        }
        explicitRegions.add(code);
        planned.set(code, start);
      }
    }

    for (const [regionCode, start] of planned) {
      out.push({
        batchCode: batch.code,
        regionCode,
        startOn: start.on,
        startPrecision: start.precision,
        contractEndOn: contractEnd(start.on, batch.contractYears),
        estimated: start.estimated,
        source: start.source,
        note: start.note || null,
      });
    }
  }
  return out;
}
