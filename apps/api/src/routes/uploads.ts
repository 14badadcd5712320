import { z } from '@hono/zod-openapi';
import { CommitUploadInput, ReprocessUploadInput, SavedMapping, SavedMappingList, SaveMappingInput, UploadKindSchema, UploadList, UploadListQuery, UploadMapping, UploadView } from '@vbp/contracts/uploads';
import { RegionCode } from '@vbp/contracts/api';
import { CoercedId, singleLineText } from '@vbp/contracts/inputs';
import { DomainError } from '@vbp/core/errors';
import { listMappings, saveMapping } from '@vbp/core/uploads/mappings';
import { commitUpload, getUpload, listUploads, receiveUpload, reprocessUpload, revertUpload, storeIncoming, type UploadSettings } from '@vbp/core/uploads/pipeline';
import { tooLarge } from '@vbp/core/uploads/storage';
import { buildTemplate } from '@vbp/importer/template';
import { authorize, actorOf } from '../auth/middleware';
import type { AppEnv } from '../env';
import { validationError } from '../errors';
import { readMultipart } from '../multipart';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute, storageResponses } from '../router';

const IdParam = z.object({ id: CoercedId });

/** The form fields that come with the file, as sent (text; the OpenAPI document shows these). */
const UploadFormFields = z.object({
  kind: UploadKindSchema,
  batch: singleLineText({ max: 64, allowEmpty: true }).optional(),
  region: RegionCode.optional(),
  sheet: singleLineText({ max: 200, allowEmpty: true }).optional(),
  encoding: z.enum(['utf-8', 'gb18030']).optional(),
  mapping: z.string().max(100_000).optional().meta({ description: 'JSON: file header → column key' }),
});

/** The same, with the mapping read from its JSON. */
const UploadFields = UploadFormFields.extend({
  mapping: UploadFormFields.shape.mapping
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      try {
        return UploadMapping.parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'mapping must be a JSON object of header → column / mapping 应为“表头 → 列”的 JSON 对象' });
        return z.NEVER;
      }
    }),
});

const list = secureRoute('read:upload', {
  method: 'get',
  path: '/uploads',
  tags: ['uploads'],
  summary: 'Upload history / 上传记录',
  request: { query: UploadListQuery },
  responses: { 200: jsonContent(UploadList, 'Newest first'), ...errorResponses },
});

const detail = secureRoute('read:upload', {
  method: 'get',
  path: '/uploads/{id}',
  tags: ['uploads'],
  summary: 'One upload: status, progress and report / 上传详情',
  request: { params: IdParam },
  responses: { 200: jsonContent(UploadView, 'The upload'), ...errorResponses },
});

const reprocess = secureRoute('reprocess:upload', {
  method: 'post',
  path: '/uploads/{id}/reprocess',
  tags: ['uploads'],
  summary: 'Read the file again with another sheet, encoding or column mapping / 重新校验',
  request: { params: IdParam, ...jsonBody(ReprocessUploadInput) },
  responses: { 200: jsonContent(UploadView, 'Read again'), 202: jsonContent(UploadView, 'Reading in the background'), ...errorResponses, ...storageResponses },
});

const commit = secureRoute('commit:upload', {
  method: 'post',
  path: '/uploads/{id}/commit',
  tags: ['uploads'],
  summary: 'Commit a validated upload in one transaction / 提交入库',
  description:
    '`acknowledgeWarnings: true` is required when the report has warnings (409 WARNINGS_NOT_ACKNOWLEDGED otherwise). The commit proves, in its transaction, that it writes exactly the rows validation counted (their number and checksum); when it cannot (409 UPLOAD_STALE: staged rows lost in a database restart, the file or the data it refers to changed) nothing is written and the upload becomes `interrupted`: validate it again (POST /uploads/{id}/reprocess).',
  request: { params: IdParam, ...jsonBody(CommitUploadInput) },
  responses: { 200: jsonContent(UploadView, 'Committed'), 202: jsonContent(UploadView, 'Committing in the background'), 409: jsonContent(z.any(), 'Not committable / 不可提交'), ...errorResponses, ...storageResponses },
});

const revert = secureRoute('revert:upload', {
  method: 'post',
  path: '/uploads/{id}/revert',
  tags: ['uploads'],
  summary: 'Revert a committed upload, restoring the state before it / 撤销上传',
  request: { params: IdParam },
  responses: { 200: jsonContent(UploadView, 'Reverted'), 409: jsonContent(z.any(), 'A later upload must be reverted first / 须先撤销之后的上传'), ...errorResponses, ...storageResponses },
});

const template = secureRoute('authenticated', {
  method: 'get',
  path: '/templates/{file}',
  tags: ['uploads'],
  summary: 'A template for each kind, as XLSX (with notes) or CSV / 下载模板',
  request: { params: z.object({ file: z.string().regex(/^[a-z-]+\.(xlsx|csv)$/).meta({ example: 'purchases.xlsx' }) }) },
  responses: {
    200: { content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() }, 'text/csv': { schema: z.string() } }, description: 'The template' },
    ...errorResponses,
  },
});

const mappings = secureRoute('save-mapping:upload', {
  method: 'get',
  path: '/upload-mappings',
  tags: ['uploads'],
  summary: 'Saved column mappings / 已保存的列映射',
  request: { query: z.object({ kind: UploadKindSchema.optional() }) },
  responses: { 200: jsonContent(SavedMappingList, 'Newest first'), ...errorResponses },
});

const saveMappingRoute = secureRoute('save-mapping:upload', {
  method: 'post',
  path: '/upload-mappings',
  tags: ['uploads'],
  summary: 'Save an upload’s column mapping for files of the same shape / 保存列映射',
  request: jsonBody(SaveMappingInput),
  responses: { 201: jsonContent(SavedMapping, 'Saved'), ...errorResponses },
});

const statusCode = (view: UploadView) => (view.status === 'processing' || view.status === 'committing' ? 202 : 200);

export function uploadRoutes(settings: UploadSettings) {
  const router = createRouter();
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/uploads',
    tags: ['uploads'],
    summary: 'Upload a file: parsed and validated, nothing written until commit / 上传文件',
    description: `multipart/form-data: \`file\` and the fields, in any order (.xlsx or .csv, at most ${Math.round(settings.maxBytes / 1024 / 1024)} MB). Small files answer when validated (201); large ones answer 202 with status \`processing\`: poll GET /api/uploads/{id}.`,
    'x-permission': 'upload:data',
    'x-action': 'create:upload',
    security: [{ session: [] }],
    request: {
      body: {
        content: {
          'multipart/form-data': {
            schema: UploadFormFields.extend({ file: z.string().meta({ format: 'binary' }) }),
          },
        },
      },
    },
    responses: { 201: jsonContent(UploadView, 'Validated or invalid'), 202: jsonContent(UploadView, 'Processing'), 413: jsonContent(z.any(), 'Too large / 文件过大'), ...errorResponses, ...storageResponses },
  });

  router.post('/uploads', authorize('create:upload'), async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    // a body that cannot be accepted is refused before it is read (the HTTP server reads on briefly)
    if (length > settings.maxBytes + 1024 * 1024) throw tooLarge(settings.maxBytes);
    const actor = actorOf(c);
    const form = await readMultipart(
      c.req.raw,
      (file) => storeIncoming(actor, settings, file.stream, Number.isFinite(length) && length > 0 ? length : undefined),
      settings.maxBytes + 1024 * 1024,
      (stored) => settings.store.remove(stored.storedName),
    );
    const parsed = UploadFields.safeParse(form.fields);
    if (!parsed.success) {
      await settings.store.remove(form.file.storedName);
      return validationError(c as never, parsed.error, form.fields);
    }
    const f = parsed.data;
    const view = await receiveUpload(c.get('database'), actor, settings, {
      kind: f.kind,
      fileName: form.fileName,
      stored: form.file,
      batchCode: f.batch,
      region: f.region,
      sheet: f.sheet,
      encoding: f.encoding,
      mapping: f.mapping,
    });
    return c.json(view, view.status === 'processing' ? 202 : 201);
  });

  return router
    .openapi(list, async (c) => c.json(await listUploads(c.get('db'), actorOf(c), c.req.valid('query'), settings.jobs), 200))
    .openapi(detail, async (c) => c.json(await getUpload(c.get('db'), actorOf(c), c.req.valid('param').id, settings.jobs), 200))
    .openapi(reprocess, async (c) => {
      const view = await reprocessUpload(c.get('database'), actorOf(c), settings, c.req.valid('param').id, c.req.valid('json'));
      return c.json(view, statusCode(view));
    })
    .openapi(commit, async (c) => {
      const view = await commitUpload(c.get('database'), actorOf(c), settings, c.req.valid('param').id, c.req.valid('json'));
      return c.json(view, statusCode(view));
    })
    .openapi(revert, async (c) => c.json(await revertUpload(c.get('database'), actorOf(c), settings, c.req.valid('param').id), 200))
    .openapi(template, async (c) => {
      const [kind, format] = c.req.valid('param').file.split('.') as [string, 'xlsx' | 'csv'];
      const parsedKind = UploadKindSchema.safeParse(kind);
      if (!parsedKind.success) throw new DomainError('NOT_FOUND', `No template for ${kind}`, `没有“${kind}”的模板`);
      const body = await buildTemplate(parsedKind.data, format);
      return c.body(new Uint8Array(body), 200, {
        'content-type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${parsedKind.data}-template.${format}"`,
      });
    })
    .openapi(mappings, async (c) => c.json({ items: await listMappings(c.get('db'), actorOf(c), c.req.valid('query').kind) }, 200))
    .openapi(saveMappingRoute, async (c) => c.json(await saveMapping(c.get('db'), actorOf(c), c.req.valid('json')), 201));
}

export type { AppEnv };
