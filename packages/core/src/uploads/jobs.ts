/**
 * The upload work this process is doing now (validating, committing, reverting). Each job's progress is
 * kept here, in memory, because a commit's own transaction holds the embedded database's only connection
 * while it runs; and each job can be asked to stop, which it does at its next checkpoint (between batches
 * of rows), so that a shutdown ends work in order instead of cutting it off.
 */
import { DomainError } from '../errors';

export type JobPhase = 'validating' | 'committing' | 'reverting';

export interface JobProgress {
  phase: string;
  done: number;
  total: number | null;
}

/** What a job sees of itself. */
export interface JobHandle {
  readonly signal: AbortSignal;
  /** Throws `JobStopped` once the job has been asked to stop; call it between units of work. */
  checkpoint(): void;
  report(progress: JobProgress): void;
}

/** Thrown at a checkpoint of a job asked to stop (the server is shutting down). */
export class JobStopped extends Error {
  constructor() {
    super('stopped: the server is shutting down');
    this.name = 'JobStopped';
  }
}

interface Running {
  phase: JobPhase;
  controller: AbortController;
  progress: JobProgress | null;
  settled: Promise<void>;
}

export interface DrainResult {
  /** Jobs that ended on their own within the grace period. */
  finished: number[];
  /** Jobs asked to stop that did so (their transaction rolled back). */
  stopped: number[];
  /** Jobs still running when the wait ended. */
  stuck: number[];
}

/** A job handle for work run outside the registry (tests, scripts): never stops, reports nowhere. */
export const UNMANAGED_JOB: JobHandle = {
  signal: new AbortController().signal,
  checkpoint() {},
  report() {},
};

export class UploadJobs {
  readonly #jobs = new Map<number, Running>();
  #accepting = true;

  get accepting(): boolean {
    return this.#accepting;
  }

  /** New uploads, validations, commits and reverts are refused from now on (shutdown). */
  stopAccepting(): void {
    this.#accepting = false;
  }

  assertAccepting(): void {
    if (!this.#accepting)
      throw new DomainError('UNAVAILABLE', 'The server is shutting down: try again in a minute', '服务器正在停止，请稍后重试', { retryAfterSeconds: 60 });
  }

  /** Runs `fn` as upload `id`'s job; one job per upload at a time. */
  async run<T>(id: number, phase: JobPhase, fn: (job: JobHandle) => Promise<T>): Promise<T> {
    this.assertAccepting();
    if (this.#jobs.has(id)) throw new DomainError('CONFLICT', `Upload ${id} is already being worked on`, `上传 ${id} 正在处理中`);
    const controller = new AbortController();
    let settle!: () => void;
    const running: Running = { phase, controller, progress: null, settled: new Promise<void>((resolve) => (settle = resolve)) };
    this.#jobs.set(id, running);
    const handle: JobHandle = {
      signal: controller.signal,
      checkpoint() {
        if (controller.signal.aborted) throw new JobStopped();
      },
      report(progress) {
        running.progress = progress;
      },
    };
    try {
      return await fn(handle);
    } finally {
      this.#jobs.delete(id);
      settle();
    }
  }

  progressOf(id: number): JobProgress | null {
    return this.#jobs.get(id)?.progress ?? null;
  }

  isRunning(id: number): boolean {
    return this.#jobs.has(id);
  }

  running(): { id: number; phase: JobPhase }[] {
    return [...this.#jobs].map(([id, job]) => ({ id, phase: job.phase }));
  }

  /**
   * Waits up to `graceMs` for the running jobs to end; then asks the rest to stop and waits up to
   * `stopMs` for them to unwind (a statement under way finishes first).
   */
  async drain(graceMs: number, stopMs: number): Promise<DrainResult> {
    const started = [...this.#jobs.keys()];
    await this.#waitAll(graceMs);
    const left = [...this.#jobs.entries()];
    for (const [, job] of left) job.controller.abort();
    await this.#waitAll(stopMs);
    const stuck = [...this.#jobs.keys()];
    const asked = new Set(left.map(([id]) => id));
    return {
      finished: started.filter((id) => !asked.has(id)),
      stopped: left.map(([id]) => id).filter((id) => !stuck.includes(id)),
      stuck,
    };
  }

  async #waitAll(ms: number): Promise<void> {
    if (this.#jobs.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.#jobs.values()].map((j) => j.settled)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }
}
