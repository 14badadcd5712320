import type { Database } from '@vbp/db';
import { openTestDatabase } from '@vbp/db/testing';
import type { DbKind } from '@vbp/db';
import { createApp } from '../src/app';

export interface TestApp {
  database: Database;
  app: ReturnType<typeof createApp>;
  /** GET a path and parse the JSON body, returning the status too. */
  get<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
}

export async function openTestApp(engine: DbKind): Promise<TestApp> {
  const database = await openTestDatabase(engine);
  const app = createApp({ database });
  return {
    database,
    app,
    async get(path) {
      const res = await app.request(path);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
}
