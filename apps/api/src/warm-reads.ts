/**
 * Answers prepared before anyone asks (decision 016). After a commit or revert changes a province's execution
 * data, and at a start (on a server, for the provinces whose data reaches latest; on the embedded database,
 * after generating the demo's data, whose one connection readers would otherwise wait for), the answers a user
 * opens first are computed in the background and put in the read cache under the keys the routes use
 * (`readKey`, from the same specs): the execution summary, the overview and the lists by institution, variety,
 * city and batch (page 1, default sort, the API's page size and the dashboard's), at today and at the end of
 * the data (the end of the latest month with purchases, as the web app offers it).
 *
 * Bounded: one region at a time per process, a later request for a region not yet started taking the place
 * of the earlier one; the commit's answer never waits for it; a stop lets only the answer under way finish;
 * a failure is logged, never thrown.
 */
import { OverviewQuery } from '@vbp/contracts/api';
import { todayInChina } from '@vbp/contracts/dates';
import {
  EXECUTION_PAGE_SIZE,
  ExecutionListQuery,
  ExecutionSummaryQuery,
  suggestedDate,
  type ExecutionGroup,
  type ExecutionList,
  type ExecutionSummary,
} from '@vbp/contracts/execution';
import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '@vbp/db';
import { silentLogger, type Logger } from './log';
import { readKey, type ReadCache, type ReadSpec } from './read-cache';
import { executionListRead, executionSummaryRead } from './routes/execution';
import { overviewRead } from './routes/overview';

/** The lists the execution page opens on (the province view is for national users only). */
const LISTS: readonly ExecutionGroup[] = ['institution', 'variety', 'city', 'batch'];

class Stopped extends Error {}

export interface ReadWarmerOptions {
  database: Database;
  /** The app's read cache (createApp uses the warmer's). */
  cache: ReadCache;
  log?: Logger;
}

export class ReadWarmer {
  readonly cache: ReadCache;
  readonly #database: Database;
  readonly #log: Logger;
  /** Regions waiting, in order, each once. */
  #pending: string[] = [];
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(options: ReadWarmerOptions) {
    this.cache = options.cache;
    this.#database = options.database;
    this.#log = options.log ?? silentLogger;
  }

  /** Asks for the region's answers: after the one under way, once however often it is asked before it starts. */
  request(region: string): void {
    if (this.#stopped) return;
    if (!this.#pending.includes(region)) this.#pending.push(region);
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /**
   * Asks for the answers of the `limit` provinces whose purchases reach latest (a start: the office's own
   * province on its server, the busiest on a national one). Besides the answers, the first reader after a
   * restart finds the code that computes them compiled: the first overview after a start took 3–6× a later
   * one at another date (province scale).
   */
  async requestRecent(limit: number): Promise<string[]> {
    const lease = await this.#database.readLease();
    try {
      const rows = await selectRows<{ region: string }>(
        lease.db,
        sql`select region_code as "region" from purchase_months group by region_code order by max(month) desc, region_code limit ${limit}`,
      );
      for (const { region } of rows) this.request(region);
      return rows.map((r) => r.region);
    } finally {
      lease.release();
    }
  }

  /** Resolves when nothing is waiting or under way (tests wait for the answers with it). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Nothing more starts; the answer under way finishes (a statement is not cut short). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pending = [];
    await this.idle();
  }

  async #drain(): Promise<void> {
    // after the answer of the request that asked
    await new Promise((resolve) => setImmediate(resolve));
    for (let region = this.#pending.shift(); region !== undefined && !this.#stopped; region = this.#pending.shift()) await this.#prepare(region);
  }

  async #prepare(region: string): Promise<void> {
    const started = performance.now();
    const today = todayInChina();
    let answers = 0;
    let computed = 0;
    const prepare = async <T>(spec: ReadSpec<T>, compute?: () => Promise<T>): Promise<T> => {
      if (this.#stopped) throw new Stopped();
      // a lease per answer: a long write starting meanwhile serves the rest from its snapshot (read-snapshot.ts)
      const lease = await this.#database.readLease();
      try {
        const key = await readKey(lease.db, spec, today);
        answers++;
        if (!this.cache.has(key)) computed++;
        const answer = await this.cache.answer(key, compute ?? (() => spec.compute(lease.db)), { preparing: true });
        return JSON.parse(answer.body) as T;
      } finally {
        lease.release();
      }
    };
    try {
      const atToday = await prepare(executionSummaryRead(ExecutionSummaryQuery.parse({ region })));
      const end = suggestedDate(atToday.source);
      for (const date of end === null || end === today ? [today] : [today, end]) {
        if (date !== today) await prepare<ExecutionSummary>(executionSummaryRead(ExecutionSummaryQuery.parse({ region, date })));
        await prepare(overviewRead(OverviewQuery.parse({ region, date })));
        for (const by of LISTS) {
          const page = await prepare<ExecutionList>(executionListRead(ExecutionListQuery.parse({ region, date, by })));
          // the dashboard's smaller first page: the first rows of the same sorted list, everything else alike
          const dashboard = executionListRead(ExecutionListQuery.parse({ region, date, by, pageSize: EXECUTION_PAGE_SIZE }));
          await prepare(dashboard, page.pageSize >= EXECUTION_PAGE_SIZE ? async () => ({ ...page, items: page.items.slice(0, EXECUTION_PAGE_SIZE), pageSize: EXECUTION_PAGE_SIZE }) : undefined);
        }
      }
      this.#log.info({ region, answers, computed, ms: Math.round(performance.now() - started) }, 'read answers prepared');
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      if (err instanceof Stopped) this.#log.info({ region, answers, computed, ms }, 'preparing read answers stopped');
      else this.#log.warn({ err, region, answers, computed, ms }, 'preparing read answers failed');
    }
  }
}
