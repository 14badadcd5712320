import type { Actor } from '@vbp/core/auth/actor';
import type { ActiveSession } from '@vbp/core/auth/sessions';
import type { Database, Db } from '@vbp/db';
import type { Logger } from './log';
import type { ReadCache } from './read-cache';

/** What every handler can read from the context. */
export interface AppEnv {
  Variables: {
    db: Db;
    database: Database;
    requestId: string;
    /** The log, with this request's id on every line. */
    log: Logger;
    /** The signed-in user acting, or null (only public routes get that far without one). */
    actor: Actor | null;
    session: ActiveSession | null;
    demo: boolean;
    maxUploadBytes: number;
    /** Read answers by data version (read-cache.ts). */
    readCache: ReadCache;
  };
}
