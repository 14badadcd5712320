import { OpenAPIHono } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Database } from '@vbp/db';
import { docsRoutes } from './docs';
import type { AppEnv } from './env';
import { handleError, notFoundHandler } from './errors';
import { batchRoutes } from './routes/batches';
import { coverageRoutes } from './routes/coverage';
import { healthRoutes } from './routes/health';
import { overviewRoutes } from './routes/overview';
import { regionRoutes } from './routes/regions';
import { targetRoutes } from './routes/targets';
import { serveWebApp } from './static';

export interface AppOptions {
  database: Database;
  /** The built web app (apps/web/dist); when absent only the API is served. */
  webRoot?: string | undefined;
}

function apiRoutes() {
  return new OpenAPIHono<AppEnv>()
    .route('/', healthRoutes)
    .route('/', regionRoutes)
    .route('/', batchRoutes)
    .route('/', coverageRoutes)
    .route('/', targetRoutes)
    .route('/', overviewRoutes);
}

/** Builds the HTTP app without opening a port (tests call `app.request`, index.ts serves it). */
export function createApp({ database, webRoot }: AppOptions) {
  const api = apiRoutes();
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
    c.set('database', database);
    c.set('db', database.db);
    c.header('cache-control', 'no-store');
    await next();
  });
  app.onError(handleError);

  app.route('/api', api);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '集采看板 VBP Tracker API',
      version: '0.1.0',
      description:
        'Volume-based procurement (集中带量采购) tracking for provincial medical-insurance bureaus. Money and prices are decimal strings in 元; fractions are numbers in [0, 1]; dates are YYYY-MM-DD (China Standard Time).',
    },
  });

  app.route('/api', docsRoutes());
  app.all('/api/*', notFoundHandler);
  if (webRoot) app.get('*', serveWebApp(webRoot));
  app.notFound(notFoundHandler);
  return app;
}

export type AppType = ReturnType<typeof apiRoutes>;
