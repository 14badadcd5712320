import { assertMay } from '@vbp/core/auth/actor';
import { Readable } from 'node:stream';
import { z } from '@hono/zod-openapi';
import {
  EXECUTION_EXPORT_ROW_CAP,
  ExecutionFilterQuery,
  ExecutionList,
  ExecutionListQuery,
  ExecutionScopeQuery,
  ExecutionSummary,
  ExecutionSummaryQuery,
  InstitutionExecution,
  type ExecutionList as ExecutionListAnswer,
  type ExecutionSummary as ExecutionSummaryAnswer,
  type ExecutionGroup,
  type ExecutionRow,
} from '@vbp/contracts/execution';
import {
  exportExecution,
  getExecutionSummary,
  getInstitutionExecution,
  listExecution,
} from '@vbp/core/queries/execution';
import { THRESHOLD_SOURCE_ZH } from '@vbp/contracts/settings';
import { todayInChina } from '@vbp/contracts/dates';
import { CoercedId } from '@vbp/contracts/inputs';
import { streamXlsxTable, type XlsxColumn, type XlsxValue } from '@vbp/importer/xlsx-export';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead, type ReadSpec } from '../read-cache';

const list = secureRoute('read:execution', {
  method: 'get',
  path: '/execution',
  tags: ['execution'],
  summary: 'Completion of agreed volumes against time progress, rolled up / 执行进度',
  description:
    'Contract years in force on the date, rolled up by institution, variety, city, province or batch; behind when completion < time progress × threshold (the request’s, else the province’s setting, else 0.8; the answer says which in `threshold` and `thresholdSource`). A provincial user reads their own province; 100000 (every province) is for national users.',
  request: { query: ExecutionListQuery },
  responses: { 200: jsonContent(ExecutionList, 'A page of rollup rows, the totals of the filter and its options'), ...errorResponses },
});

const summary = secureRoute('read:execution', {
  method: 'get',
  path: '/execution/summary',
  tags: ['execution'],
  summary: 'Execution for the overview: completion, savings, non-selected share, warnings / 执行概况',
  request: { query: ExecutionSummaryQuery },
  responses: { 200: jsonContent(ExecutionSummary, 'Totals, savings and the institutions and varieties most behind'), ...errorResponses },
});

const institution = secureRoute('read:execution', {
  method: 'get',
  path: '/execution/institutions/{id}',
  tags: ['execution'],
  summary: "One institution's contract years by variety, with the products bought / 医疗机构执行明细",
  request: { params: z.object({ id: CoercedId }), query: ExecutionScopeQuery },
  responses: { 200: jsonContent(InstitutionExecution, 'The institution'), ...errorResponses },
});

const exportXlsx = secureRoute('read:execution', {
  method: 'get',
  path: '/execution/export.xlsx',
  tags: ['execution'],
  summary: 'The rollup rows of a filter as XLSX / 导出执行进度',
  description: `Every row of the filter (not only one page), at most ${EXECUTION_EXPORT_ROW_CAP.toLocaleString('en')}; the headers x-total-rows, x-exported-rows and x-row-cap say how many matched and were written, and the sheet says so too. Streamed.`,
  request: { query: ExecutionFilterQuery },
  responses: {
    200: { content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } }, description: 'XLSX' },
    ...errorResponses,
  },
});

const GROUP_LABELS: Record<ExecutionGroup, string> = { institution: '医疗机构', variety: '品种', city: '城市', province: '省份', batch: '批次' };
const DETAIL_LABELS: Record<ExecutionGroup, string> = { institution: '编码 · 城市', variety: '剂型', city: '说明', province: '说明', batch: '批次编码' };

function exportColumns(by: ExecutionGroup): XlsxColumn[] {
  return [
    { header: GROUP_LABELS[by], width: 32 },
    { header: DETAIL_LABELS[by], width: 24 },
    ...(by === 'institution' ? [{ header: '级别', width: 8 }] : []),
    { header: '约定采购量', format: 'quantity', width: 14 },
    { header: '中选产品采购量', format: 'quantity', width: 16 },
    { header: '按序时应采购量', format: 'quantity', width: 16 },
    { header: '完成率', format: 'percent', width: 10 },
    { header: '序时进度', format: 'percent', width: 10 },
    { header: '完成率−序时进度', format: 'percent', width: 16 },
    { header: '是否滞后', width: 10 },
    { header: '非中选占比', format: 'percent', width: 12 },
    { header: '约定量条目数', format: 'integer', width: 12 },
  ];
}

function exportRow(by: ExecutionGroup, r: ExecutionRow): XlsxValue[] {
  return [
    r.name,
    r.detail,
    ...(by === 'institution' ? [r.level] : []),
    Number(r.agreed),
    Number(r.purchased),
    Number(r.expected),
    r.completion,
    r.timeProgress,
    r.completion === null ? null : Math.round((r.completion - r.timeProgress) * 1e6) / 1e6,
    r.behind ? '滞后' : '正常',
    r.nonSelectedShare,
    r.items,
  ];
}

const NOTES: readonly (readonly string[])[] = [
  ['口径', '说明'],
  ['约定采购量', '医疗机构 × 批次 × 品种（或产品）× 协议年度的约定采购量；只计截至日期正在执行的协议年度。'],
  ['中选产品采购量', '该协议年度各月（起始月至结束日次日所在月之前，且不晚于截至日期所在月）采购该批次中选产品的数量。'],
  ['序时进度', '协议年度已过天数 / 总天数（按约定量加权）。'],
  ['完成率', '中选产品采购量 / 约定采购量。'],
  ['是否滞后', '完成率 < 序时进度 × 阈值时为滞后；阈值见表头（请求指定的、本省设置的，或默认 0.8）。'],
  ['非中选占比', '未在任何批次中选的同品种产品采购量 / 该品种全部采购量（同一机构、同一期间）。'],
  ['数据来源', '已提交的约定采购量与采购数据上传；演示环境中标注为“合成”的数据为合成演示数据。'],
];

/**
 * What an execution answer is computed from: the execution data, the catalogue (which products are selected,
 * batch and variety names) and the settings (the province's threshold, when the request gives none). Who asks
 * does not change it, once the route has asked the policy: every allowed reader shares one answer.
 */
const EXECUTION_AREAS = ['execution', 'reference', 'settings'] as const;

/** GET /api/execution as the cache knows it (also prepared after a commit: warm-reads.ts). The date is made explicit. */
export function executionListRead(query: ExecutionListQuery): ReadSpec<ExecutionListAnswer> {
  const request = { ...query, date: query.date ?? todayInChina() };
  return { path: '/execution', request, areas: EXECUTION_AREAS, region: query.region, compute: (db) => listExecution(db, request) };
}

/** GET /api/execution/summary as the cache knows it (also prepared after a commit). */
export function executionSummaryRead(query: ExecutionSummaryQuery): ReadSpec<ExecutionSummaryAnswer> {
  const request = { ...query, date: query.date ?? todayInChina() };
  return { path: '/execution/summary', request, areas: EXECUTION_AREAS, region: query.region, compute: (db) => getExecutionSummary(db, request) };
}

export const executionRoutes = createRouter()
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    return cachedRead(c, executionListRead(query));
  })
  .openapi(summary, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    return cachedRead(c, executionSummaryRead(query));
  })
  .openapi(institution, async (c) => {
    const query = c.req.valid('query');
    const { id } = c.req.valid('param');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    return cachedRead(c, {
      path: '/execution/institutions/{id}',
      request: { id, ...query },
      areas: EXECUTION_AREAS,
      region: query.region,
      compute: (db) => getInstitutionExecution(db, { ...query, id }),
    });
  })
  .openapi(exportXlsx, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    const result = await exportExecution(c.get('db'), query);
    const truncated = result.total > result.rows.length;
    const filters = [query.batch && `批次 ${query.batch}`, query.city && `城市 ${query.city}`, query.level && `级别 ${query.level}`, query.behind && '仅滞后']
      .filter(Boolean)
      .join('，');
    const preamble = [
      `集采执行进度（按${GROUP_LABELS[query.by]}）— 地区 ${result.region}，截至 ${result.date}，滞后阈值 ${result.threshold}（${THRESHOLD_SOURCE_ZH[result.thresholdSource]}）${filters ? `，筛选：${filters}` : ''}`,
      `来源：已提交的约定采购量与采购数据上传${result.source.synthetic ? '（含标注为合成的演示数据）' : ''}；计算于 ${new Date().toISOString().slice(0, 10)}`,
      truncated
        ? `共 ${result.total} 行，超过导出上限 ${result.cap} 行，仅导出前 ${result.rows.length} 行（按当前排序）`
        : `共 ${result.total} 行（导出上限 ${result.cap} 行）`,
    ];
    const stream = streamXlsxTable({
      sheetName: '执行进度',
      preamble,
      columns: exportColumns(query.by),
      rows: result.rows.map((r) => exportRow(query.by, r)),
      notes: { sheetName: '口径说明', lines: NOTES },
    });
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="execution-${result.region}-${result.date}-${query.by}.xlsx"`,
      'x-total-rows': String(result.total),
      'x-exported-rows': String(result.rows.length),
      'x-row-cap': String(result.cap),
      'access-control-expose-headers': 'x-total-rows, x-exported-rows, x-row-cap',
    });
  });
