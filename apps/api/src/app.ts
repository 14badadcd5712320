import { OpenAPIHono } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskGuard } from '@vbp/core/disk';
import { UploadJobs } from '@vbp/core/uploads/jobs';
import { DEFAULT_MAX_UPLOAD_BYTES, UploadStore } from '@vbp/core/uploads/storage';
import type { UploadSettings } from '@vbp/core/uploads/pipeline';
import type { Database } from '@vbp/db';
import { guard, identify } from './auth/middleware';
import { ReadCache } from './read-cache';
import type { RequestSettings } from './auth/request';
import { docsRoutes } from './docs';
import type { AppEnv } from './env';
import { handleError, notFoundHandler } from './errors';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { batchRoutes } from './routes/batches';
import { contractRoutes } from './routes/contracts';
import { coverageRoutes } from './routes/coverage';
import { documentRoutes } from './routes/documents';
import { executionRoutes } from './routes/execution';
import { healthRoutes } from './routes/health';
import { overviewRoutes } from './routes/overview';
import { reconciliationRoutes } from './routes/reconciliation';
import { regionRoutes } from './routes/regions';
import { targetRoutes } from './routes/targets';
import { uploadRoutes } from './routes/uploads';
import { userRoutes } from './routes/users';
import { serveWebApp } from './static';

export interface AppOptions {
  database: Database;
  /** The built web app (apps/web/dist); when absent only the API is served. */
  webRoot?: string | undefined;
  /** Demo mode: said in /api/health and /api/auth/me so the UI can show it. */
  demo?: boolean;
  request?: Partial<RequestSettings>;
  /** Where uploaded files wait for commit, and the size limits (see UploadSettings). */
  uploads?: { dir?: string; maxBytes?: number; inlineBytes?: number; jobs?: UploadJobs; disk?: DiskGuard };
  /** Read answers cached by data version (one per app by default). */
  readCache?: ReadCache;
}

/** Files up to this size are validated before the upload request answers. */
const DEFAULT_INLINE_BYTES = 5 * 1024 * 1024;

function apiRoutes(settings: RequestSettings, uploads: UploadSettings) {
  return new OpenAPIHono<AppEnv>()
    .route('/', healthRoutes)
    .route('/', authRoutes(settings))
    .route('/', regionRoutes)
    .route('/', documentRoutes)
    .route('/', batchRoutes)
    .route('/', coverageRoutes)
    .route('/', targetRoutes)
    .route('/', overviewRoutes)
    .route('/', reconciliationRoutes)
    .route('/', executionRoutes)
    .route('/', contractRoutes)
    .route('/', userRoutes)
    .route('/', uploadRoutes(uploads))
    .route('/', auditRoutes);
}

/** Builds the HTTP app without opening a port (tests call `app.request`, server.ts serves it). */
export function createApp({ database, webRoot, demo = false, request = {}, uploads = {}, readCache = new ReadCache() }: AppOptions) {
  const settings: RequestSettings = { trustProxy: request.trustProxy ?? false, secureCookies: request.secureCookies ?? false };
  const uploadDir = uploads.dir ?? join(tmpdir(), 'vbp-uploads');
  const uploadSettings: UploadSettings = {
    store: new UploadStore(uploadDir),
    maxBytes: uploads.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    inlineBytes: uploads.inlineBytes ?? DEFAULT_INLINE_BYTES,
    jobs: uploads.jobs ?? new UploadJobs(),
    disk: uploads.disk ?? new DiskGuard({ uploads: uploadDir, database: database.dataDir }),
  };
  const api = apiRoutes(settings, uploadSettings);

  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use('*', compress());
  app.use('/api/*', async (c, next) => {
    // reads may be served from a snapshot while a long write holds the embedded database (read-snapshot.ts)
    const lease = c.req.method === 'GET' || c.req.method === 'HEAD' ? await database.readLease() : null;
    c.set('database', database);
    c.set('db', lease?.db ?? database.db);
    c.set('demo', demo);
    c.set('maxUploadBytes', uploadSettings.maxBytes);
    c.set('readCache', readCache);
    c.header('cache-control', 'no-store');
    try {
      await next();
    } finally {
      lease?.release();
    }
  });
  // who is asking, then deny by default (see auth/middleware.ts)
  app.use('/api/*', identify(settings));
  app.use('/api/*', guard());
  app.onError(handleError);

  app.route('/api', api);
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'vbp_session',
    description: 'Set by POST /api/auth/login. State-changing requests also need the x-csrf-token header from GET /api/auth/me.',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '集采看板 VBP Tracker API',
      version: '0.2.0',
      description:
        'Volume-based procurement (集中带量采购) tracking for provincial medical-insurance bureaus. Sign in with POST /api/auth/login; every operation states the permission it needs (`x-permission`) and provincial users act on their own province only. Money and prices are decimal strings in 元; fractions are numbers in [0, 1]; dates are YYYY-MM-DD (China Standard Time).',
    },
  });
  app.route('/api', docsRoutes());
  app.all('/api/*', notFoundHandler);
  if (webRoot) app.get('*', serveWebApp(webRoot));
  app.notFound(notFoundHandler);
  return app;
}

export type AppType = ReturnType<typeof apiRoutes>;
