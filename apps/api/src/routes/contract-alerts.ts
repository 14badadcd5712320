import { Readable } from 'node:stream';
import { z } from '@hono/zod-openapi';
import { THRESHOLD_SOURCE_ZH } from '@vbp/contracts/settings';
import { ContractAlerts, ContractAlertsListQuery, ContractAlertsQuery, type ContractAlert } from '@vbp/contracts/contract-alerts';
import { assertMay } from '@vbp/core/auth/actor';
import { contractAlertRows, listContractAlerts } from '@vbp/core/queries/contract-alerts';
import { streamXlsxTable, type XlsxColumn, type XlsxValue } from '@vbp/importer/xlsx-export';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead } from '../read-cache';

const list = secureRoute('read:coverage', {
  method: 'get',
  path: '/contracts/alerts',
  tags: ['contracts'],
  summary: 'Contract expiry alerts at the province’s alert days, with renewal / 合同到期预警',
  description:
    "Contract periods of the region ending within its largest alert day (the province's setting, default 180, 90, 60, 30, 7), soonest first: days left, the stage (the smallest alert day crossed) and whether a renewal batch (接续采购) implemented in the region covers it. `stages` counts every stage over the whole region.",
  request: { query: ContractAlertsListQuery },
  responses: { 200: jsonContent(ContractAlerts, 'A page of alerts and the counts by stage'), ...errorResponses },
});

const exportXlsx = secureRoute('read:coverage', {
  method: 'get',
  path: '/contracts/alerts/export.xlsx',
  tags: ['contracts'],
  summary: 'Contract expiry alerts as XLSX / 导出合同到期预警',
  request: { query: ContractAlertsQuery },
  responses: {
    200: { content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } }, description: 'XLSX' },
    ...errorResponses,
  },
});

const COLUMNS: XlsxColumn[] = [
  { header: '批次', width: 32 },
  { header: '批次编码', width: 18 },
  { header: '地区', width: 10 },
  { header: '协议期满日', width: 14 },
  { header: '剩余天数', format: 'integer', width: 10 },
  { header: '预警阶段', width: 14 },
  { header: '接续采购', width: 12 },
  { header: '接续批次', width: 32 },
  { header: '日期说明', width: 12 },
];

function exportRow(a: ContractAlert): XlsxValue[] {
  return [
    a.batchNameZh,
    a.batchCode,
    a.regionCode,
    a.contractEndOn,
    a.daysLeft,
    `${a.stage} 天内到期`,
    a.renewal === 'renewed' ? '已接续' : '待接续',
    a.renewedBy ? `${a.renewedBy.nameZh}（${a.renewedBy.startOn} 起）` : null,
    a.estimated ? '推算' : '公布',
  ];
}

export const contractAlertRoutes = createRouter()
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
    return cachedRead(c, { path: '/contracts/alerts', request: query, areas: ['reference', 'settings'], region: query.region, compute: (db) => listContractAlerts(db, query) });
  })
  .openapi(exportXlsx, async (c) => {
    const query = c.req.valid('query');
    assertMay(actorOf(c), 'read:figures', { regionCode: query.region });
    const result = await contractAlertRows(c.get('db'), query);
    const stages = result.stages.map((s) => `${s.days} 天内 ${s.count} 个（待接续 ${s.pending}）`).join('；');
    const stream = streamXlsxTable({
      sheetName: '合同到期预警',
      preamble: [
        `合同到期预警 — 地区 ${result.region}，截至 ${result.date}，预警天数 ${result.alertDays.join('/')}（${THRESHOLD_SOURCE_ZH[result.alertDaysSource]}）${query.stage ? `，仅 ${query.stage} 天内` : ''}`,
        `共 ${result.items.length} 个协议期：${stages}`,
      ],
      columns: COLUMNS,
      rows: result.items.map(exportRow),
      notes: {
        sheetName: '口径说明',
        lines: [
          ['口径', '说明'],
          ['预警阶段', '协议期满日距截至日期的天数不超过的最小预警天数（如剩余 25 天属于“30 天内到期”）。'],
          ['接续采购', '已有接续批次在本地区执行为“已接续”，否则为“待接续”。'],
          ['数据来源', '批次执行记录（implementations）的开始日期与协议期满日；“推算”为按规则推算的日期。'],
        ],
      },
    });
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="contract-alerts-${result.region}-${result.date}.xlsx"`,
    });
  });
