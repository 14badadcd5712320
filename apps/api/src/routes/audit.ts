import { z } from '@hono/zod-openapi';
import { AuditList, AuditQuery, type AuditEntry } from '@vbp/contracts/auth';
import { iterateAudit, listAudit } from '@vbp/core/audit';
import { CSV_BOM, csvLine } from '@vbp/core/csv';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';

const list = secureRoute('read:audit', {
  method: 'get',
  path: '/audit',
  tags: ['audit'],
  summary: 'The audit log / 审计日志',
  description: 'Newest first. Administrators and national users see every entry; a provincial office its own region’s.',
  request: { query: AuditQuery },
  responses: { 200: jsonContent(AuditList, 'A page of entries'), ...errorResponses },
});

const ExportQuery = AuditQuery.omit({ page: true, pageSize: true });

const exportCsv = secureRoute('read:audit', {
  method: 'get',
  path: '/audit/export.csv',
  tags: ['audit'],
  summary: 'The audit log as CSV / 导出审计日志',
  description: 'UTF-8 with BOM for Excel; cells that would start a formula are neutralised. Streamed, so any size.',
  request: { query: ExportQuery },
  responses: { 200: { content: { 'text/csv': { schema: z.string() } }, description: 'CSV' }, ...errorResponses },
});

const HEADER = ['时间 at', '用户 actor', '操作 action', '对象 entity', '对象编号 entity id', '地区 region', '来源地址 ip', '请求编号 request id', '修改前 before', '修改后 after'];

export const auditRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listAudit(c.get('db'), actorOf(c), c.req.valid('query')), 200))
  .openapi(exportCsv, async (c) => {
    const rows = iterateAudit(c.get('db'), actorOf(c), c.req.valid('query'));
    // the first entry is read before answering, so a refusal is still a proper error response
    let pending: IteratorResult<AuditEntry> | null = await rows.next();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(CSV_BOM + csvLine(HEADER)));
      },
      async pull(controller) {
        const next = pending ?? (await rows.next());
        pending = null;
        if (next.done) return controller.close();
        const e = next.value;
        controller.enqueue(encoder.encode(csvLine([e.at, e.actor, e.action, e.entity, e.entityId, e.regionCode, e.ip, e.requestId, e.before, e.after])));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-${stamp}.csv"`,
    });
  });
