/**
 * Scenarios (规划) as the office reads them: the list of a province, one scenario, and its projection toward
 * the province's targets (its own and the national per-province ones) beside the baseline. Reading never
 * writes: a scenario stays outside coverage, reconciliation and every published figure.
 */
import { asc, count, eq, inArray } from 'drizzle-orm';
import { addMonths, todayInChina, type IsoDate } from '@vbp/contracts/dates';
import type { ProductType, TargetUnit } from '@vbp/contracts/enums';
import { SCENARIO_HORIZON_YEARS, type PlannedBatch, type ScenarioList, type ScenarioProjection, type ScenarioView } from '@vbp/contracts/scenarios';
import type { Db } from '@vbp/db';
import { scenarioBatches, scenarios, varieties } from '@vbp/db/schema';
import { assertMay, type Actor } from '../auth/actor';
import { coverageSeries, type CoverageFact } from '../calc/coverage';
import { coveredIndex, matchPlannedBatches, projectionPath, projectWithSteps, type CoveredVariety, type Step } from '../calc/scenarios';
import { fitTrend } from '../calc/targets';
import { notFound } from '../errors';
import { seriesDates } from './coverage';
import { coverageFactsCache, listTargets, PROJECTION_WINDOW_MONTHS } from './targets';
import { getRegion } from './regions';

type ScenarioRow = typeof scenarios.$inferSelect;
type BatchRow = typeof scenarioBatches.$inferSelect;

function plannedBatch(row: BatchRow): PlannedBatch {
  return {
    position: row.position,
    name: row.name,
    // the schema's level is every batch level; a scenario only ever stores provincial and alliance ones
    level: row.level === 'alliance' ? 'alliance' : 'provincial',
    productType: row.productType,
    announcementDate: row.announcementDate,
    implementationDate: row.implementationDate,
    varieties: row.varieties,
    varietyCount: row.varietyCount,
    coveredShare: row.coveredShare,
  };
}

export function scenarioView(row: ScenarioRow, batches: readonly BatchRow[]): ScenarioView {
  return {
    id: row.id,
    regionCode: row.regionCode,
    name: row.name,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    batches: [...batches].sort((a, b) => a.position - b.position).map(plannedBatch),
  };
}

async function batchesOf(db: Db, ids: readonly number[]): Promise<Map<number, BatchRow[]>> {
  const byScenario = new Map<number, BatchRow[]>();
  if (ids.length === 0) return byScenario;
  const rows = await db.select().from(scenarioBatches).where(inArray(scenarioBatches.scenarioId, [...ids])).orderBy(asc(scenarioBatches.scenarioId), asc(scenarioBatches.position));
  for (const row of rows) {
    const list = byScenario.get(row.scenarioId);
    if (list) list.push(row);
    else byScenario.set(row.scenarioId, [row]);
  }
  return byScenario;
}

/** A scenario with its batches, unchecked (the verbs check the writer; `getScenario` the reader). */
/**
 * How far a target's chart runs past its due date: to the later of the two met dates (at most ten years on,
 * a chart's reach), or a year past a due date that has passed unmet, so the lines are drawn either way.
 */
const PAST_DUE_MONTHS = 12;
const CHART_REACH_MONTHS = 120;
function pathEnd(asOf: IsoDate, dueOn: IsoDate, unmet: boolean, metOn: readonly (IsoDate | null)[]): IsoDate | null {
  const reach = addMonths(asOf, CHART_REACH_MONTHS);
  const future = metOn.filter((d): d is IsoDate => d !== null && d > asOf).map((d) => (d > reach ? reach : d)).sort();
  if (future.length > 0) return future.at(-1)!;
  return unmet && dueOn < asOf ? addMonths(asOf, PAST_DUE_MONTHS) : null;
}

export async function loadScenario(db: Db, id: number): Promise<ScenarioView> {
  const [row] = await db.select().from(scenarios).where(eq(scenarios.id, id));
  if (!row) throw notFound('scenario', '规划', String(id));
  return scenarioView(row, (await batchesOf(db, [id])).get(id) ?? []);
}

/** A province's scenarios (every province's without one), by name, a page at a time. */
export async function listScenarios(db: Db, params: { region?: string | undefined; page?: number; pageSize?: number }): Promise<ScenarioList> {
  if (params.region !== undefined) await getRegion(db, params.region);
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? 50;
  const where = params.region === undefined ? undefined : eq(scenarios.regionCode, params.region);
  const [rows, [total]] = await Promise.all([
    db.select().from(scenarios).where(where).orderBy(asc(scenarios.regionCode), asc(scenarios.name), asc(scenarios.id)).limit(pageSize).offset((page - 1) * pageSize),
    db.select({ n: count() }).from(scenarios).where(where),
  ]);
  const batches = await batchesOf(db, rows.map((r) => r.id));
  return { items: rows.map((r) => scenarioView(r, batches.get(r.id) ?? [])), total: total?.n ?? 0, page, pageSize };
}

/** One scenario, for a reader who may read its province (another province's answers as a missing one). */
export async function getScenario(db: Db, actor: Actor, id: number): Promise<ScenarioView> {
  const scenario = await loadScenario(db, id);
  assertMay(actor, 'read:scenario', { regionCode: scenario.regionCode }, () => notFound('scenario', '规划', String(id)));
  return scenario;
}

/** The varieties (of their ids) with their names and keys, for matching planned names. */
async function varietiesById(db: Db, ids: readonly number[]): Promise<CoveredVariety[]> {
  if (ids.length === 0) return [];
  return db.select({ id: varieties.id, nameZh: varieties.nameZh, key: varieties.key }).from(varieties).where(inArray(varieties.id, [...ids]));
}

/** Distinct varieties the province covers at `asOf` (cumulative, as the targets count: selected, started). */
function coveredVarietyIds(facts: readonly CoverageFact[], asOf: IsoDate): number[] {
  const ids = new Set<number>();
  for (const f of facts) if (f.outcome === 'selected' && f.startOn <= asOf) ids.add(f.varietyId);
  return [...ids];
}

const ASSUMPTIONS = {
  baseline: {
    zh: '基线：按各目标自身的预测（近 24 个月覆盖品种数的线性趋势，不低于当前值）。',
    en: "Baseline: each target's own projection (the linear trend of the last 24 months of coverage, never below the current count).",
  },
  list: {
    zh: '按清单规划的批次：品种名称按上传时的规则归一（去除盐基、剂型等字样）后，与本省截至今日已覆盖的同类品种比对；已覆盖的列为重叠，不计新增；同一规划中重复的名称只计一次。',
    en: 'Listed batches: names are normalised as uploads do (salts and forms stripped) and matched against the varieties of the same product type the province covers today; a match is overlap and adds nothing; a name planned twice in the scenario counts once.',
  },
  count: {
    zh: '按数量规划的批次：新增品种数 = 四舍五入（品种数 ×（1 − 预计已覆盖比例）），未填比例按 0 计；此为假设，未按名称核对。',
    en: 'Counted batches: net new = round(count × (1 − expected covered share)), the share 0 when not given; an assumption, not checked by name.',
  },
  steps: {
    zh: '规划情形：在基线上，自每个规划批次的执行日期起加上其新增品种数（执行日期已过的自今日起计）；截止日期的预测值只计截止日期前执行的批次。',
    en: "Scenario: the baseline plus each planned batch's net new varieties from its implementation date (today for a date already past); the projection at a due date counts the batches implemented by then.",
  },
  horizon: {
    zh: `达标日期只在今后 ${SCENARIO_HORIZON_YEARS} 年内推算，超出则记为无法达到。`,
    en: `Met dates are looked for within ${SCENARIO_HORIZON_YEARS} years; beyond that a target is reported as not met.`,
  },
  category: {
    zh: '按类别计的目标：规划批次以品种计，不改变其预测。',
    en: 'Targets counted in categories: planned batches are counted in varieties and do not move them.',
  },
  never: {
    zh: '规划只用于推算，不计入实际覆盖、对账或任何公布数字。',
    en: 'A scenario is a projection only: it never enters actual coverage, reconciliation or any published figure.',
  },
};

/**
 * The scenario against each target of its province (its own and the national per-province ones), as of
 * `date` (today by default): the baseline's projected count at the due date and met date beside the
 * scenario's, the net new varieties of each planned batch and the overlap with what the province covers.
 */
export async function projectScenario(db: Db, actor: Actor, id: number, params: { date?: IsoDate | undefined } = {}): Promise<ScenarioProjection> {
  const scenario = await getScenario(db, actor, id);
  const asOf = params.date ?? todayInChina();
  const region = scenario.regionCode;
  const facts = coverageFactsCache(db);

  const types = [...new Set(scenario.batches.map((b) => b.productType))];
  const indexes = new Map<ProductType, Map<string, CoveredVariety>>();
  for (const type of types) indexes.set(type, coveredIndex(await varietiesById(db, coveredVarietyIds(await facts(region, type), asOf))));
  const matches = matchPlannedBatches(scenario.batches, (type) => indexes.get(type) ?? new Map());

  const batches = scenario.batches.map((b, i) => ({
    name: b.name,
    level: b.level,
    productType: b.productType,
    implementationDate: b.implementationDate,
    ...matches[i]!,
  }));
  const stepsOf = (type: ProductType): Step[] => batches.filter((b) => b.productType === type).map((b) => ({ date: b.implementationDate, add: b.netNewVarieties }));

  const trends = new Map<string, ReturnType<typeof fitTrend>>();
  const trendOf = async (type: ProductType, unit: TargetUnit) => {
    const key = `${type}:${unit}`;
    if (!trends.has(key)) {
      const f = await facts(region, type);
      const dates = seriesDates(f, addMonths(asOf, -PROJECTION_WINDOW_MONTHS), asOf);
      trends.set(key, fitTrend(coverageSeries(f, dates, unit).map((p) => ({ date: p.date, value: p.cumulative })), asOf));
    }
    return trends.get(key) ?? null;
  };

  const targets: ScenarioProjection['targets'] = [];
  for (const target of await listTargets(db, { region, date: asOf })) {
    const progress = target.progress;
    if (!progress) continue;
    const applies = target.unit === 'variety';
    const trend = await trendOf(target.productType, target.unit);
    const steps = applies ? stepsOf(target.productType) : [];
    const projected = projectWithSteps({ trend, current: progress.current, count: target.count, asOf, dueOn: target.dueOn, steps, metOnIfMet: progress.projectedMetOn });
    targets.push({
      targetId: target.id,
      code: target.code,
      ownerRegionCode: target.ownerRegionCode,
      scope: target.scope,
      productType: target.productType,
      unit: target.unit,
      count: target.count,
      dueOn: target.dueOn,
      current: progress.current,
      baseline: { projectedAtDue: progress.projectedAtDue, metOn: progress.projectedMetOn },
      scenario: projected,
      applies,
      path: projectionPath({ trend, current: progress.current, asOf, dueOn: target.dueOn, steps, until: pathEnd(asOf, target.dueOn, progress.current < target.count, [progress.projectedMetOn, projected.metOn]) }),
    });
  }

  const assumptions = [ASSUMPTIONS.baseline, ASSUMPTIONS.steps];
  if (batches.some((b) => b.basis === 'list')) assumptions.push(ASSUMPTIONS.list);
  if (batches.some((b) => b.basis === 'count')) assumptions.push(ASSUMPTIONS.count);
  if (targets.some((t) => !t.applies)) assumptions.push(ASSUMPTIONS.category);
  assumptions.push(ASSUMPTIONS.horizon, ASSUMPTIONS.never);

  return {
    scenario,
    asOf,
    horizonYears: SCENARIO_HORIZON_YEARS,
    netNewVarieties: batches.reduce((sum, b) => sum + b.netNewVarieties, 0),
    overlap: batches.flatMap((b) => b.overlap),
    batches,
    targets,
    assumptions,
  };
}
