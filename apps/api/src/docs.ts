import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import swaggerUi from 'swagger-ui-dist';
import { Hono } from 'hono';

/**
 * Readable API docs at /api/docs, served from the swagger-ui-dist package rather than a CDN: bureau
 * networks are often closed to the internet.
 */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>集采看板 API 文档 / VBP Tracker API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true });`;

export function docsRoutes() {
  const root = swaggerUi.getAbsoluteFSPath();
  return new Hono()
    .get('/docs', (c) => c.html(PAGE))
    .get('/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }))
    .get('/docs/:asset', async (c) => {
      const asset = c.req.param('asset');
      const type = ASSETS[asset];
      if (!type) return c.notFound();
      return c.body(await readFile(join(root, asset)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    });
}
