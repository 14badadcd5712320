import { SourceDocumentList } from '@vbp/contracts/api';
import { listDocuments } from '@vbp/core/queries/documents';
import { createRouter, errorResponses, jsonContent, secureRoute } from '../router';
import { cachedRead, EVERY_REGION } from '../read-cache';

const list = secureRoute('read:reference', {
  method: 'get',
  path: '/documents',
  tags: ['reference'],
  summary: 'Source documents that figures and targets cite / 来源文件',
  responses: { 200: jsonContent(SourceDocumentList, 'Documents, newest first'), 500: errorResponses[500] },
});

export const documentRoutes = createRouter().openapi(list, async (c) =>
  cachedRead(c, { path: '/documents', request: {}, areas: ['reference'], region: EVERY_REGION, compute: async (db) => ({ items: await listDocuments(db) }) }),
);
