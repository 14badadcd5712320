import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { matchedRoutes } from 'hono/route';
import { randomUUID } from 'node:crypto';
import { secureHeaders } from 'hono/secure-headers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATION_CODE } from '@vbp/contracts/enums';
import { DiskGuard } from '@vbp/core/disk';
import { DomainError } from '@vbp/core/errors';
import { UploadJobs } from '@vbp/core/uploads/jobs';
import { DEFAULT_MAX_UPLOAD_BYTES, UploadStore } from '@vbp/core/uploads/storage';
import type { UploadChange, UploadSettings } from '@vbp/core/uploads/pipeline';
import type { Database } from '@vbp/db';
import { guard, identify } from './auth/middleware';
import { servedHostsOnly, ServedNames } from './auth/origins';
import { ReadCache } from './read-cache';
import type { ReadWarmer } from './warm-reads';
import { arrivedOverHttps, type RequestSettings } from './auth/request';
import { docsRoutes } from './docs';
import type { AppEnv } from './env';
import { handleError, notFoundHandler } from './errors';
import { silentLogger, type Logger } from './log';
import { VERSION } from './version';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { batchRoutes } from './routes/batches';
import { contractAlertRoutes } from './routes/contract-alerts';
import { contractRoutes } from './routes/contracts';
import { coverageRoutes } from './routes/coverage';
import { documentRoutes } from './routes/documents';
import { executionRoutes } from './routes/execution';
import { followUpRoutes } from './routes/follow-ups';
import { healthRoutes } from './routes/health';
import { overviewRoutes } from './routes/overview';
import { reconciliationRoutes } from './routes/reconciliation';
import { scenarioRoutes } from './routes/scenarios';
import { regionRoutes } from './routes/regions';
import { settingsRoutes } from './routes/settings';
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
  /**
   * The hosts and origins the server answers to (auth/origins.ts): from the configuration in server.ts; by
   * default loopback names only, with the origin `http://localhost` (what `app.request('/api/…')` sends).
   */
  names?: ServedNames;
  /** Where uploaded files wait for commit, and the size limits (see UploadSettings). */
  uploads?: { dir?: string; maxBytes?: number; inlineBytes?: number; jobs?: UploadJobs; disk?: DiskGuard };
  /** Read answers cached by the versions of what they read (one per app by default; the warmer's when given). */
  readCache?: ReadCache;
  /**
   * Prepares the answers a commit or revert of execution data changed, before anyone asks (warm-reads.ts).
   * server.ts gives one and stops it; without one (most tests) nothing is prepared.
   */
  warmer?: ReadWarmer;
  /** The access log and errors (nothing is said without one). */
  logger?: Logger;
  /** How long a read may take before it answers 503 (DEFAULT_READ_TIMEOUT_MS). */
  readTimeoutMs?: number;
}

/** A client's own request id is logged beside ours when it looks like one (and never trusted further). */
const CLIENT_REQUEST_ID = /^[\w.:=-]{1,128}$/u;

/** Files up to this size are validated before the upload request answers. */
const DEFAULT_INLINE_BYTES = 5 * 1024 * 1024;
/** The largest body any request but a file upload may send (JSON: a mapping, a user, a commit). */
export const MAX_JSON_BYTES = 1024 * 1024;
/** A read that takes longer than this answers 503 (try again) instead of holding the client on. */
export const DEFAULT_READ_TIMEOUT_MS = 60_000;

function apiRoutes(settings: RequestSettings, uploads: UploadSettings) {
  return new OpenAPIHono<AppEnv>()
    .route('/', healthRoutes)
    .route('/', authRoutes(settings))
    .route('/', regionRoutes)
    .route('/', documentRoutes)
    .route('/', batchRoutes)
    .route('/', coverageRoutes)
    .route('/', targetRoutes)
    .route('/', scenarioRoutes)
    .route('/', overviewRoutes)
    .route('/', reconciliationRoutes)
    .route('/', executionRoutes)
    .route('/', followUpRoutes)
    .route('/', contractRoutes)
    .route('/', contractAlertRoutes)
    .route('/', settingsRoutes)
    .route('/', userRoutes)
    .route('/', uploadRoutes(uploads))
    .route('/', auditRoutes);
}

/** Builds the HTTP app without opening a port (tests call `app.request`, server.ts serves it). */
/** Uploads whose commit or revert changes a region's execution answers: they are prepared again after it. */
const PREPARED_AFTER = new Set<UploadChange['kind']>(['purchases', 'agreed-volumes', 'province-volumes']);

export function createApp({ database, webRoot, demo = false, request = {}, names = new ServedNames(), uploads = {}, warmer, readCache = warmer?.cache ?? new ReadCache(), logger = silentLogger, readTimeoutMs = DEFAULT_READ_TIMEOUT_MS }: AppOptions) {
  if (warmer && warmer.cache !== readCache) throw new Error('createApp: the warmer must prepare answers in the app’s read cache');
  const settings: RequestSettings = { trustProxy: request.trustProxy ?? false, secureCookies: request.secureCookies ?? false };
  const uploadDir = uploads.dir ?? join(tmpdir(), 'vbp-uploads');
  const uploadSettings: UploadSettings = {
    store: new UploadStore(uploadDir),
    maxBytes: uploads.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    inlineBytes: uploads.inlineBytes ?? DEFAULT_INLINE_BYTES,
    jobs: uploads.jobs ?? new UploadJobs(),
    disk: uploads.disk ?? new DiskGuard({ uploads: uploadDir, database: database.dataDir }),
    log: logger,
    ...(warmer
      ? {
          changed: (change: UploadChange) => {
            // a province's; the nation's answers sum every province (seconds at scale): left to the first reader
            if (PREPARED_AFTER.has(change.kind)) for (const region of change.regions) if (region !== NATION_CODE) warmer.request(region);
          },
        }
      : {}),
  };
  const api = apiRoutes(settings, uploadSettings);

  const app = new OpenAPIHono<AppEnv>();
  // Every request gets an id of ours (said in x-request-id, the error bodies, the log and the audit log); a
  // client's own x-request-id is only logged beside it, so nobody can write what the audit log says.
  // One access line per request, after it: who, which route, the status and how long it took.
  app.use('*', async (c, next) => {
    const id = randomUUID();
    const log = logger.child({ requestId: id });
    c.set('requestId', id);
    c.set('log', log);
    c.header('x-request-id', id);
    const started = performance.now();
    try {
      await next();
    } finally {
      const clientId = c.req.header('x-request-id');
      const status = c.res.status;
      log[status >= 500 ? 'error' : status >= 400 && status !== 401 && status !== 404 ? 'warn' : 'info'](
        {
          method: c.req.method,
          route: endpoint(c),
          path: c.req.path,
          status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          user: c.get('actor')?.username ?? null,
          ...(clientId && CLIENT_REQUEST_ID.test(clientId) ? { clientRequestId: clientId } : {}),
        },
        'request',
      );
    }
  });
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
      // the same as frame-ancestors 'none', for browsers that know only this header
      xFrameOptions: 'DENY',
      // said only over HTTPS (below): a browser ignores it over plain HTTP, and it promises what we do not serve
      strictTransportSecurity: false,
    }),
  );
  app.use('*', async (c, next) => {
    if (arrivedOverHttps(c, settings)) c.header('strict-transport-security', 'max-age=15552000; includeSubDomains');
    await next();
  });
  // a name we do not serve (a page that rebound its own name to this machine) is refused before routing,
  // for the API and the web app alike
  app.use('*', servedHostsOnly(names, settings));
  app.use('*', compress());
  // a file goes to POST /api/uploads, which has its own limit (MAX_UPLOAD_MB) and streams it to disk
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: () => {
      throw new DomainError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_JSON_BYTES / 1024} KB`, `请求体超过 ${MAX_JSON_BYTES / 1024} KB 上限`, { maxBytes: MAX_JSON_BYTES });
    },
  });
  app.use('/api/*', (c, next) => (c.req.method === 'POST' && c.req.path === '/api/uploads' ? next() : jsonLimit(c, next)));
  app.use('/api/*', readTimeout(readTimeoutMs));
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
  app.use('/api/*', guard(names));
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
      version: VERSION,
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

/** The endpoint a request matched, as declared (`/api/batches/:code`), not the middleware's `/api/*`. */
function endpoint(c: Context<AppEnv>): string {
  return matchedRoutes(c).find((route) => route.method !== 'ALL' && route.path !== '*')?.path ?? c.req.path;
}

/**
 * A read still running after `ms` answers 503 with Retry-After: the client is told to come back instead of
 * waiting on; the statement finishes on its own (its answer lands in the read cache for the next request).
 */
function readTimeout(ms: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DomainError('UNAVAILABLE', `The answer took longer than ${ms / 1000} s: try again in a moment`, `查询超过 ${ms / 1000} 秒未完成，请稍后重试`, { retryAfterSeconds: 10 })),
        ms,
      );
    });
    try {
      await Promise.race([next(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
}

export type AppType = ReturnType<typeof apiRoutes>;
