import { Readable } from 'node:stream';
import { z } from '@hono/zod-openapi';
import { CoercedId, DateInput } from '@vbp/contracts/inputs';
import { THRESHOLD_SOURCE_ZH } from '@vbp/contracts/settings';
import {
  CreateFollowUpInput,
  FOLLOW_UP_EXPORT_ROW_CAP,
  FOLLOW_UP_REASON_LABELS,
  FOLLOW_UP_STATUS_LABELS,
  FollowUpCounts,
  FollowUpFilterQuery,
  FollowUpList,
  FollowUpQuery,
  FollowUpRegionQuery,
  FollowUpView,
  UpdateFollowUpInput,
} from '@vbp/contracts/follow-ups';
import { createFollowUp, updateFollowUp } from '@vbp/core/follow-ups';
import { assertMay } from '@vbp/core/auth/actor';
import { exportFollowUps, followUpCounts, listFollowUps } from '@vbp/core/queries/follow-ups';
import { streamXlsxTable, type XlsxColumn, type XlsxValue } from '@vbp/importer/xlsx-export';
import { actorOf } from '../auth/middleware';
import { cachedRead } from '../read-cache';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';

const list = secureRoute('read:execution', {
  method: 'get',
  path: '/follow-ups',
  tags: ['follow-ups'],
  summary: 'The follow-up list (督办), filtered and paginated / 督办清单',
  description:
    'Items not closed first, soonest due first. Overdue: the due date is before the date and the item is not closed. caughtUp (items not closed): completion of the institution (× variety, within the batch when set) is no longer behind time progress × the province’s threshold, by the execution page’s rule; the item is not closed by it. A provincial user reads their own province; 100000 is for national users.',
  request: { query: FollowUpQuery },
  responses: { 200: jsonContent(FollowUpList, 'A page of items, the counts of the region and the filter options'), ...errorResponses },
});

const counts = secureRoute('read:execution', {
  method: 'get',
  path: '/follow-ups/counts',
  tags: ['follow-ups'],
  summary: 'Open and overdue follow-ups, for the overview / 督办事项数',
  request: { query: z.object({ region: FollowUpFilterQuery.shape.region, date: DateInput.optional() }) },
  responses: { 200: jsonContent(FollowUpCounts, 'Items not closed, and of those the overdue'), ...errorResponses },
});

const create = secureRoute('write:follow-up', {
  method: 'post',
  path: '/follow-ups',
  tags: ['follow-ups'],
  summary: 'Put an institution (or institution × variety) on the follow-up list / 加入督办',
  request: jsonBody(CreateFollowUpInput),
  responses: { 201: jsonContent(FollowUpView, 'The new item (status 待处理)'), ...errorResponses },
});

const update = secureRoute('write:follow-up', {
  method: 'patch',
  path: '/follow-ups/{id}',
  tags: ['follow-ups'],
  summary: 'Change a follow-up: status, reason, note, due date / 更新督办事项',
  description: 'Ids are per province: `region` names it. Closing stamps closedAt; moving a closed item to another status reopens it and clears closedAt. Audited with the values before and after.',
  request: { params: z.object({ id: CoercedId }), query: FollowUpRegionQuery, ...jsonBody(UpdateFollowUpInput) },
  responses: { 200: jsonContent(FollowUpView, 'The item after the change'), ...errorResponses },
});

const exportXlsx = secureRoute('read:execution', {
  method: 'get',
  path: '/follow-ups/export.xlsx',
  tags: ['follow-ups'],
  summary: 'The follow-up list of a filter as XLSX / 导出督办清单',
  description: `Every item of the filter, at most ${FOLLOW_UP_EXPORT_ROW_CAP.toLocaleString('en')}; x-total-rows and x-exported-rows say how many matched and were written.`,
  request: { query: FollowUpFilterQuery },
  responses: {
    200: { content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } }, description: 'XLSX' },
    ...errorResponses,
  },
});

const COLUMNS: XlsxColumn[] = [
  { header: '编号', format: 'integer', width: 8 },
  { header: '医疗机构', width: 28 },
  { header: '机构编码', width: 14 },
  { header: '城市', width: 10 },
  { header: '品种', width: 20 },
  { header: '批次', width: 28 },
  { header: '原因', width: 16 },
  { header: '备注', width: 36 },
  { header: '整改期限', width: 12 },
  { header: '状态', width: 10 },
  { header: '是否逾期', width: 10 },
  { header: '完成率', format: 'percent', width: 10 },
  { header: '序时进度', format: 'percent', width: 10 },
  { header: '是否已赶上序时进度', width: 18 },
  { header: '创建人', width: 14 },
  { header: '创建时间', width: 20 },
  { header: '最后修改人', width: 14 },
  { header: '最后修改时间', width: 20 },
  { header: '关闭时间', width: 20 },
];


const time = (iso: string | null) => (iso === null ? null : new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }));

function exportRow(r: FollowUpView): XlsxValue[] {
  return [
    r.id,
    r.institution.name,
    r.institution.code,
    r.institution.cityName,
    r.variety ? `${r.variety.nameZh}${r.variety.dosageFormGroup ? `（${r.variety.dosageFormGroup}）` : ''}` : '（全部品种）',
    r.batch?.nameZh ?? null,
    FOLLOW_UP_REASON_LABELS[r.reason].zh,
    r.note,
    r.dueOn,
    FOLLOW_UP_STATUS_LABELS[r.status].zh,
    r.overdue ? '逾期' : '否',
    r.completion,
    r.timeProgress,
    r.caughtUp === null ? null : r.caughtUp ? '已赶上' : '仍滞后',
    r.createdBy,
    time(r.createdAt),
    r.updatedBy,
    time(r.updatedAt),
    time(r.closedAt),
  ];
}

export const followUpRoutes = createRouter()
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    // the items' progress is the execution page's, against each province's threshold
    return cachedRead(c, {
      path: '/follow-ups',
      request: query,
      areas: ['follow-ups', 'execution', 'reference', 'settings'],
      region: query.region,
      compute: (db) => listFollowUps(db, query),
    });
  })
  .openapi(counts, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    return cachedRead(c, { path: '/follow-ups/counts', request: query, areas: ['follow-ups'], region: query.region, compute: (db) => followUpCounts(db, query.region, query.date) });
  })
  .openapi(create, async (c) => c.json(await createFollowUp(c.get('db'), actorOf(c), c.req.valid('json')), 201))
  .openapi(update, async (c) =>
    c.json(await updateFollowUp(c.get('db'), actorOf(c), c.req.valid('query').region, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(exportXlsx, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:execution', { regionCode: query.region });
    const result = await exportFollowUps(c.get('db'), query);
    const filters = [
      query.status && `状态 ${FOLLOW_UP_STATUS_LABELS[query.status].zh}`,
      query.city && `城市 ${query.city}`,
      query.batch && `批次 ${query.batch}`,
      query.reason && `原因 ${FOLLOW_UP_REASON_LABELS[query.reason].zh}`,
    ]
      .filter(Boolean)
      .join('，');
    const preamble = [
      `督办清单 — 地区 ${result.region}，截至 ${result.date}，滞后阈值 ${result.threshold}（${THRESHOLD_SOURCE_ZH[result.thresholdSource]}）${filters ? `，筛选：${filters}` : ''}`,
      result.total > result.rows.length
        ? `共 ${result.total} 条，超过导出上限 ${result.cap} 条，仅导出前 ${result.rows.length} 条`
        : `共 ${result.total} 条；“是否已赶上序时进度”：完成率 ≥ 序时进度 × 阈值时为已赶上（督办事项不会因此自动关闭）`,
    ];
    const stream = streamXlsxTable({ sheetName: '督办清单', preamble, columns: COLUMNS, rows: result.rows.map(exportRow) });
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="follow-ups-${result.region}-${result.date}.xlsx"`,
      'x-total-rows': String(result.total),
      'x-exported-rows': String(result.rows.length),
      'access-control-expose-headers': 'x-total-rows, x-exported-rows',
    });
  });
